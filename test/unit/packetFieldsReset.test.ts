/** reset() is hand-written for speed: it must restore every field a fresh instance has. */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { PacketFields } from '../../src/core/decode/packetFields';
import { dissectPacket } from '../../src/core/decode/dissectPacket';
import { readCaptureFile } from '../../src/core/pcap/captureStreamReader';
import { join } from 'node:path';

it('reset() restores every field of a fresh PacketFields after dissecting real packets', async () => {
  const f = new PacketFields();
  const fresh = { ...new PacketFields() };
  let n = 0;
  for (const file of ['vxlan.pcap', 'tcp.pcap', 'dhcp.pcap', 'vlan.pcap', 'any.pcap']) {
    await readCaptureFile(join(__dirname, '../fixtures/capture', file), {
      onRecord: (r) => {
        dissectPacket(r.data, r.caplen, r.linkType, f);
        f.reset();
        assert.deepEqual({ ...f }, fresh);
        n++;
      },
    });
  }
  assert.ok(n > 20);
  // every field is touched by some packet above or is listed in reset(): a poisoned instance resets too
  const poisoned = new PacketFields();
  for (const k of Object.keys(poisoned)) (poisoned as unknown as Record<string, unknown>)[k] = 'x';
  poisoned.reset();
  assert.deepEqual({ ...poisoned }, fresh);
});
