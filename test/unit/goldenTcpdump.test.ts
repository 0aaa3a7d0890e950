/**
 * Our tcpdump text against the real tcpdump 4.99 (run now, TZ=UTC) on the committed captures of
 * real traffic (test/fixtures/makeCaptures.sh): plain -nn, -nn -tttt and -nn -e, line by line.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { formatterLines, localInterfaceNames, TCPDUMP_MODES, tcpdumpLines } from '../support/tcpdumpReference';

const dir = join(__dirname, '../fixtures/capture');
const files = readdirSync(dir).filter((n) => n.endsWith('.pcap')).sort();

describe('tcpdump text matches real tcpdump on real captures', () => {
  it('has the expected fixtures', () => {
    for (const f of ['ping4', 'ping6', 'tcp', 'tcp-snap96', 'tcp-snap60', 'dns', 'dhcp', 'vlan', 'any', 'vxlan', 'gre', 'geneve']) {
      assert.ok(files.includes(`${f}.pcap`), f);
    }
  });
  const names = localInterfaceNames();
  for (const file of files) {
    for (const { flags, options } of TCPDUMP_MODES) {
      it(`${file} ${flags.join(' ')}`, async () => {
        const path = join(dir, file);
        const want = tcpdumpLines(flags, path);
        assert.ok(want.length > 0);
        assert.deepEqual(await formatterLines(path, { ...options, interfaceNames: names }), want);
      });
    }
  }
});
