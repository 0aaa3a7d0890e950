/**
 * Fresh real traffic in network namespaces (test/fixtures/makeCaptures.sh into a temp dir: ping,
 * ND, ARP, TCP, snaplen cuts, DNS, DHCP, VLAN/QinQ, -i any, VXLAN, GRE, GENEVE), then our text
 * against real tcpdump on those new files in three modes.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatterLines, localInterfaceNames, TCPDUMP_MODES, tcpdumpLines } from '../support/tcpdumpReference';

const out = mkdtempSync(join(tmpdir(), 'hopscope-golden-lab-'));
after(() => rmSync(out, { recursive: true, force: true }));

describe('tcpdump text on freshly captured namespace traffic', () => {
  before(() => {
    const r = spawnSync('bash', [join(__dirname, '../fixtures/makeCaptures.sh'), out], { encoding: 'utf8', timeout: 120_000 });
    if (r.status !== 0) throw new Error(`makeCaptures.sh failed: ${r.stderr}`);
  });

  it('captured every scenario and matches tcpdump line by line', async () => {
    const files = readdirSync(out).filter((n) => n.endsWith('.pcap')).sort();
    assert.equal(files.length, 12);
    const names = localInterfaceNames();
    for (const file of files) {
      for (const { flags, options } of TCPDUMP_MODES) {
        const want = tcpdumpLines(flags, join(out, file));
        assert.ok(want.length >= 2, `${file}: too few packets captured`);
        assert.deepEqual(await formatterLines(join(out, file), { ...options, interfaceNames: names }), want, `${file} ${flags.join(' ')}`);
      }
    }
  });
});
