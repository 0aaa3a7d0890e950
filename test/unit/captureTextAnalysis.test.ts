/**
 * The capture-text analysis under plain node (no LSP): appends give the same result as a whole
 * parse, whatever the cut; findings on real tcpdump output (tcpdump -r now on committed captures,
 * and the field reports' pastes).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CaptureTextDocument } from '../../src/core/textAnalysis/captureTextDocument';
import { explainPacket } from '../../src/core/textAnalysis/explainPacket';
import { PACKETS_LISTED_PER_CONVERSATION } from '../../src/core/textAnalysis/captureTextAnalyzer';
import { conversationKeyOf, conversationOf } from '../../src/core/textAnalysis/conversationOf';
import { parseTcpdumpText } from '../../src/core/tcpdumpText/parseTcpdumpText';

const dir = join(import.meta.dirname, '../fixtures/languageServer');
const read = (name: string): string => readFileSync(join(dir, name), 'utf8');
const tcpdumpR = (file: string, ...flags: string[]): string => {
  const r = spawnSync('tcpdump', ['-n', ...flags, '-r', join(import.meta.dirname, '../fixtures/capture', file)], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
};

function summary(doc: CaptureTextDocument): unknown {
  const a = doc.analyzer;
  return {
    findings: a.allFindings().map((f) => `${f.line} ${f.code} ${f.message}`),
    conversations: a.conversations.map((c) => `${c.conversation.key} ${c.count} ${c.firstLine}-${c.lastLine}`),
    pairs: a.packets.map((p) => `${p.line}-${p.endLine} ${p.pair?.kind ?? ''}${p.pair?.other ?? ''} ${p.previousInConversation ?? ''}`),
  };
}

describe('capture text analysis', () => {
  for (const name of ['client-v.tcpdump', 'server-any-v.tcpdump', 'client-e-tttt.tcpdump']) {
    it(`${name}: appends in pieces of any size give the whole-text result`, () => {
      const text = read(name);
      const want = summary(new CaptureTextDocument(text));
      // A live pane appends whole lines: no full re-analysis then, even inside two-line -v records.
      const lines = text.split('\n');
      const byLines = new CaptureTextDocument('');
      for (let i = 0; i < lines.length; i += 3) {
        const end = byLines.endPosition();
        const chunk = lines.slice(i, i + 3).join('\n') + (i + 3 < lines.length ? '\n' : '');
        assert.equal(byLines.edit(end, end, chunk).reanalysed, false, `append at line ${i}`);
      }
      assert.deepEqual(summary(byLines), want, 'whole lines');
      // Cuts inside a line cost a re-analysis but still reach the same state.
      for (const size of [37, 1000]) {
        const doc = new CaptureTextDocument('');
        for (let i = 0; i < text.length; i += size) {
          const end = doc.endPosition();
          doc.edit(end, end, text.slice(i, i + size));
        }
        assert.deepEqual(summary(doc), want, `pieces of ${size} characters`);
      }
    });
  }

  it('the conversation key computed alone is the full conversation\'s key, on every committed text', () => {
    let n = 0;
    for (const name of ['client.tcpdump', 'client-v.tcpdump', 'server-any-v.tcpdump', 'client-e-tttt.tcpdump', 'seed-kvm-lvs-dr.tcpdump', 'seed-vm-unreachable.tcpdump']) {
      for (const { record } of parseTcpdumpText(read(name))) {
        if (record.kind !== 'packet') continue;
        assert.equal(conversationKeyOf(record), conversationOf(record)?.key, record.text);
        n++;
      }
    }
    assert.ok(n > 300, `${n} packets`);
  });

  it('the outline lists the first 1000 packets of a conversation and counts them all', () => {
    const text = read('client.tcpdump');
    const [request, reply] = ['request', 'reply'].map((w) => text.split('\n').find((l) => l.includes(`ICMP echo ${w}, id`)) ?? '');
    const lines: string[] = [];
    for (let seq = 1; seq <= 700; seq++) for (const l of [request, reply]) lines.push(l.replace(/seq \d+/, `seq ${seq}`));
    const doc = new CaptureTextDocument(lines.join('\n'));
    const [conv] = doc.analyzer.conversations;
    assert.equal(doc.analyzer.conversations.length, 1);
    assert.equal(conv.count, 1400);
    assert.equal(conv.packets.length, PACKETS_LISTED_PER_CONVERSATION);
    assert.equal(conv.lastLine, 1399);
    assert.equal(doc.packetAt(1399)?.previousInConversation, 1398);
  });

  it('hovers: port unreachable and DNS query in words', () => {
    const text = read('client.tcpdump');
    const doc = new CaptureTextDocument(text);
    const lines = text.split('\n');
    const at = (re: RegExp): string => {
      const p = doc.packetAt(lines.findIndex((l) => re.test(l)));
      assert.ok(p);
      return explainPacket(doc.analyzer, p);
    };
    assert.match(at(/udp port 53 unreachable/), /port unreachable: udp port 53 unreachable — nothing listens there/);
    assert.match(at(/A\? hop\.example\./), /\*\*DNS\*\* query, id \d+: A record of hop\.example\., recursion desired\./);
  });

  it('an edit of the first line re-analyses from the first record', () => {
    const text = read('client.tcpdump');
    const doc = new CaptureTextDocument(text);
    const update = doc.edit({ line: 0, character: 0 }, { line: 1, character: 0 }, '');
    assert.equal(update.reanalysed, true);
    assert.deepEqual(summary(doc), summary(new CaptureTextDocument(text.slice(text.indexOf('\n') + 1))));
  });

  it('truncated packets ([|tcp], real -s 60 capture) are HS403', () => {
    const text = tcpdumpR('tcp-snap60.pcap');
    const doc = new CaptureTextDocument(text);
    const want = text.split('\n').flatMap((l, i) => (l.includes('[|tcp]') ? [i] : []));
    assert.ok(want.length > 5);
    assert.deepEqual(doc.analyzer.allFindings().filter((f) => f.code === 'HS403').map((f) => f.line), want);
  });

  it('DHCP: a request answered has no finding; alone it is HS302', () => {
    const text = tcpdumpR('dhcp.pcap');
    assert.equal(new CaptureTextDocument(text).analyzer.allFindings().filter((f) => f.code === 'HS302').length, 0);
    const first = text.split('\n')[0];
    assert.match(first, /BOOTP\/DHCP, Request from/);
    const alone = new CaptureTextDocument(`${first}\n`).analyzer.allFindings();
    assert.deepEqual(alone.map((f) => `${f.line} ${f.code}`), ['0 HS302']);
    const verbose = tcpdumpR('dhcp.pcap', '-v');
    const discover = verbose.split('\n').findIndex((l) => /DHCP-Message.*Discover/.test(l));
    assert.ok(discover > 0, 'tcpdump -v names the DISCOVER');
  });

  it('field report (kvm-lvs-dr-nwfilter, tcpdump -vvv -e): a SYN retransmitted after 1 s, each frame seen twice', () => {
    const doc = new CaptureTextDocument(read('seed-kvm-lvs-dr.tcpdump'));
    const f = doc.analyzer.allFindings();
    const codes = f.map((x) => `${x.line} ${x.code}`);
    // ❶ first SYN (one-sided), ❷ the same frame rewritten by the director, ❸ the retransmission, ❹ its copy.
    assert.deepEqual(codes, ['1 HS105', '5 HS402', '9 HS102', '13 HS402']);
    assert.match(f[2].message, /SYN retransmitted 999\.3 ms after the first one \(line 2\) \(TS val \+1000 ms\)/);
    assert.match(f[0].message, /2 SYNs/);
  });

  it('field report (vm-unreachable-driver, old tcpdump -tttt): SYNs with no answer; the ARP is answered', () => {
    const doc = new CaptureTextDocument(read('seed-vm-unreachable.tcpdump'));
    const f = doc.analyzer.allFindings();
    // Three SYNs cut by the 68-byte snapshot ([|tcp]), four SYNs in all, none answered.
    assert.deepEqual(f.filter((x) => x.code === 'HS403').map((x) => x.line), [0, 1, 2]);
    assert.deepEqual(f.filter((x) => x.code === 'HS105').map((x) => x.line), [0, 1, 2, 5]);
    assert.equal(f.filter((x) => x.code === 'HS301').length, 0);
    const reply = doc.packetAt(4);
    assert.ok(reply);
    assert.match(explainPacket(doc.analyzer, reply), /Round trip \(ARP request → reply\): 1\.276 ms — request at line 4\./);
  });
});
