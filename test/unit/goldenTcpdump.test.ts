/**
 * Our tcpdump text against the real tcpdump 4.99 (run now, TZ=UTC) on the committed captures of
 * real traffic (test/fixtures/makeCaptures.sh): plain -nn, -nn -tttt and -nn -e, line by line.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { TcpdumpFormatter, type TcpdumpFormatOptions } from '../../src/core/format/tcpdumpFormatter';
import { readCaptureFile } from '../../src/core/pcap/captureStreamReader';
import { localInterfaceNames, tcpdumpLines } from '../support/tcpdumpReference';

const dir = join(__dirname, '../fixtures/capture');
const files = readdirSync(dir).filter((n) => n.endsWith('.pcap')).sort();
const modes: { flags: string[]; options: TcpdumpFormatOptions }[] = [
  { flags: ['-nn'], options: {} },
  { flags: ['-nn', '-tttt'], options: { time: 'date' } },
  { flags: ['-nn', '-e'], options: { linkHeaders: true } },
];

async function ourLines(file: string, options: TcpdumpFormatOptions): Promise<string[]> {
  const f = new TcpdumpFormatter(options);
  const lines: string[] = [];
  await readCaptureFile(file, { onRecord: (r) => { lines.push(f.format(r)); } });
  return lines.join('\n').split('\n');
}

describe('tcpdump text matches real tcpdump on real captures', () => {
  it('has the expected fixtures', () => {
    for (const f of ['ping4', 'ping6', 'tcp', 'tcp-snap96', 'tcp-snap60', 'dns', 'dhcp', 'vlan', 'any', 'vxlan', 'gre', 'geneve']) {
      assert.ok(files.includes(`${f}.pcap`), f);
    }
  });
  const names = localInterfaceNames();
  for (const file of files) {
    for (const { flags, options } of modes) {
      it(`${file} ${flags.join(' ')}`, async () => {
        const path = join(dir, file);
        const want = tcpdumpLines(flags, path);
        assert.ok(want.length > 0);
        assert.deepEqual(await ourLines(path, { ...options, interfaceNames: names }), want);
      });
    }
  }
});
