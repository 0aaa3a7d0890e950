/**
 * The pcap editor's slice commands without VS Code: the answers of "Export Packets…" (selection, filter or
 * time window) parsed into src/core/slice options (with clear errors), the Explorer selection of
 * "Merge Captures", and the files those options produce checked with `tcpdump -r` (count, first and
 * last timestamps) against `tcpdump -r` / tshark on the input.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DisplayFilterError } from '../../src/core/filter/displayFilterSyntax';
import { mergeCaptures } from '../../src/core/slice/mergeCaptures';
import { sliceCapture } from '../../src/core/slice/sliceCapture';
import { defaultMergeOutputPath, mergeInputs, MergeSelectionError } from '../../src/extension/pcapEditor/mergeSelection';
import {
  buildSliceOptions, checkPacketNumbers, checkTimeBound, defaultSliceOutputPath, ExportRequestError,
} from '../../src/extension/pcapEditor/sliceOptions';

const FIXTURE = join(__dirname, '..', 'fixtures', 'stats', 'stats-mix.pcap');
const PING6 = join(__dirname, '..', 'fixtures', 'capture', 'ping6.pcap');
const TCP = join(__dirname, '..', 'fixtures', 'capture', 'tcp.pcap');

/** `tcpdump -r <file> -tt -n`: one epoch timestamp (text, µs) per packet. */
function tcpdumpTimes(file: string, ...filter: string[]): string[] {
  const text = execFileSync('tcpdump', ['-r', file, '-tt', '-n', ...filter], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return text.split('\n').filter((l) => l.trim() && /^\d/.test(l)).map((l) => l.split(' ')[0]);
}

describe('Export Packets options', () => {
  it('packet numbers: one, ranges, open end; clear errors for the rest', () => {
    assert.deepEqual(buildSliceOptions({ scope: 'packets', packets: '42' }), { packetNumbers: [{ from: 42, to: 42 }] });
    assert.deepEqual(buildSliceOptions({ scope: 'packets', packets: '300-, 10-20' }).packetNumbers,
      [{ from: 10, to: 20 }, { from: 300, to: Number.MAX_SAFE_INTEGER }]);
    assert.equal(checkPacketNumbers('10-20,42'), undefined);
    assert.match(checkPacketNumbers('') ?? '', /Give packet numbers/);
    assert.match(checkPacketNumbers('0') ?? '', /start at 1/);
    assert.match(checkPacketNumbers('20-10') ?? '', /must not decrease/);
    assert.throws(() => buildSliceOptions({ scope: 'packets', packets: 'abc' }), ExportRequestError);
  });

  it('display filter: the applied one; none applied or a wrong one is refused before any file is written', () => {
    assert.deepEqual(buildSliceOptions({ scope: 'filter', filter: 'icmp && ip.addr == 10.225.1.2' }), { displayFilter: 'icmp && ip.addr == 10.225.1.2' });
    assert.throws(() => buildSliceOptions({ scope: 'filter', filter: '  ' }), /Give a display filter/);
    assert.throws(() => buildSliceOptions({ scope: 'filter', filter: 'ip.adr == 1' }), DisplayFilterError);
  });

  it('time window: relative, ISO and @epoch bounds, either end open; reversed or unparsable ones refused', () => {
    assert.deepEqual(buildSliceOptions({ scope: 'time', from: '+1.5', to: '' }), { startTime: { kind: 'relative', offsetNs: 1_500_000_000n }, endTime: undefined });
    assert.deepEqual(buildSliceOptions({ scope: 'time', from: '', to: '2026-11-23T01:47:22Z' }).endTime, { kind: 'absolute', sec: 1795398442, nsec: 0 });
    assert.deepEqual(buildSliceOptions({ scope: 'time', from: '@1795398441.25', to: '@1795398442' }).startTime, { kind: 'absolute', sec: 1795398441, nsec: 250_000_000 });
    assert.throws(() => buildSliceOptions({ scope: 'time', from: '', to: '' }), /a start, an end or both/);
    assert.throws(() => buildSliceOptions({ scope: 'time', from: '+3', to: '+1' }), /not after the start/);
    assert.throws(() => buildSliceOptions({ scope: 'time', from: '@20', to: '@10' }), /not after the start/);
    assert.throws(() => buildSliceOptions({ scope: 'time', from: 'yesterday', to: '' }), ExportRequestError);
    assert.equal(checkTimeBound(''), undefined);
    assert.match(checkTimeBound('2026-13-01T00:00:00') ?? '', /invalid date/);
  });

  it('default output names keep the format family next to the input', () => {
    assert.equal(defaultSliceOutputPath('/c/br0.pcap', 'time'), '/c/br0-window.pcap');
    assert.equal(defaultSliceOutputPath('/c/path.pcapng', 'filter'), '/c/path-filtered.pcapng');
    assert.equal(defaultSliceOutputPath('/c/x.cap', 'packets'), '/c/x-packets.pcap');
  });
});

describe('Merge Captures selection', () => {
  it('keeps capture files of the multi-selection once, in order; needs two', () => {
    assert.deepEqual(mergeInputs('/a/1.pcap', ['/a/1.pcap', '/a/notes.txt', '/a/2.PCAPNG', '/a/1.pcap', '/a/3.cap']), ['/a/1.pcap', '/a/2.PCAPNG', '/a/3.cap']);
    assert.throws(() => mergeInputs('/a/1.pcap', undefined), MergeSelectionError);
    assert.throws(() => mergeInputs('/a/1.pcap', ['/a/1.pcap', '/a/x.txt']), /not captures: x\.txt/);
  });

  it('the Explorer menu entry shows only on a multi-selection whose clicked item is a capture file', () => {
    const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as { contributes: { menus: Record<string, { command: string; when: string }[]> } };
    const entries = manifest.contributes.menus['explorer/context'].filter((m) => m.command === 'hopscope.captures.merge');
    assert.equal(entries.length, 1);
    assert.equal(entries[0].when, '!explorerResourceIsFolder && resourceExtname =~ /^\\.(pcap|pcapng|cap)$/ && listMultiSelection');
    const palette = manifest.contributes.menus.commandPalette.find((m) => m.command === 'hopscope.captures.merge');
    assert.equal(palette?.when, 'false', 'needs the Explorer selection: hidden from the palette');
  });

  it('default output: merged.pcap for classic inputs, merged.pcapng otherwise', () => {
    assert.equal(defaultMergeOutputPath(['/a/1.pcap', '/b/2.pcap']), '/a/merged.pcap');
    assert.equal(defaultMergeOutputPath(['/a/1.pcap', '/b/2.pcapng']), '/a/merged.pcapng');
  });
});

describe('exported files, checked with tcpdump -r', () => {
  let dir = '';
  let all: string[] = [];
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'hs2s-slice-'));
    all = tcpdumpTimes(FIXTURE);
  });
  after(() => { rmSync(dir, { recursive: true, force: true }); });

  it('selected packets 10-20,42: eleven plus one, their timestamps', async () => {
    const out = join(dir, 'packets.pcap');
    const r = await sliceCapture(FIXTURE, out, buildSliceOptions({ scope: 'packets', packets: '10-20,42' }));
    const got = tcpdumpTimes(out);
    assert.equal(r.packetsWritten, 12);
    assert.deepEqual(got, [...all.slice(9, 20), all[41]]);
  });

  it('a time window relative to the first packet: [+1, +2) holds what tcpdump shows in that second', async () => {
    const out = join(dir, 'window.pcap');
    await sliceCapture(FIXTURE, out, buildSliceOptions({ scope: 'time', from: '+1', to: '+2' }));
    const first = Number(all[0]);
    // µs text compared as µs integers (no float rounding at the edges).
    const us = (t: string): number => Math.round(Number(t) * 1e6);
    const expected = all.filter((t) => us(t) >= us(all[0]) + 1_000_000 && us(t) < us(all[0]) + 2_000_000);
    const got = tcpdumpTimes(out);
    assert.ok(expected.length > 0 && first > 0);
    assert.equal(got.length, expected.length);
    assert.equal(got[0], expected[0]);
    assert.equal(got.at(-1), expected.at(-1));
  });

  it('an absolute window (@epoch) gives the same packets as the relative one', async () => {
    const out = join(dir, 'abs.pcap');
    const base = Number(all[0].split('.')[0]);
    const frac = all[0].split('.')[1];
    await sliceCapture(FIXTURE, out, buildSliceOptions({ scope: 'time', from: `@${base + 1}.${frac}`, to: `@${base + 2}.${frac}` }));
    assert.deepEqual(tcpdumpTimes(out), tcpdumpTimes(join(dir, 'window.pcap')));
  });

  it('the display filter\'s packets: as many as tcpdump\'s own filter selects', async () => {
    const out = join(dir, 'filtered.pcap');
    await sliceCapture(FIXTURE, out, buildSliceOptions({ scope: 'filter', filter: 'icmp && ip.src == 10.225.1.2' }));
    const expected = tcpdumpTimes(FIXTURE, 'icmp and src host 10.225.1.2');
    const got = tcpdumpTimes(out);
    assert.equal(got.length, expected.length);
    assert.equal(got[0], expected[0]);
    assert.equal(got.at(-1), expected.at(-1));
  });

  it('Merge Captures of two Explorer files: every packet, in time order (tcpdump -r of the output)', async () => {
    const out = join(dir, 'merged.pcap');
    const inputs = mergeInputs(undefined, [PING6, TCP]);
    const r = await mergeCaptures(inputs, out);
    const expected = [...tcpdumpTimes(PING6), ...tcpdumpTimes(TCP)].sort();
    const got = tcpdumpTimes(out);
    assert.equal(r.packetsWritten, expected.length);
    assert.deepEqual(got, expected);
  });
});
