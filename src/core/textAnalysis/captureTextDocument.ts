/**
 * One open capture text (a file, a paste, a live pane) with its analysis, kept up to date by
 * edits. A live pane only grows at the end: an append re-parses from the start of the last record
 * (it may be the first line of a two-line `-v` record) and feeds only the new records to the
 * analyzer. Any other edit re-parses from the record before the changed line up to the next
 * unchanged timestamped record (or to the end), and the analysis goes back to its last checkpoint
 * before the change and feeds from there (captureTextAnalyzer.ts: rollbackTo).
 */
import { parseTcpdumpText, type TcpdumpTextRecord } from '../tcpdumpText/parseTcpdumpText';
import { parseTcpdumpTimestamp } from '../tcpdumpText/parseTcpdumpTimestamp';
import { CaptureTextAnalyzer, CHECKPOINT_EVERY, type AnalyzedPacket } from './captureTextAnalyzer';

export interface TextPosition {
  line: number;
  character: number;
}

export interface CaptureTextUpdate {
  /** First line whose records were parsed again. */
  reparsedFromLine: number;
  /** The analysis was rebuilt from the first record. */
  reanalysed: boolean;
  /** Packets kept from the analysis before the edit (the rest were fed again). */
  packetsKept: number;
}

/** First index in [0, n) for which `after(i)` holds, `after` being false then true along the range. */
function firstIndex(n: number, after: (i: number) => boolean): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (after(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

const awaitsMore = (e: TcpdumpTextRecord | undefined): boolean =>
  e?.record.kind === 'packet' && (e.record.awaitsSecondLine || e.record.tunnel?.inner?.awaitsSecondLine === true);

export class CaptureTextDocument {
  private lines: string[] = [''];
  private entries: TcpdumpTextRecord[] = [];
  private fed = 0;
  analyzer: CaptureTextAnalyzer;

  constructor(text: string, private readonly checkpointEvery = CHECKPOINT_EVERY, private readonly pendingFactor = 1) {
    this.analyzer = new CaptureTextAnalyzer(checkpointEvery, pendingFactor);
    this.setText(text);
  }

  get text(): string {
    return this.lines.join('\n');
  }

  get lineCount(): number {
    return this.lines.length;
  }

  /** Length of a line in UTF-16 units (LSP columns); 0 past the end. */
  lineLength(line: number): number {
    return this.lines[line]?.replace(/\r$/, '').length ?? 0;
  }

  get records(): readonly TcpdumpTextRecord[] {
    return this.entries;
  }

  setText(text: string): CaptureTextUpdate {
    this.lines = text.split('\n');
    this.entries = parseTcpdumpText(text);
    this.reanalyse();
    return { reparsedFromLine: 0, reanalysed: true, packetsKept: 0 };
  }

  /** Where the text ends (an insertion here is an append). */
  endPosition(): TextPosition {
    return { line: this.lines.length - 1, character: this.lines[this.lines.length - 1].length };
  }

  /** Replaces the range [start, end) with `newText` (LSP incremental sync, UTF-16 columns). */
  edit(start: TextPosition, end: TextPosition, newText: string): CaptureTextUpdate {
    const e = this.endPosition();
    const atEnd = (p: TextPosition): boolean => p.line === e.line && p.character === e.character;
    if (atEnd(start) && atEnd(end)) return this.append(newText);
    const last = this.lines.length - 1;
    const from = Math.min(start.line, last);
    const to = Math.max(from, Math.min(end.line, last));
    const parts = newText.split('\n');
    parts[0] = this.lines[from].slice(0, start.character) + parts[0];
    parts[parts.length - 1] += this.lines[to].slice(to === end.line ? end.character : this.lines[to].length);
    // (concat, not splice(...parts): a paste can hold more lines than a call takes arguments)
    this.lines = this.lines.slice(0, from).concat(parts, this.lines.slice(to + 1));
    return this.reparse(from, to, parts.length - 1 - (to - from));
  }

  /**
   * Lines [changedFrom, changedTo] (old numbering) were replaced, the lines after them moved by
   * `delta`. Records before the one ending before `changedFrom` stay; a record starting with a
   * timestamp after the change stays too (moved), unless the re-parsed part still waits for a line.
   */
  private reparse(changedFrom: number, changedTo: number, delta: number): CaptureTextUpdate {
    const old = this.entries;
    // The record before the changed line may take the new lines as its detail or second line.
    const keep = Math.max(0, firstIndex(old.length, (i) => old[i].line >= changedFrom) - 1);
    const fromLine = keep > 0 ? old[keep].line : 0;
    const next = firstIndex(old.length, (i) => old[i].line > changedTo);
    let entries: TcpdumpTextRecord[] | undefined;
    if (next < old.length) {
      const nextLine = old[next].line + delta;
      if (parseTcpdumpTimestamp(this.lines[nextLine]) !== undefined) {
        const window = this.parseLines(fromLine, nextLine);
        if (!awaitsMore(window.at(-1))) {
          for (let i = next; i < old.length; i++) { old[i].line += delta; old[i].endLine += delta; }
          entries = old.slice(0, keep).concat(window, old.slice(next));
        }
      }
    }
    entries ??= old.slice(0, keep).concat(this.parseLines(fromLine, this.lines.length));
    this.entries = entries;
    const packetsKept = this.refeedFrom(fromLine);
    return { reparsedFromLine: fromLine, reanalysed: packetsKept === 0, packetsKept };
  }

  /** Records of lines [from, to), numbered in the document. */
  private parseLines(from: number, to: number): TcpdumpTextRecord[] {
    const out = parseTcpdumpText(this.lines.slice(from, to).join('\n') + (to < this.lines.length ? '\n' : ''));
    for (const t of out) { t.line += from; t.endLine += from; }
    return out;
  }

  /** Takes the analysis back before line `line` (to a checkpoint) and feeds the records from there. */
  private refeedFrom(line: number): number {
    const ps = this.analyzer.packets;
    const kept = this.analyzer.rollbackTo(firstIndex(ps.length, (i) => ps[i].line >= line));
    const lastKept = kept > 0 ? ps[kept - 1].line : -1;
    this.fed = firstIndex(this.entries.length, (i) => this.entries[i].line > lastKept);
    this.feedComplete();
    return kept;
  }

  append(added: string): CaptureTextUpdate {
    const last = this.entries.at(-1);
    const parts = added.split('\n');
    this.lines[this.lines.length - 1] += parts[0];
    for (let i = 1; i < parts.length; i++) this.lines.push(parts[i]);
    if (!last) {
      this.setText(this.text);
      return { reparsedFromLine: 0, reanalysed: false, packetsKept: 0 };
    }
    const from = last.line;
    const tail = this.parseLines(from, this.lines.length);
    const lastWasFed = this.fed === this.entries.length;
    this.entries.pop();
    const sameLast = tail.length > 0 && (tail[0].record.text === last.record.text || (lastWasFed && this.analyzer.extendLast(tail[0])));
    for (const t of tail) this.entries.push(t);
    if (lastWasFed && !sameLast) {
      // The last line was cut (a partial append): feed again from the checkpoint before it.
      const packetsKept = this.refeedFrom(from);
      return { reparsedFromLine: from, reanalysed: packetsKept === 0, packetsKept };
    }
    if (lastWasFed) this.fed = this.entries.length - tail.length + 1;
    this.feedComplete();
    return { reparsedFromLine: from, reanalysed: false, packetsKept: this.analyzer.packets.length };
  }

  /** The packet whose lines include `line`. */
  packetAt(line: number): AnalyzedPacket | undefined {
    const ps = this.analyzer.packets;
    let lo = 0;
    let hi = ps.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const p = ps[mid];
      if (line < p.line) hi = mid - 1;
      else if (line > p.endLine) lo = mid + 1;
      else return p;
    }
    return undefined;
  }

  private reanalyse(): void {
    this.analyzer = new CaptureTextAnalyzer(this.checkpointEvery, this.pendingFactor);
    this.fed = 0;
    this.feedComplete();
  }

  /** Feeds the records not yet fed, except a last one still waiting for its second `-v` line. */
  private feedComplete(): void {
    while (this.fed < this.entries.length) {
      const e = this.entries[this.fed];
      if (this.fed === this.entries.length - 1 && e.record.kind === 'packet' && e.record.awaitsSecondLine) break;
      this.analyzer.feed(e);
      this.fed++;
    }
  }
}
