/**
 * The capture-text language server through the protocol (bundled server over stdio, JSON-RPC) on
 * real tcpdump text (test/fixtures/languageServer, written by test/lab/fixtures/languageServerCaptures.ts
 * from real traffic in namespaces): diagnostics, hovers, outline, definitions across two hops,
 * the "Capture only this flow" quick fix (its filter checked by tcpdump -d), code lenses, appends.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MarkupContent } from 'vscode-languageserver-protocol';
import { startLanguageServer, type LanguageServerSession } from '../support/languageServerSession';
import { expectedFindings, recordLines, sortFindings, type CaptureAddresses } from '../support/captureTextExpectations';

const dir = join(import.meta.dirname, '../fixtures/languageServer');
const read = (name: string): string => readFileSync(join(dir, name), 'utf8');
const addr = JSON.parse(read('addresses.json')) as CaptureAddresses;
const uriOf = (name: string): string => `file:///captures/${name}`;
const esc = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('capture-text language server (protocol, real tcpdump text)', () => {
  let lsp: LanguageServerSession;
  before(async () => { lsp = await startLanguageServer(); });
  after(async () => { await lsp.stop(); });

  for (const name of ['client.tcpdump', 'client-v.tcpdump', 'client-e-tttt.tcpdump']) {
    it(`diagnostics of ${name}: codes on the lines tcpdump printed them`, async () => {
      const text = read(name);
      lsp.open(uriOf(name), text);
      const got = sortFindings((await lsp.diagnostics(uriOf(name))).map((d) => ({ code: String(d.code), line: d.range.start.line })));
      const want = expectedFindings(text, addr);
      assert.ok(want.length >= 6, 'the fixture shows every expected fault');
      assert.deepEqual(got, want);
    });
  }

  it('diagnostic messages: retransmission and SYN retransmission intervals, unanswered ARP count', async () => {
    const ds = await lsp.diagnostics(uriOf('client.tcpdump'));
    const syn = ds.find((d) => d.code === 'HS102');
    assert.match(String(syn?.message), /^tcp-syn-retransmission: SYN retransmitted 1\.0\d\d s after .*TS val \+10\d\d ms/);
    const rexmit = ds.find((d) => d.code === 'HS101');
    assert.match(String(rexmit?.message), /^tcp-retransmission: TCP retransmission of seq 1:201, first sent at line \d+ 2\d\d\.\d ms after\./);
    const arp = ds.find((d) => d.code === 'HS301');
    assert.match(String(arp?.message), new RegExp(`who-has ${esc(addr.absent)}: 2 requests, no reply`));
  });

  it('hover explains the SYN-ACK and gives the handshake round trip', async () => {
    const text = read('client.tcpdump');
    const [line] = recordLines(text, new RegExp(`${esc(addr.server)}\\.8080 > .*Flags \\[S\\.\\]`));
    const h = await lsp.hover(uriOf('client.tcpdump'), line);
    const v = (h?.contents as MarkupContent).value;
    assert.match(v, /SYN-ACK: the server accepts the connection/);
    const ws = /wscale (\d+): windows from this side are multiplied by (\d+)\./.exec(v);
    assert.equal(ws?.[1], /wscale (\d+)\]/.exec(text.split('\n')[line])?.[1]);
    assert.equal(Number(ws?.[2]), 2 ** Number(ws?.[1]));
    assert.match(v, /sackOK/);
    assert.match(v, /Round trip \(SYN → SYN-ACK\): \d+ µs — request at line \d+/);
    assert.match(v, /since the previous packet of this conversation/);
  });

  it('hover on an echo reply gives the ping round trip; a blank position has none', async () => {
    const text = read('client.tcpdump');
    const [req] = recordLines(text, /ICMP echo request, id \d+, seq 1,/);
    const [rep] = recordLines(text, /ICMP echo reply, id \d+, seq 1,/);
    const v = ((await lsp.hover(uriOf('client.tcpdump'), rep))?.contents as MarkupContent).value;
    assert.match(v, /echo reply \(the answer to a ping\)/);
    assert.match(v, new RegExp(`Round trip \\(echo\\): [\\d.]+ (µs|ms) — request at line ${req + 1}\\.`));
    assert.equal(await lsp.hover(uriOf('client.tcpdump'), text.split('\n').length + 5), null);
  });

  it('outline: conversations with packet counts, packets as children', async () => {
    const text = read('client.tcpdump');
    const syms = await lsp.symbols(uriOf('client.tcpdump'));
    const port = new RegExp(`${esc(addr.client)}\\.(\\d+) > ${esc(addr.server)}\\.8080:`).exec(text)?.[1];
    const tcp = syms.find((s) => s.name === `TCP ${addr.client}:${port} ↔ ${addr.server}:8080`);
    const count = text.split('\n').filter((l) => l.includes(`.${port} `) || l.includes(`.${port}:`)).length;
    assert.ok(tcp, syms.map((s) => s.name).join(', '));
    assert.equal(tcp.detail, `${count} packets`);
    assert.equal(tcp.children?.length, count);
    assert.match(tcp.children?.[0].name ?? '', /\[S\] seq \d+$/);
    assert.ok(syms.some((s) => s.name === `ARP ${addr.absent}` && s.detail === '2 packets'));
  });

  it('definition: the same ping at the other hop (server-side capture), also from the -v text', async () => {
    lsp.open(uriOf('server.tcpdump'), read('server.tcpdump'));
    await lsp.diagnostics(uriOf('server.tcpdump'));
    const server = read('server.tcpdump');
    for (const [from, seqRe] of [['client.tcpdump', /ICMP echo request, id \d+, seq 2,/], ['client-v.tcpdump', /ICMP echo request, id \d+, seq 2,/]] as const) {
      const [line] = recordLines(read(from), seqRe);
      const defs = await lsp.definition(uriOf(from), line);
      const inServer = defs.filter((d) => d.uri === uriOf('server.tcpdump'));
      assert.deepEqual(inServer.map((d) => d.range.start.line), recordLines(server, seqRe), from);
    }
  });

  it('code lens: conversations seen in several open captures', async () => {
    const lenses = await lsp.codeLenses(uriOf('server.tcpdump'));
    const titles = lenses.map((l) => l.command?.title ?? '');
    assert.ok(titles.some((t) => /^seen in 4 captures, last at \S+ \(client/.test(t)), titles.join('\n'));
  });

  it('quick fix "Capture only this flow" carries a BPF filter tcpdump accepts', async () => {
    const ds = await lsp.diagnostics(uriOf('client.tcpdump'));
    const rst = ds.find((d) => d.code === 'HS103');
    assert.ok(rst);
    const actions = await lsp.codeActions(uriOf('client.tcpdump'), rst.range.start.line, [rst]);
    assert.equal(actions.length, 1);
    const cmd = actions[0].command;
    assert.equal(cmd?.command, 'hopscope.capture.start');
    const filter = (cmd?.arguments?.[0] as { filter: string }).filter;
    assert.match(filter, new RegExp(`^tcp and .*src port 9 `));
    const r = spawnSync('tcpdump', ['-d', '-y', 'EN10MB', filter], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(actions[0].diagnostics?.map((d) => d.code), ['HS103']);
  });

  it('-i any on a bridge and its port: each second copy is one HS402, nothing else', async () => {
    const text = read('server-any-v.tcpdump');
    lsp.open(uriOf('server-any-v.tcpdump'), text);
    const ds = await lsp.diagnostics(uriOf('server-any-v.tcpdump'));
    // Records from the text: a timestamped line and its indented continuation lines.
    const records: { line: number; seconds: number; iface: string; key: string }[] = [];
    text.split('\n').forEach((l, i) => {
      const m = /^(\d\d):(\d\d):(\d\d\.\d+) (\S+)\s+(?:In|Out|B|M|P)\s+(.*)$/.exec(l);
      if (m) records.push({ line: i, seconds: Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]), iface: m[4], key: m[5] });
      else if (records.length > 0 && l !== '') records[records.length - 1].key += `\n${l}`;
    });
    const copies = records.filter((r, i) => records.slice(0, i).some((e) => e.key === r.key && e.iface !== r.iface && r.seconds - e.seconds < 0.01));
    assert.ok(copies.length > 20, 'the bridge doubled the traffic');
    assert.ok(copies.some((r) => r.iface === 'br0') && copies.some((r) => r.iface !== 'br0'));
    const dup = ds.filter((d) => d.code === 'HS402').map((d) => d.range.start.line);
    assert.deepEqual(dup, copies.map((r) => r.line));
    for (const line of dup) assert.deepEqual(ds.filter((d) => d.range.start.line === line).map((d) => d.code), ['HS402']);
    for (const code of ['HS102', 'HS105', 'HS301', 'HS303']) assert.equal(ds.filter((d) => d.code === code).length, 1, code);
  });

  it('a growing document (appends) reaches the same diagnostics as the whole text', async () => {
    const text = read('client-v.tcpdump');
    const lines = text.split('\n');
    const uri = uriOf('live-pane');
    lsp.open(uri, '');
    let version = 1;
    let at = { line: 0, character: 0 };
    // Cut inside two-line -v records too: 7 lines per append.
    for (let i = 0; i < lines.length; i += 7) {
      const chunk = lines.slice(i, i + 7).join('\n') + (i + 7 < lines.length ? '\n' : '');
      lsp.change(uri, [{ range: { start: at, end: at }, text: chunk }]);
      version++;
      const parts = chunk.split('\n');
      at = parts.length === 1 ? { line: at.line, character: at.character + chunk.length } : { line: at.line + parts.length - 1, character: parts.at(-1)?.length ?? 0 };
    }
    const got = sortFindings((await lsp.diagnostics(uri, version)).map((d) => ({ code: String(d.code), line: d.range.start.line })));
    assert.deepEqual(got, expectedFindings(text, addr));
  });
});
