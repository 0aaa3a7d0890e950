/**
 * The byte buffer behind the capture writers: records are appended synchronously, and `flush` hands the
 * buffered bytes to a file descriptor (fs.writeSync: on disk in the kernel's page cache when it returns)
 * or to a Node Writable (queued in the stream; `close` waits until the stream has finished).
 *
 * Flush policy (so a live capture loses nothing it already received when its connection drops):
 * a flush happens when the buffer is full, and otherwise at the end of the event-loop turn in which the
 * first unflushed record was appended (setImmediate). Bytes from one SSH data chunk are therefore in the
 * file before the next I/O event (such as the connection closing) is even handled.
 */
import { writeSync } from 'node:fs';

export type CaptureSink = number | NodeJS.WritableStream;

export class CaptureSinkBuffer {
  private readonly sink: CaptureSink;
  private buf: Uint8Array;
  view: DataView;
  length = 0;
  private scheduled: NodeJS.Immediate | undefined;
  private closed = false;

  constructor(sink: CaptureSink, bufferSize = 256 * 1024) {
    this.sink = sink;
    this.buf = new Uint8Array(bufferSize);
    this.view = new DataView(this.buf.buffer);
  }

  get bytes(): Uint8Array { return this.buf; }

  /** Makes room for `n` more bytes (flushing or growing) and returns the write position. */
  reserve(n: number): number {
    if (this.closed) throw new Error('capture writer is closed');
    if (this.length + n > this.buf.length) {
      this.flush();
      if (n > this.buf.length) {
        this.buf = new Uint8Array(n);
        this.view = new DataView(this.buf.buffer);
      }
    }
    if (this.scheduled === undefined) this.scheduled = setImmediate(() => { this.scheduled = undefined; this.flush(); });
    return this.length;
  }

  flush(): void {
    if (this.length === 0) return;
    const data = this.buf.subarray(0, this.length);
    if (typeof this.sink === 'number') {
      let done = 0;
      while (done < data.length) done += writeSync(this.sink, data, done, data.length - done);
    } else {
      // The stream keeps a reference until written: give it its own copy.
      this.sink.write(Buffer.from(data));
    }
    this.length = 0;
  }

  /** Flushes; for a stream sink also ends it and waits until every byte is written. The fd stays open. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    if (this.scheduled !== undefined) clearImmediate(this.scheduled);
    this.scheduled = undefined;
    const sink = this.sink;
    if (typeof sink !== 'number') {
      await new Promise<void>((resolve, reject) => {
        sink.once('error', reject);
        sink.end(() => resolve());
      });
    }
  }
}
