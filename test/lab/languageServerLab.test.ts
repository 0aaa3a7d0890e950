/**
 * The capture-text language server on tcpdump text captured now: two namespaces (the server
 * behind a bridge), real tcpdump on both ends, real kernel traffic (languageServerCaptures.ts).
 * Diagnostics where the faults are, the same ping found at the other hop, -i any duplicates.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { captureLanguageServerText, type LanguageServerCaptures } from './fixtures/languageServerCaptures';
import { startLanguageServer, type LanguageServerSession } from '../support/languageServerSession';
import { expectedFindings, recordLines, sortFindings } from '../support/captureTextExpectations';

describe('language server on live captures (lab)', () => {
  let cap: LanguageServerCaptures;
  let lsp: LanguageServerSession | undefined;
  before(async () => {
    cap = await captureLanguageServerText('lt', { prefix: 'hs2l', net16: '10.224' });
    lsp = await startLanguageServer();
    for (const [name, text] of [['client', cap.client], ['client-v', cap.clientVerbose], ['server', cap.server], ['server-any', cap.serverAny]]) {
      lsp.open(`file:///lab/${name}.tcpdump`, text);
    }
  });
  after(async () => { await lsp?.stop(); });

  const addresses = (): { client: string; server: string; absent: string } => ({ client: cap.clientAddress, server: cap.serverAddress, absent: cap.absentAddress });

  for (const [name, pick] of [['client', (c: LanguageServerCaptures) => c.client], ['client-v', (c: LanguageServerCaptures) => c.clientVerbose]] as const) {
    it(`${name}: retransmission, RST, zero window, SYN retransmission, one-sided SYN, DNS without answer, port unreachable, ARP without reply`, async () => {
      assert.ok(lsp);
      const ds = await lsp.diagnostics(`file:///lab/${name}.tcpdump`);
      const got = sortFindings(ds.map((d) => ({ code: String(d.code), line: d.range.start.line })));
      const want = expectedFindings(pick(cap), addresses());
      for (const code of ['HS101', 'HS102', 'HS103', 'HS104', 'HS105', 'HS201', 'HS301', 'HS303']) assert.ok(want.some((w) => w.code === code), `traffic made ${code}`);
      // One interface, no -i any: every packet is seen once, so no HS402 either (the test's own UDP
      // sends, alike and < 1 ms apart under load, are repeats, not copies).
      assert.deepEqual(got, want);
    });
  }

  it('go to definition: the ping at the other hop', async () => {
    assert.ok(lsp);
    const re = /ICMP echo reply, id \d+, seq 1,/;
    const [line] = recordLines(cap.client, re);
    const defs = await lsp.definition('file:///lab/client.tcpdump', line);
    assert.deepEqual(defs.filter((d) => d.uri === 'file:///lab/server.tcpdump').map((d) => d.range.start.line), recordLines(cap.server, re));
  });

  it('-i any over a bridge and its port: duplicates flagged', async () => {
    assert.ok(lsp);
    const ds = await lsp.diagnostics('file:///lab/server-any.tcpdump');
    const dup = ds.filter((d) => d.code === 'HS402');
    const echo = recordLines(cap.serverAny, /ICMP echo request, id \d+, seq 1,/);
    assert.equal(echo.length, 2, `the request on the port and on the bridge; -i any text:\n${cap.serverAny.split('\n').slice(0, 30).join('\n')}`);
    assert.ok(dup.some((d) => d.range.start.line === echo[1]));
    assert.ok(!dup.some((d) => d.range.start.line === echo[0]));
  });
});
