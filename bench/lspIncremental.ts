/**
 * A live capture pane grows: how long the language server takes to show diagnostics after 1,000
 * lines are appended to a 200,000-line document, through the protocol (bundled server over stdio)
 * and in the core model alone, against a full re-parse of the same text.
 * Input: the real tcpdump text of test/fixtures/languageServer/client.tcpdump, repeated with the
 * client address and the clock moved on per copy (so conversations do not collapse into one).
 * Run: node --import tsx bench/lspIncremental.ts
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CaptureTextDocument } from '../src/core/textAnalysis/captureTextDocument';
import { startLanguageServer } from '../test/support/languageServerSession';

const dir = join(import.meta.dirname, '..', 'test', 'fixtures', 'languageServer');
const once = readFileSync(join(dir, 'client.tcpdump'), 'utf8').trimEnd().split('\n');
const { client } = JSON.parse(readFileSync(join(dir, 'addresses.json'), 'utf8')) as { client: string };
const clientRe = new RegExp(client.replace(/\./g, '\\.').replace(/\\\.\d+$/, '\\.\\d+'), 'g');

function copy(k: number): string[] {
  const addr = `10.${(k >> 8) % 256}.${k % 256}.1`;
  return once.map((l) => l.replace(clientRe, addr).replace(/^(\d\d):(\d\d):(\d\d\.\d+)/, (_m, h: string, m: string, s: string) => {
    const t = (Number(h) * 3600 + Number(m) * 60 + Number(s) + k * 6) % 86400;
    const hh = Math.floor(t / 3600);
    const mm = Math.floor((t % 3600) / 60);
    return `${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}:${(t % 60).toFixed(6).padStart(9, '0')}`;
  }));
}

function linesFrom(k0: number, count: number): string[] {
  const out: string[] = [];
  for (let k = k0; out.length < count; k++) out.push(...copy(k));
  return out.slice(0, count);
}

const base = linesFrom(0, 200_000);
const added = linesFrom(Math.ceil(200_000 / once.length) + 1, 1_000);
const baseText = `${base.join('\n')}\n`;
const addedText = `${added.join('\n')}\n`;

function ms(t0: bigint): number {
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

// Core model.
let t0 = process.hrtime.bigint();
const doc = new CaptureTextDocument(baseText);
const openMs = ms(t0);
const before = doc.analyzer.allFindings().length;
t0 = process.hrtime.bigint();
const end = doc.endPosition();
const update = doc.edit(end, end, addedText);
const findings = doc.analyzer.allFindings();
const appendMs = ms(t0);
t0 = process.hrtime.bigint();
const full = new CaptureTextDocument(baseText + addedText);
const fullFindings = full.analyzer.allFindings().length;
const fullMs = ms(t0);
console.log(`core: open 200k lines ${openMs.toFixed(0)} ms (${before} findings); append 1k lines + findings ${appendMs.toFixed(1)} ms `
  + `(reparsed from line ${update.reparsedFromLine}, reanalysed ${update.reanalysed}, ${findings.length} findings); full re-parse ${fullMs.toFixed(0)} ms (${fullFindings} findings)`);

async function throughProtocol(): Promise<void> {
const lsp = await startLanguageServer();
try {
  const uri = 'file:///bench/live-pane.tcpdump';
  t0 = process.hrtime.bigint();
  lsp.open(uri, baseText);
  const d0 = await lsp.diagnostics(uri, 1, 300_000);
  const lspOpenMs = ms(t0);
  t0 = process.hrtime.bigint();
  lsp.change(uri, [{ range: { start: end, end }, text: addedText }]);
  const d1 = await lsp.diagnostics(uri, 2, 300_000);
  const lspAppendMs = ms(t0);
  console.log(`protocol: open 200k lines → diagnostics ${lspOpenMs.toFixed(0)} ms (${d0.length}); append 1k lines → diagnostics ${lspAppendMs.toFixed(0)} ms (${d1.length}, includes the 50 ms batching delay)`);
} finally {
  await lsp.stop();
}
}
void throughProtocol();
