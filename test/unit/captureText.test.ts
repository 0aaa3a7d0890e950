// The Print Capture File document text against tcpdump's own output of the same file.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureFileAsTcpdumpText } from '../../src/extension/captureText';

const SAMPLE = 'samples/two-hop-ping.pcap';
const tcpdumpText = (file: string): string =>
  execFileSync('tcpdump', ['-nn', '-tttt', '-r', file], { stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, TZ: 'UTC' } }).toString();

describe('captureFileAsTcpdumpText', () => {
  const dir = mkdtempSync(join(tmpdir(), `hse-captext-${process.pid}-`));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('equals tcpdump -nn -tttt -r (UTC) on the sample capture', async () => {
    assert.equal(await captureFileAsTcpdumpText(SAMPLE), tcpdumpText(SAMPLE));
  });

  it('keeps the complete packets of a truncated file and ends with where it stopped', async () => {
    const bytes = readFileSync(SAMPLE);
    const cut = join(dir, 'cut.pcap');
    writeFileSync(cut, bytes.subarray(0, bytes.length - 10));
    const expectedLines = tcpdumpText(SAMPLE).trimEnd().split('\n');
    const lines = (await captureFileAsTcpdumpText(cut)).trimEnd().split('\n');
    assert.deepEqual(lines.slice(0, -1), expectedLines.slice(0, -1));
    assert.match(lines.at(-1) ?? '', /^\[hopscope: .* at byte offset \d+; \d+ packets shown\]$/);
  });

  it('rejects a file that is not a capture with a clear error', async () => {
    const text = join(dir, 'notes.pcap');
    writeFileSync(text, 'these are notes, not packets\n');
    await assert.rejects(captureFileAsTcpdumpText(text), /notes\.pcap is not a readable capture: /);
  });
});
