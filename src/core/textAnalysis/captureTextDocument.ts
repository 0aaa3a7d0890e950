/**
 * One open capture text (a file, a paste, a live pane) with its analysis, kept up to date by
 * edits. A live pane only grows at the end: an append re-parses from the start of the last record
 * (it may be the first line of a two-line `-v` record) and feeds only the new records to the
 * analyzer. Any other edit re-parses the whole text.
 */
import { parseTcpdumpText, type TcpdumpTextRecord } from '../tcpdumpText/parseTcpdumpText';
import { CaptureTextAnalyzer, type AnalyzedPacket } from './captureTextAnalyzer';

export interface TextPosition {
  line: number;
  character: number;
}

export interface CaptureTextUpdate {
  /** First line whose records were parsed again. */
  reparsedFromLine: number;
  /** The analysis was rebuilt from the first record (an edit other than an append). */
  reanalysed: boolean;
}

export class CaptureTextDocument {
  private lines: string[] = [''];
  private entries: TcpdumpTextRecord[] = [];
  private fed = 0;
  analyzer = new CaptureTextAnalyzer();

  constructor(text: string) {
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
    return { reparsedFromLine: 0, reanalysed: true };
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
    const offset = (p: TextPosition): number => {
      let o = 0;
      for (let i = 0; i < p.line && i < this.lines.length; i++) o += this.lines[i].length + 1;
      return o + p.character;
    };
    const text = this.text;
    return this.setText(text.slice(0, offset(start)) + newText + text.slice(offset(end)));
  }

  append(added: string): CaptureTextUpdate {
    const last = this.entries.at(-1);
    const parts = added.split('\n');
    this.lines[this.lines.length - 1] += parts[0];
    for (let i = 1; i < parts.length; i++) this.lines.push(parts[i]);
    if (!last) {
      this.setText(this.text);
      return { reparsedFromLine: 0, reanalysed: false };
    }
    const from = last.line;
    const tail = parseTcpdumpText(this.lines.slice(from).join('\n'));
    for (const t of tail) { t.line += from; t.endLine += from; }
    const lastWasFed = this.fed === this.entries.length;
    this.entries.pop();
    const sameLast = tail.length > 0 && (tail[0].record.text === last.record.text || (lastWasFed && this.analyzer.extendLast(tail[0])));
    for (const t of tail) this.entries.push(t);
    if (lastWasFed && !sameLast) {
      this.reanalyse();
      return { reparsedFromLine: from, reanalysed: true };
    }
    if (lastWasFed) this.fed = this.entries.length - tail.length + 1;
    this.feedComplete();
    return { reparsedFromLine: from, reanalysed: false };
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
    this.analyzer = new CaptureTextAnalyzer();
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
