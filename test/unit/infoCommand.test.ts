import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCliInProcess } from '../support/runCliInProcess';
import { fixture, runTool } from './pcapTestTools';

const cli = runCliInProcess;

/** capinfos -M facts in our units: packets, data size, first/last time (ISO), duration, rates. */
function capinfosFacts(file: string): Record<string, string> {
  const text = runTool('capinfos', ['-M', file]);
  const get = (label: string): string => new RegExp(`^${label}:\\s+(.*)$`, 'm').exec(text)?.[1] ?? '?';
  // capinfos prints as many decimals as the file's resolution; we always print nine.
  const iso = (t: string): string => `${t.replace(' ', 'T').padEnd(29, '0')}Z`;
  return {
    packets: get('Number of packets'),
    data: get('Data size').replace(' bytes', ''),
    first: iso(get('First packet time')),
    last: iso(get('Last packet time')),
    duration: get('Capture duration').replace(' seconds', '').padEnd(11, '0'),
    byteRate: get('Data byte rate').replace(' bytes/sec', ''),
    packetRate: get('Average packet rate').replace(' packets/sec', ''),
  };
}

for (const name of ['lo.pcap', 'lo-nsec-be.pcap', 'merged.pcapng']) {
  test(`info: ${name} agrees with capinfos (text and --json)`, async () => {
    const g = capinfosFacts(fixture(name));
    const text = await cli(['info', fixture(name)]);
    assert.equal(text.code, 0);
    assert.equal(text.stderr, '');
    assert.match(text.stdout, new RegExp(`^Packets:\\s+${g.packets}$`, 'm'));
    assert.match(text.stdout, new RegExp(`^First packet time:\\s+${g.first}$`, 'm'));
    assert.match(text.stdout, new RegExp(`^Last packet time:\\s+${g.last}$`, 'm'));
    assert.match(text.stdout, new RegExp(`^Duration:\\s+${g.duration} s$`, 'm'));
    assert.match(text.stdout, new RegExp(`^Data bytes:\\s+${g.data} `, 'm'));
    // Rates: capinfos rounds its own way in the last digit.
    const rate = /^Average rate:\s+([\d.]+) packets\/s, ([\d.]+) bytes\/s$/m.exec(text.stdout);
    assert.ok(rate);
    assert.ok(Math.abs(Number(rate[1]) - Number(g.packetRate)) <= 0.011, `${rate[1]} vs ${g.packetRate}`);
    assert.ok(Math.abs(Number(rate[2]) - Number(g.byteRate)) <= 0.011, `${rate[2]} vs ${g.byteRate}`);
    assert.match(text.stdout, /^Interface 0:\s+EN10MB \(1\)/m);
    const json = await cli(['info', '--json', fixture(name)]);
    assert.equal(json.code, 0);
    const parsed = JSON.parse(json.stdout) as { packets: number; dataBytes: number; firstTime: string; format: string };
    assert.equal(parsed.packets, Number(g.packets));
    assert.equal(parsed.dataBytes, Number(g.data));
    assert.equal(parsed.firstTime, g.first);
  });
}

test('info: errors are one line on stderr with the right exit code', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hsp-info-'));
  try {
    const missing = await cli(['info', join(dir, 'nope.pcap')]);
    assert.equal(missing.code, 2);
    assert.equal(missing.stderr, `hopscope info: cannot open ${join(dir, 'nope.pcap')}: no such file\n`);
    const textFile = join(dir, 'notes.txt');
    writeFileSync(textFile, 'not a capture\n');
    const notCapture = await cli(['info', textFile]);
    assert.equal(notCapture.code, 1);
    assert.equal(notCapture.stdout, '');
    assert.match(notCapture.stderr, /^hopscope info: .*notes\.txt: not a capture file: unknown magic 0x6e6f7420 at byte 0\n$/);
    // Truncated: the summary of what was read, then the error with its offset.
    const bytes = readFileSync(fixture('lo.pcap'));
    const cut = join(dir, 'cut.pcap');
    writeFileSync(cut, bytes.subarray(0, 5000));
    // tcpdump prints the complete packets, then fails on the truncated one.
    const tcpdump = spawnSync('tcpdump', ['-nn', '-r', cut], { encoding: 'utf8' });
    assert.notEqual(tcpdump.status, 0);
    const golden = tcpdump.stdout.trim().split('\n').length;
    const truncated = await cli(['info', cut]);
    assert.equal(truncated.code, 1);
    assert.match(truncated.stdout, new RegExp(`^Packets:\\s+${golden}$`, 'm'));
    assert.match(truncated.stderr, /^hopscope info: .*cut\.pcap: truncated record at byte \d+ \(needed \d+ bytes, have \d+\)\n$/);
    const usage = await cli(['info']);
    assert.equal(usage.code, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('info: the built dist/cli.js prints the same summary', async () => {
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'ignore' });
  const r = spawnSync(process.execPath, ['dist/cli.js', 'info', fixture('merged.pcapng')], { encoding: 'utf8' });
  assert.equal(r.status, 0);
  assert.equal(r.stdout, (await cli(['info', fixture('merged.pcapng')])).stdout);
  const missing = spawnSync(process.execPath, ['dist/cli.js', 'info', 'no-such-file.pcap'], { encoding: 'utf8' });
  assert.equal(missing.status, 2);
});
