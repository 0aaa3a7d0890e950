/**
 * The pcap editor's one "Export Packets…" flow beyond the slice basics (sliceCommandOptions.test.ts):
 * the displayed rows of a filtered view, pcap ↔ pcapng conversion by the chosen file name, pcapng
 * interface names and capture comments kept, and a clear refusal to put two link types in a pcap.
 * Checked with tcpdump -r, tshark and capinfos on the written files.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CaptureBrowser } from '../../src/core/browse/captureBrowser';
import { PcapngWriter } from '../../src/core/pcap/pcapngWriter';
import { readCaptureFile } from '../../src/core/pcap/captureStreamReader';
import { sliceCapture, SliceLinkTypeError } from '../../src/core/slice/sliceCapture';
import { buildSliceOptions, checkDisplayFilter, defaultSliceOutputPath, exportFormatFor } from '../../src/extension/pcapEditor/sliceOptions';

const F = join(__dirname, '..', 'fixtures');
const DROP = join(F, 'align', 'drop', 'hostA-upl.pcap');
const dir = mkdtempSync(join(tmpdir(), `hs-exportflow-${process.pid}-`));
after(() => rmSync(dir, { recursive: true, force: true }));

function tcpdump(file: string, ...filter: string[]): string[] {
  const r = spawnSync('tcpdump', ['-nn', '--nano', '-tt', '-r', file, ...filter], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trimEnd().split('\n');
}
const capinfos = (file: string): string => execFileSync('capinfos', [file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });

describe('Export Packets… choices', () => {
  it('displayed packets: the rows of the applied filter, as tcpdump\'s own filter reads them', async () => {
    const b = new CaptureBrowser(DROP);
    await b.open();
    const { view, count } = await b.applyFilter('tcp');
    const out = join(dir, 'displayed.pcap');
    const r = await sliceCapture(DROP, out, buildSliceOptions({ scope: 'displayed', packetIndexes: b.viewPacketIndexes(view) }));
    assert.equal(count, 10);
    assert.equal(r.packetsWritten, count);
    assert.deepEqual(tcpdump(out), tcpdump(DROP, 'tcp'));
  });

  it('displayed packets without a filter: every packet', async () => {
    const b = new CaptureBrowser(DROP);
    await b.open();
    const out = join(dir, 'all.pcap');
    const r = await sliceCapture(DROP, out, buildSliceOptions({ scope: 'displayed', packetIndexes: b.viewPacketIndexes(0) }));
    assert.equal(r.packetsWritten, b.packetCount);
    assert.deepEqual(tcpdump(out), tcpdump(DROP));
  });

  it('the format follows the file name: .pcapng, .pcap, otherwise the input\'s', () => {
    assert.equal(exportFormatFor('/x/a.pcapng'), 'pcapng');
    assert.equal(exportFormatFor('/x/a.PCAP'), 'pcap');
    assert.equal(exportFormatFor('/x/a.cap'), undefined);
    assert.equal(defaultSliceOutputPath('/c/br0.pcapng', 'displayed'), '/c/br0-displayed.pcapng');
  });

  it('the filter input box explains a wrong filter with its column', () => {
    assert.equal(checkDisplayFilter('icmp && frame.time_relative > 1'), undefined);
    assert.match(checkDisplayFilter('icmp and ip.sorc == 1.2.3.4') ?? '', /unknown field 'ip\.sorc'.*\(at column 10\)/);
    assert.match(checkDisplayFilter(' ') ?? '', /Give a display filter/);
  });
});

describe('Export Packets… output formats', () => {
  it('pcap → pcapng: the same packets (tcpdump), a pcapng file (capinfos)', async () => {
    const out = join(dir, 'lo.pcapng');
    const r = await sliceCapture(join(F, 'pcap', 'lo.pcap'), out, { packetNumbers: [{ from: 2, to: 9 }], outputFormat: 'pcapng' });
    assert.equal(r.format, 'pcapng');
    assert.equal(r.packetsWritten, 8);
    assert.match(capinfos(out), /File type:\s+Wireshark\/\.\.\. - pcapng/);
    assert.deepEqual(tcpdump(out), tcpdump(join(F, 'pcap', 'lo.pcap')).slice(1, 9));
  });

  it('pcapng (ns) → pcap: a nanosecond pcap with the same packets', async () => {
    const input = join(F, 'pcap', 'lo-nsec.pcapng');
    const out = join(dir, 'lo-nsec.pcap');
    const r = await sliceCapture(input, out, { outputFormat: 'pcap' });
    assert.equal(r.format, 'pcap');
    assert.match(capinfos(out), /File type:\s+Wireshark\/tcpdump\/\.\.\. - nanosecond pcap/);
    assert.deepEqual(tcpdump(out), tcpdump(input));
  });

  it('pcapng with two link types → pcap is refused clearly, and leaves no file', async () => {
    const out = join(dir, 'mixed.pcap');
    await assert.rejects(sliceCapture(join(F, 'pcap', 'merged.pcapng'), out, { outputFormat: 'pcap' }),
      (e: unknown) => e instanceof SliceLinkTypeError && /holds one link type, export as pcapng/.test(e.message));
    assert.equal(existsSync(out), false);
    assert.deepEqual(readdirSync(dir).filter((n) => n.startsWith('mixed')), []);
  });

  it('pcapng → pcapng keeps interface names, descriptions and the capture comments (tshark, capinfos)', async () => {
    // The input: our writer names two interfaces; editcap (a real tool) adds a capture comment.
    const raw = join(dir, 'named-raw.pcapng');
    const fd = openSync(raw, 'w');
    const w = new PcapngWriter(fd, { comment: 'hv1 capture' });
    const eth = w.addInterface({ linkType: 1, name: 'vnet0', description: 'vm1 eth0 backend' });
    const br = w.addInterface({ linkType: 1, name: 'br0' });
    await readCaptureFile(join(F, 'pcap', 'lo.pcap'), { onRecord: (rec) => { w.writeRecord(rec.index % 2 ? br : eth, rec.tsSec, rec.tsNsec, rec.data.slice(), rec.origLen); } });
    await w.close();
    closeSync(fd);
    const input = join(dir, 'named.pcapng');
    execFileSync('editcap', ['--capture-comment', 'ticket 4711: loss at vnet0', raw, input]);
    const out = join(dir, 'named-out.pcapng');
    const r = await sliceCapture(input, out, { packetNumbers: [{ from: 3, to: 6 }] });
    assert.equal(r.packetsWritten, 4);
    const fields = (file: string): string => execFileSync('tshark', ['-r', file, '-T', 'fields', '-e', 'frame.interface_name', '-e', 'frame.interface_description', '-e', 'frame.time_epoch'],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    assert.equal(fields(out), fields(input).split('\n').slice(2, 6).join('\n') + '\n');
    assert.match(fields(out), /^vnet0\tvm1 eth0 backend\t.*\nbr0\t\t/);
    const info = capinfos(out);
    assert.match(info, /Capture comment:\s+hv1 capture/);
    assert.match(info, /Capture comment:\s+ticket 4711: loss at vnet0/);
  });
});
