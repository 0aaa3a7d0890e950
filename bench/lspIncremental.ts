/**
 * A live capture pane grows: how long the language server takes to show diagnostics after 1,000
 * lines are appended to a 200,000-line document, through the protocol (bundled server over stdio)
 * and in the core model alone, against a full re-parse of the same text.
 * Input: the real tcpdump text of test/fixtures/languageServer/client.tcpdump, repeated with the
 * client address and the clock moved on per copy (so conversations do not collapse into one).
 * Two texts: all of it (a fault in every ~8 lines: the worst case for diagnostics) and only its
 * healthy exchanges (TCP to 8080 and ping: no findings).
 * Run: node --import tsx bench/lspIncremental.ts
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CaptureTextDocument } from '../src/core/textAnalysis/captureTextDocument';
import { startLanguageServer } from '../test/support/languageServerSession';

const dir = join(import.meta.dirname, '..', 'test', 'fixtures', 'languageServer');
const fixture = readFileSync(join(dir, 'client.tcpdump'), 'utf8').trimEnd().split('\n');
const { client } = JSON.parse(readFileSync(join(dir, 'addresses.json'), 'utf8')) as { client: string };
const clientRe = new RegExp(client.replace(/\./g, '\\.'), 'g');

function copy(once: string[], k: number): string[] {
  const addr = `10.${(k >> 8) % 256}.${k % 256}.1`;
  return once.map((l) => l.replace(clientRe, addr).replace(/^(\d\d):(\d\d):(\d\d\.\d+)/, (_m, h: string, m: string, s: string) => {
    const t = (Number(h) * 3600 + Number(m) * 60 + Number(s) + k * 6) % 86400;
    const hh = Math.floor(t / 3600);
    const mm = Math.floor((t % 3600) / 60);
    return `${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}:${(t % 60).toFixed(6).padStart(9, '0')}`;
  }));
}

function linesFrom(once: string[], k0: number, count: number): string[] {
  const out: string[] = [];
  for (let k = k0; out.length < count; k++) out.push(...copy(once, k));
  return out.slice(0, count);
}

const ms = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e6;

async function scenario(name: string, once: string[]): Promise<void> {
  const copies = Math.ceil(200_000 / once.length);
  const baseText = `${linesFrom(once, 0, 200_000).join('\n')}\n`;
  const appends = [0, 1, 2].map((i) => `${linesFrom(once, copies + 1 + i * (Math.ceil(1000 / once.length) + 1), 1_000).join('\n')}\n`);

  let t0 = process.hrtime.bigint();
  const doc = new CaptureTextDocument(baseText);
  const openMs = ms(t0);
  const end = doc.endPosition();
  t0 = process.hrtime.bigint();
  const update = doc.edit(end, end, appends[0]);
  const findings = doc.analyzer.allFindings();
  const appendMs = ms(t0);
  t0 = process.hrtime.bigint();
  new CaptureTextDocument(baseText + appends[0]).analyzer.allFindings();
  const fullMs = ms(t0);
  console.log(`${name} core: open 200k lines ${openMs.toFixed(0)} ms; append 1k lines + findings ${appendMs.toFixed(1)} ms `
    + `(re-parsed from line ${update.reparsedFromLine}, re-analysed: ${update.reanalysed}, ${findings.length} findings); whole re-parse ${fullMs.toFixed(0)} ms`);

  const lsp = await startLanguageServer();
  try {
    const uri = `file:///bench/${name}.tcpdump`;
    t0 = process.hrtime.bigint();
    lsp.open(uri, baseText);
    const d0 = await lsp.diagnostics(uri, 1, 300_000);
    const lspOpenMs = ms(t0);
    let at = end;
    const times: number[] = [];
    let count = 0;
    for (let i = 0; i < appends.length; i++) {
      t0 = process.hrtime.bigint();
      lsp.change(uri, [{ range: { start: at, end: at }, text: appends[i] }]);
      count = (await lsp.diagnostics(uri, 2 + i, 300_000)).length;
      times.push(ms(t0));
      at = { line: at.line + 1000, character: 0 };
    }
    console.log(`${name} protocol: open 200k lines → diagnostics ${lspOpenMs.toFixed(0)} ms (${d0.length}); `
      + `append 1k lines → diagnostics ${times.map((t) => t.toFixed(0)).join(' / ')} ms (${count} diagnostics; includes the 50 ms batching delay)`);
  } finally {
    await lsp.stop();
  }
}

async function main(): Promise<void> {
  await scenario('faulty', fixture);
  await scenario('healthy', fixture.filter((l) => /\.8080[ :]|ICMP echo/.test(l)));
}
void main();
