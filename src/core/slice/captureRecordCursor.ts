/**
 * Pull-style access to one capture file for merging: records are parsed a chunk at a time (64 KiB)
 * and copied into a small queue, so k inputs cost k chunks of memory whatever their size.
 */
import { open, type FileHandle } from 'node:fs/promises';
import type { CaptureInterface } from '../pcap/captureRecord';
import { CaptureStreamReader } from '../pcap/captureStreamReader';

export interface QueuedRecord {
  tsSec: number;
  tsNsec: number;
  data: Uint8Array;
  origLen: number;
  /** File-wide interface id within this input. */
  interfaceId: number;
  comments?: readonly string[];
}

const CHUNK = 64 * 1024;

export class CaptureRecordCursor {
  private readonly queue: QueuedRecord[] = [];
  private head = 0;
  private readonly reader: CaptureStreamReader;
  private file: FileHandle | undefined;
  private eof = false;
  private readonly chunk = new Uint8Array(CHUNK);
  /** Interfaces seen so far, in file order; `onNewInterface` hears about each once. */
  readonly interfaces: CaptureInterface[] = [];

  constructor(readonly path: string, private readonly onNewInterface: (iface: CaptureInterface, id: number) => void) {
    this.reader = new CaptureStreamReader({
      onInterface: (iface, id) => { this.interfaces.push(iface); this.onNewInterface(iface, id); },
      onRecord: (rec) => {
        this.queue.push({ tsSec: rec.tsSec, tsNsec: rec.tsNsec, data: rec.data.slice(), origLen: rec.origLen, interfaceId: rec.interfaceId, comments: rec.comments });
      },
    });
  }

  get format(): string | undefined { return this.reader.format; }

  async open(): Promise<void> { this.file = await open(this.path, 'r'); }

  /** The next record without consuming it; undefined at the end of the file. */
  async peek(): Promise<QueuedRecord | undefined> {
    while (this.head >= this.queue.length && !this.eof) await this.fill();
    return this.queue[this.head];
  }

  take(): void { this.head++; }

  async close(): Promise<void> { await this.file?.close(); this.file = undefined; }

  private async fill(): Promise<void> {
    this.queue.length = 0;
    this.head = 0;
    if (!this.file) throw new Error('cursor not open');
    const { bytesRead } = await this.file.read(this.chunk, 0, CHUNK, null);
    if (bytesRead === 0) {
      this.eof = true;
      this.reader.end();
      return;
    }
    this.reader.push(bytesRead === CHUNK ? this.chunk : this.chunk.subarray(0, bytesRead));
  }

  /** Reads until the first interface is known (the header), without consuming records. */
  async readHeader(): Promise<void> {
    while (this.interfaces.length === 0 && !this.eof) {
      const before = this.queue.length;
      await this.fillKeeping();
      if (this.queue.length === before && this.interfaces.length === 0 && this.eof) break;
    }
  }

  private async fillKeeping(): Promise<void> {
    if (!this.file) throw new Error('cursor not open');
    const { bytesRead } = await this.file.read(this.chunk, 0, CHUNK, null);
    if (bytesRead === 0) { this.eof = true; this.reader.end(); return; }
    this.reader.push(bytesRead === CHUNK ? this.chunk : this.chunk.subarray(0, bytesRead));
  }
}
