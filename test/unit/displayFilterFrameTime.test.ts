/**
 * Wireshark's frame fields in the display filter (frame.number/len/cap_len, frame.time_relative,
 * time_delta, time_delta_displayed, time_epoch and frame.time with local dates) against tshark -Y on
 * real captures, with tshark and us in the same non-UTC time zone (Asia/Shanghai, +08:00) so a
 * local/UTC mix-up shows. One tshark run per filter; the pcap editor's model (CaptureBrowser) and
 * slicing (sliceCapture) both evaluate them.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CaptureBrowser } from '../../src/core/browse/captureBrowser';
import { compileDisplayFilter } from '../../src/core/filter/compileDisplayFilter';
import { DisplayFilterError } from '../../src/core/filter/displayFilterSyntax';
import { readCaptureFile } from '../../src/core/pcap/captureStreamReader';
import { sliceCapture } from '../../src/core/slice/sliceCapture';

const ZONE = 'Asia/Shanghai';
process.env.TZ = ZONE; // Node re-reads TZ when it changes: local dates below are +08:00, as for tshark.

const fixtures = join(__dirname, '..', 'fixtures');
const tmp = mkdtempSync(join(tmpdir(), 'hopscope-frametime-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function tsharkNumbers(file: string, filter: string): number[] {
  const out = execFileSync('tshark', ['-r', file, '-Y', filter, '-T', 'fields', '-e', 'frame.number'], {
    encoding: 'utf8', env: { ...process.env, TZ: ZONE }, stdio: ['ignore', 'pipe', 'ignore'],
  });
  return out.split('\n').filter(Boolean).map(Number);
}

async function browserNumbers(b: CaptureBrowser, filter: string): Promise<number[]> {
  const { view, count } = await b.applyFilter(filter);
  return (await b.rows(view, 0, count)).map((r) => r.number);
}

// stats-mix.pcap: 339 packets (µs) from 2026-11-23 23:05:20.104942 +08:00 (15:05:20 UTC) to 23:05:24.740425.
const STATS_MIX: string[] = [
  'frame.number >= 300 && frame.len > 100',
  'frame.cap_len < 72',
  'frame.time_relative >= 1.5 and frame.time_relative < 3',
  'frame.time_relative == 0.000026',
  'frame.time_delta > 0.01',
  'frame.time_delta_displayed < 0.01',
  'frame.time_delta_displayed > 0.05 or icmp',
  'frame.time_epoch >= 1795446323.1 and frame.time_epoch < 1795446323.3',
  'frame.time >= "2026-11-23 23:05:23.25"',
  'frame.time < "Nov 23, 2026 23:05:21"',
  'frame.time != "2026-11-23 23:05:20.104942"',
  'frame.time >= "2026-11-23 15:05:24 UTC"',
];
// lo-nsec.pcapng: 14 packets with ns timestamps from 2026-11-23 20:46:19.508455 +08:00.
const LO_NSEC: string[] = [
  'frame.time_relative > 0.4 && frame.time_relative <= 0.643983',
  'frame.time == "2026-11-23 20:46:19.950198"',
  'frame.time_delta < 0.00002',
  'frame.time_delta_displayed >= 0.2 or frame.number == 1',
  'frame.time >= "2026-11-23T20:46:20" and frame.time_delta > 0.01',
];

describe(`display filter frame fields match tshark -Y (TZ=${ZONE})`, () => {
  for (const [name, filters] of [['stats/stats-mix.pcap', STATS_MIX], ['pcap/lo-nsec.pcapng', LO_NSEC]] as const) {
    it(`${name}: the pcap editor's filter selects the packets tshark selects`, async () => {
      const file = join(fixtures, name);
      const b = new CaptureBrowser(file);
      await b.open();
      for (const filter of filters) {
        const expected = tsharkNumbers(file, filter);
        assert.ok(expected.length > 0 || filter.includes('delta_displayed'), `${filter}: tshark selects something`);
        assert.deepEqual(await browserNumbers(b, filter), expected, filter);
      }
    });
  }

  it('slicing by a time_delta_displayed filter writes the packets tshark displays', async () => {
    const file = join(fixtures, 'stats', 'stats-mix.pcap');
    const filter = 'frame.time_delta_displayed > 0.05 or icmp';
    const out = join(tmp, 'sliced.pcap');
    const r = await sliceCapture(file, out, { displayFilter: filter });
    const written: number[] = [];
    await readCaptureFile(out, { onRecord: (rec) => { written.push(rec.tsSec * 1e6 + Math.round(rec.tsNsec / 1e3)); } });
    const expected = execFileSync('tshark', ['-r', file, '-Y', filter, '-T', 'fields', '-e', 'frame.time_epoch'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
      .split('\n').filter(Boolean).map((t) => { const [s, f] = t.split('.'); return Number(s) * 1e6 + Number(f.slice(0, 6)); });
    assert.equal(r.packetsWritten, expected.length);
    assert.deepEqual(written, expected);
  });
});

describe('display filter time values: clear errors', () => {
  const errorOf = (text: string): DisplayFilterError => {
    try { compileDisplayFilter(text); } catch (e) { if (e instanceof DisplayFilterError) return e; throw e; }
    assert.fail(`'${text}' compiled without error`);
  };
  const cases: [string, RegExp, number][] = [
    ['frame.time >= "yesterday"', /"yesterday" is not a date and time \(e\.g\. "2026-11-23 10:00:00"/, 14],
    ['frame.time >= "2026-11-23 25:00:00"', /not a valid date and time \(month 1-12, day of that month, hour 0-23/, 14],
    ['frame.time >= "2026-02-30 10:00"', /not a valid date and time/, 14],
    ['frame.time >= "Foo 23, 2026 10:00:00"', /'Foo' is not a month name/, 14],
    ['frame.time >= 2026-11-23', /takes a quoted date and time, e\.g\. frame\.time >= "2026-11-23 10:00:00" \(local time\)/, 14],
    ['frame.time_relative > "1.5"', /takes seconds without quotes/, 22],
    ['frame.time_relative > 1.5s', /'1\.5s' is not a time in seconds/, 22],
    ['frame.time_epoch >= "2026-11-23 10:00"', /use frame\.time for a date/, 20],
    ['frame.time_delta > abc', /'abc' is not a time in seconds/, 19],
  ];
  for (const [text, message, position] of cases) {
    it(`${text} → ${message.source.slice(0, 40)}… at ${position}`, () => {
      const e = errorOf(text);
      assert.match(e.message, message);
      assert.equal(e.position, position);
    });
  }

  it('frame.time fields are always present, as in Wireshark', () => {
    assert.equal(compileDisplayFilter('frame.time_delta_displayed and frame.time')(undefined as never, new Uint8Array(0), {
      number: 1, length: 1, capLength: 1, tsSec: 0, tsNsec: 0, relativeNs: -5, deltaNs: -5, deltaDisplayedNs: 0,
    }), true);
  });
});
