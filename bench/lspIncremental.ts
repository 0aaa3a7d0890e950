/**
 * The capture-text language server on a 200,000-line document, in CPU time (the machine is shared:
 * wall time says little). In the core model alone (this process, process.cpuUsage) and through
 * the protocol (bundled server over stdio; its CPU time from /proc/<pid>/stat):
 * - open (parse + analysis; diagnostics published);
 * - append 1,000 whole lines at the end (a live pane);
 * - a mid-line cut at the end: the last line cut in its middle, then completed (a partial append);
 * - an edit in the middle (one character changed on line 100,000);
 * against a whole analysis of the same text (what an edit cost before it was incremental).
 * Input: the real tcpdump text of test/fixtures/languageServer/client.tcpdump, repeated with the
 * client address and the clock moved on per copy (so conversations do not collapse into one).
 * Two texts: all of it (a fault in every ~8 lines: the worst case for diagnostics) and only its
 * healthy exchanges (TCP to 8080 and ping: no findings).
 * Run: node --import tsx bench/lspIncremental.ts
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CaptureTextDocument, type TextPosition } from '../src/core/textAnalysis/captureTextDocument';
import { parseTcpdumpText } from '../src/core/tcpdumpText/parseTcpdumpText';
import { startLanguageServer, type LanguageServerSession } from '../test/support/languageServerSession';

const dir = join(import.meta.dirname, '..', 'test', 'fixtures', 'languageServer');
const fixture = readFileSync(join(dir, 'client.tcpdump'), 'utf8').trimEnd().split('\n');
const { client } = JSON.parse(readFileSync(join(dir, 'addresses.json'), 'utf8')) as { client: string };
const clientRe = new RegExp(client.replace(/\./g, '\\.'), 'g');
const LINES = 200_000;

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

/** CPU milliseconds (user + system) of this process spent in `f`. */
function cpuOf<T>(f: () => T): [T, number] {
  const c0 = process.cpuUsage();
  const r = f();
  const c = process.cpuUsage(c0);
  return [r, (c.user + c.system) / 1000];
}

/** CPU milliseconds (utime + stime) a process has used so far. */
function processCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // clock ticks (USER_HZ 100)
}

interface Edit { name: string; start: TextPosition; end: TextPosition; text: string }

/** The four edits, in order, on a document of `base` + its state after the previous ones. */
function edits(base: string[], appended: string[]): Edit[] {
  const n = base.length; // the text ends with '\n': line n is the empty last line
  const lastLine = n + appended.length - 1;
  const last = appended[appended.length - 1];
  const cut = Math.floor(last.length / 2);
  const mid = Math.floor(n / 2);
  return [
    { name: 'append 1k lines', start: { line: n, character: 0 }, end: { line: n, character: 0 }, text: `${appended.join('\n')}\n` },
    { name: 'cut the last line mid-line', start: { line: lastLine, character: cut }, end: { line: lastLine + 1, character: 0 }, text: '' },
    { name: 'complete it (partial append)', start: { line: lastLine, character: cut }, end: { line: lastLine, character: cut }, text: `${last.slice(cut)}\n` },
    { name: 'edit line 100k (1 char)', start: { line: mid, character: 20 }, end: { line: mid, character: 21 }, text: '9' },
  ];
}

async function scenario(name: string, once: string[]): Promise<void> {
  const base = linesFrom(once, 0, LINES);
  const baseText = `${base.join('\n')}\n`;
  const appended = linesFrom(once, Math.ceil(LINES / once.length) + 1, 1_000);
  const [, parseMs] = cpuOf(() => parseTcpdumpText(baseText));
  const [doc, openMs] = cpuOf(() => new CaptureTextDocument(baseText));
  const [findings] = cpuOf(() => doc.analyzer.allFindings());
  console.log(`${name} core: open ${LINES} lines ${openMs.toFixed(0)} ms CPU (parse alone ${parseMs.toFixed(0)} ms), ${findings.length} findings`);
  for (const e of edits(base, appended)) {
    const [update, ms] = cpuOf(() => { const u = doc.edit(e.start, e.end, e.text); doc.analyzer.allFindings(); return u; });
    const [, wholeMs] = cpuOf(() => new CaptureTextDocument(doc.text).analyzer.allFindings());
    console.log(`${name} core: ${e.name} + findings ${ms.toFixed(1)} ms CPU (re-parsed from line ${update.reparsedFromLine}, `
      + `${doc.analyzer.packets.length - update.packetsKept} packets fed again); whole analysis ${wholeMs.toFixed(0)} ms`);
  }

  let lsp: LanguageServerSession | undefined;
  try {
    lsp = await startLanguageServer();
    const pid = lsp.pid;
    if (pid === undefined) throw new Error('no server pid');
    const uri = `file:///bench/${name}.tcpdump`;
    let cpu0 = processCpuMs(pid);
    const own0 = process.cpuUsage();
    lsp.open(uri, baseText);
    const d0 = await lsp.diagnostics(uri, 1, 600_000);
    const own = process.cpuUsage(own0);
    console.log(`${name} protocol: open → diagnostics: server ${(processCpuMs(pid) - cpu0).toFixed(0)} ms CPU (${d0.length} diagnostics; client side ${((own.user + own.system) / 1000).toFixed(0)} ms CPU)`);
    let version = 1;
    for (const e of edits(base, appended)) {
      cpu0 = processCpuMs(pid);
      lsp.change(uri, [{ range: { start: e.start, end: e.end }, text: e.text }]);
      const ds = await lsp.diagnostics(uri, ++version, 600_000);
      console.log(`${name} protocol: ${e.name} → diagnostics: server ${(processCpuMs(pid) - cpu0).toFixed(0)} ms CPU (${ds.length} diagnostics)`);
    }
  } finally {
    await lsp?.stop();
  }
}

async function main(): Promise<void> {
  await scenario('faulty', fixture);
  await scenario('healthy', fixture.filter((l) => /\.8080[ :]|ICMP echo/.test(l)));
}
void main();
