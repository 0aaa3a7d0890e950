// The text of a running capture's document: each record formatted once as `tcpdump -nn -tttt` (UTC),
// the last `maxLines` kept (the pcap file keeps everything), change notifications batched so the
// editor re-reads the text at most `maxUpdatesPerSecond` times.
import type { CaptureRecord } from '../../core/pcap/captureRecord';
import { TcpdumpFormatter } from '../../core/format/tcpdumpFormatter';

export class LiveCaptureText {
  private readonly formatter = new TcpdumpFormatter({ time: 'date' });
  private lines: string[] = [];
  /** Index of the first kept line in `lines` (dropped lazily, in chunks). */
  private start = 0;
  private dropped = 0;
  private timer: NodeJS.Timeout | undefined;
  private dirty = false;
  private lastNotify = 0;
  private notes: string[] = [];

  constructor(
    private readonly maxLines: number,
    private readonly notify: () => void,
    private readonly maxUpdatesPerSecond = 10,
  ) {}

  addRecord(rec: CaptureRecord): void {
    this.lines.push(this.formatter.format(rec));
    if (this.lines.length - this.start > this.maxLines) {
      this.start++;
      this.dropped++;
      // Compact once the dead prefix is as long as the window: amortised O(1) per line.
      if (this.start >= this.maxLines) { this.lines = this.lines.slice(this.start); this.start = 0; }
    }
    this.schedule();
  }

  /** A line that is not a packet (state changes, the end summary), shown after the packets. */
  addNote(line: string): void {
    this.notes.push(`[hopscope: ${line}]`);
    this.schedule();
  }

  get lineCount(): number { return this.lines.length - this.start; }

  text(): string {
    // Joined without copying the window into a new array first (this runs ~10 times a second).
    const head = this.dropped > 0 ? `[hopscope: ${this.dropped} earlier packets are in the file only]\n` : '';
    const kept = this.lines.length > this.start ? `${(this.start === 0 ? this.lines : this.lines.slice(this.start)).join('\n')}\n` : '';
    const notes = this.notes.length > 0 ? `${this.notes.join('\n')}\n` : '';
    return head + kept + notes;
  }

  /** Sends the pending update now (at the end of a capture). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.dirty) this.emit();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    this.dirty = true;
    if (this.timer) return;
    const gap = 1000 / this.maxUpdatesPerSecond;
    const wait = Math.max(0, this.lastNotify + gap - Date.now());
    this.timer = setTimeout(() => { this.timer = undefined; this.emit(); }, wait);
  }

  private emit(): void {
    this.dirty = false;
    this.lastNotify = Date.now();
    this.notify();
  }
}
