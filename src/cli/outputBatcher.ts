/**
 * Collects output text into large byte blocks. Each line is copied into the current block at once,
 * so the line strings die young (keeping thousands of small strings alive until a flush made
 * garbage collection half of `print`'s time). Lines can also be written as bytes in place
 * (`room(n)` gives the block's writer), which makes no string at all.
 */
import { ByteTextWriter } from '../core/format/byteTextWriter';

const BLOCK_SIZE = 1 << 20;

export class OutputBatcher {
  private block = Buffer.allocUnsafe(BLOCK_SIZE);
  /** Writes into `block`; its `pos` is the bytes used. */
  private readonly writer = new ByteTextWriter(this.block);
  private readonly sealed: Buffer[] = [];
  /** Blocks the output stream is done with, reused instead of allocating 1 MiB per block (GC). */
  private readonly free: Buffer<ArrayBuffer>[] = [];
  private readonly encoding: 'latin1' | 'utf8';
  private readonly bytesPerChar: number;

  /** 'latin1' for text made of byte values (tcpdump text: one byte per character), 'utf8' for JSON. */
  constructor(encoding: 'latin1' | 'utf8') {
    this.encoding = encoding;
    this.bytesPerChar = encoding === 'latin1' ? 1 : 3;
  }

  add(text: string): void {
    const max = text.length * this.bytesPerChar;
    if (this.writer.pos + max > this.block.length) {
      this.seal();
      if (max > this.block.length) { this.sealed.push(Buffer.from(text, this.encoding)); return; }
    }
    this.writer.pos += this.block.write(text, this.writer.pos, this.encoding);
  }

  /** The writer of the current block, with at least `bytes` of room after its `pos`. */
  room(bytes: number): ByteTextWriter {
    if (this.writer.pos + bytes > this.block.length) this.seal();
    return this.writer;
  }

  /** Hands back a block from take() that has been written out completely, for reuse. */
  recycle(written: Buffer): void {
    // Only our own blocks (a whole 1 MiB ArrayBuffer each), not the oversized one-off lines.
    if (written.byteOffset === 0 && written.buffer.byteLength === BLOCK_SIZE && this.free.length < 4) {
      this.free.push(Buffer.from(written.buffer as ArrayBuffer, 0, BLOCK_SIZE));
    }
  }

  /** Full blocks ready to write (and forgets them). */
  take(): Buffer[] {
    return this.sealed.splice(0);
  }

  /** Everything, including the partly filled block. */
  takeAll(): Buffer[] {
    this.seal();
    return this.take();
  }

  private seal(): void {
    if (this.writer.pos === 0) return;
    this.sealed.push(this.block.subarray(0, this.writer.pos));
    this.block = this.free.pop() ?? Buffer.allocUnsafe(BLOCK_SIZE);
    this.writer.buf = this.block;
    this.writer.pos = 0;
  }
}
