/**
 * The fast text path (writeFastPacketText, from PacketFields) against the layer-tree formatter on every
 * golden fixture and mode: identical text, and the fast path really taken for the common packets.
 * Also a generated mix like the bench's (Ethernet, VLAN, IPv4/IPv6, TCP options, DNS, ICMP, ARP)
 * against the real tcpdump, since that is the traffic the fast path is tuned for.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TcpdumpFormatter, type TcpdumpFormatOptions } from '../../src/core/format/tcpdumpFormatter';
import { writeFastPacketText } from '../../src/core/format/fastPacketText';
import { ByteTextWriter } from '../../src/core/format/byteTextWriter';
import { TcpSequenceTracker } from '../../src/core/format/tcpSequenceTracker';
import { readCaptureFile } from '../../src/core/pcap/captureStreamReader';
import { dissectPacketAt } from '../../src/core/decode/dissectPacket';
import { PacketFields } from '../../src/core/decode/packetFields';
import { localInterfaceNames, TCPDUMP_MODES, tcpdumpLines } from '../support/tcpdumpReference';
import { generateCapture } from '../../bench/generateCapture';

const dir = join(__dirname, '../fixtures/capture');
const files = readdirSync(dir).filter((n) => n.endsWith('.pcap')).sort();
const names = localInterfaceNames();

async function textOf(path: string, options: TcpdumpFormatOptions): Promise<string[]> {
  const f = new TcpdumpFormatter({ ...options, interfaceNames: names });
  const lines: string[] = [];
  await readCaptureFile(path, { onRecord: (r) => { lines.push(f.format(r)); } });
  return lines;
}

/** How many packets of a file the fast path answers (not undefined) in a mode. */
async function fastCount(path: string, eflag: boolean): Promise<{ fast: number; all: number }> {
  const o = { eflag, interfaceNames: names, tcp: new TcpSequenceTracker() };
  const fields = new PacketFields();
  const w = new ByteTextWriter(new Uint8Array(4096));
  let fast = 0;
  let all = 0;
  await readCaptureFile(path, {
    onRecord: (r) => {
      dissectPacketAt(r.bytes!, r.dataOffset!, r.caplen, r.linkType, fields);
      all++;
      w.pos = 0;
      if (writeFastPacketText(o, w, r.bytes!, fields, r.origLen)) fast++;
      else assert.equal(w.pos, 0, 'nothing written when the fast path declines');
    },
  });
  return { fast, all };
}

describe('fast text path = layer-tree formatter', () => {
  for (const file of files) {
    for (const { flags, options } of TCPDUMP_MODES) {
      it(`${file} ${flags.join(' ')}`, async () => {
        const path = join(dir, file);
        const slow = await textOf(path, { ...options, fastPath: false });
        assert.ok(slow.length > 0);
        assert.deepEqual(await textOf(path, { ...options, fastPath: true }), slow);
      });
    }
  }

  it('takes the fast path for plain pings, TCP, VLAN frames and simple DNS, and not for tunnels or DHCP', async () => {
    for (const f of ['ping4', 'ping6', 'tcp', 'vlan', 'any', 'dns']) {
      const { fast, all } = await fastCount(join(dir, `${f}.pcap`), false);
      assert.ok(fast > 0, `${f}: ${fast} of ${all} on the fast path`);
    }
    for (const f of ['vxlan', 'geneve', 'gre', 'dhcp']) {
      const { fast, all } = await fastCount(join(dir, `${f}.pcap`), false);
      assert.ok(fast < all, `${f}: ${fast} of ${all} on the fast path`);
    }
  });

  describe('on the bench traffic mix', () => {
    const tmp = mkdtempSync(join(tmpdir(), `hopscope-fasttext-${process.pid}-`));
    after(() => rmSync(tmp, { recursive: true, force: true }));
    const path = join(tmp, 'mixed.pcap');
    generateCapture(path, 3000);
    for (const { flags, options } of TCPDUMP_MODES) {
      it(`matches real tcpdump ${flags.join(' ')}, mostly on the fast path`, async () => {
        const want = tcpdumpLines(flags, path);
        assert.deepEqual((await textOf(path, options)).join('\n').split('\n'), want);
        const { fast, all } = await fastCount(path, options.linkHeaders === true);
        assert.ok(fast > all * 0.8, `${fast} of ${all} on the fast path`);
      });
    }
  });
});
