/**
 * Incremental analysis (edits re-parse from the changed record and feed from the checkpoint before
 * it) must end where a whole analysis of the final text ends. Property test: seeded random edit
 * sequences (inserts and deletes of real tcpdump text, cuts inside lines, partial appends, whole
 * blocks moved) on the committed captures, checked against a fresh document after every edit.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CaptureTextDocument, type TextPosition } from '../../src/core/textAnalysis/captureTextDocument';
import { seededRandom } from './pcapTestTools';

const dir = join(import.meta.dirname, '../fixtures/languageServer');
const FIXTURES = ['client.tcpdump', 'client-v.tcpdump', 'server-any-v.tcpdump', 'client-e-tttt.tcpdump', 'seed-kvm-lvs-dr.tcpdump'];

/** Everything the language features read, with the records' text and lines. */
function state(doc: CaptureTextDocument): unknown {
  const a = doc.analyzer;
  return {
    records: doc.records.map((r) => `${r.line}-${r.endLine} ${r.record.kind === 'packet' ? r.record.text : r.record.kind}`),
    findings: a.allFindings().map((f) => `${f.line}-${f.endLine} ${f.code} ${f.message} ${f.bpf ?? ''}`),
    conversations: a.conversations.map((c) => `${c.conversation.key} ${c.count} ${c.firstLine}-${c.lastLine} ${c.packets.join(',')} last ${c.last}`),
    packets: a.packets.map((p) => `${p.line}-${p.endLine} ${p.conversation ?? ''} ${p.previousInConversation ?? ''} ${p.pair ? `${p.pair.kind} ${p.pair.role} ${p.pair.other}` : ''} ${p.identity ?? ''}`),
    identities: [...a.identities].map(([k, v]) => `${k} ${v.join(',')}`).sort(),
  };
}

function offsetToPosition(text: string, offset: number): TextPosition {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

describe('incremental capture-text analysis = whole analysis', () => {
  for (const name of FIXTURES) {
    it(`${name}: 80 random edits, a checkpoint before every packet and at the default interval`, () => {
      const source = readFileSync(join(dir, name), 'utf8');
      const sourceLines = source.split('\n');
      for (const every of [1, undefined]) {
        const random = seededRandom(name.length * 7919 + (every ?? 0));
        const pick = (n: number): number => Math.floor(random() * n);
        let text = source;
        const doc = every === undefined ? new CaptureTextDocument(text) : new CaptureTextDocument(text, every, 0);
        let partial = 0;
        for (let step = 0; step < 80; step++) {
          const kind = pick(7);
          let start = pick(text.length + 1);
          let end = start;
          let insert = '';
          const lineStart = (o: number): number => text.lastIndexOf('\n', o - 1) + 1;
          if (kind === 5) {
            // Delete whole lines (a reply, a request, a block).
            start = lineStart(start);
            end = start;
            for (let n = 1 + pick(pick(2) ? 2 : 12); n > 0 && end < text.length; n--) end = text.indexOf('\n', end) < 0 ? text.length : text.indexOf('\n', end) + 1;
          } else if (kind === 6) {
            // Insert whole lines of the source at a line start.
            start = end = lineStart(start);
            const from = pick(sourceLines.length);
            insert = `${sourceLines.slice(from, from + 1 + pick(6)).join('\n')}\n`;
          } else if (kind === 0) {
            // Delete a range (often across lines, sometimes a whole block).
            end = Math.min(text.length, start + pick(pick(2) ? 60 : 2000));
          } else if (kind === 1) {
            // Insert a piece of real text (any cut) from the source.
            const from = pick(source.length);
            insert = source.slice(from, from + pick(400));
          } else if (kind === 2) {
            // Replace: typing over a range.
            end = Math.min(text.length, start + pick(80));
            const from = pick(source.length);
            insert = source.slice(from, from + pick(120));
          } else if (kind === 3) {
            // A live pane: append the next piece of the source, cut anywhere (mid-line too).
            start = end = text.length;
            insert = source.slice(partial, partial + 1 + pick(300));
            partial = (partial + insert.length) % source.length;
          } else {
            // Cut the end in the middle of a line.
            const lastNl = text.lastIndexOf('\n', text.length - 2);
            start = Math.max(0, lastNl + 1 + pick(40));
            end = text.length;
            if (start > end) start = end;
          }
          const update = doc.edit(offsetToPosition(text, start), offsetToPosition(text, end), insert);
          text = text.slice(0, start) + insert + text.slice(end);
          assert.equal(doc.text, text, `text after step ${step}`);
          assert.deepEqual(state(doc), state(new CaptureTextDocument(text)), `${name} step ${step} (kind ${kind}, every ${every}, re-parsed from ${update.reparsedFromLine}, kept ${update.packetsKept})`);
        }
      }
    });
  }

  it('an edit near the end keeps the analysis before the checkpoint before it', () => {
    const source = readFileSync(join(dir, 'client-v.tcpdump'), 'utf8');
    const doc = new CaptureTextDocument(source, 10, 0);
    const packets = doc.analyzer.packets.length;
    const lastLine = doc.analyzer.packets[packets - 1].line;
    const update = doc.edit({ line: lastLine, character: 5 }, { line: lastLine, character: 9 }, '');
    assert.ok(update.packetsKept >= packets - 10 && update.packetsKept < packets, `kept ${update.packetsKept} of ${packets}`);
    assert.equal(update.reanalysed, false);
  });
});
