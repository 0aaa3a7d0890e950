/**
 * Collects output text into large byte blocks. Each line is copied into the current block at once,
 * so the line strings die young (keeping thousands of small strings alive until a flush made
 * garbage collection half of `print`'s time).
 */
const BLOCK_SIZE = 1 << 20;

export class OutputBatcher {
  private block = Buffer.allocUnsafe(BLOCK_SIZE);
  private used = 0;
  private readonly sealed: Buffer[] = [];
  private readonly encoding: 'latin1' | 'utf8';
  private readonly bytesPerChar: number;

  /** 'latin1' for text made of byte values (tcpdump text: one byte per character), 'utf8' for JSON. */
  constructor(encoding: 'latin1' | 'utf8') {
    this.encoding = encoding;
    this.bytesPerChar = encoding === 'latin1' ? 1 : 3;
  }

  add(text: string): void {
    const max = text.length * this.bytesPerChar;
    if (this.used + max > this.block.length) {
      this.seal();
      if (max > this.block.length) { this.sealed.push(Buffer.from(text, this.encoding)); return; }
    }
    this.used += this.block.write(text, this.used, this.encoding);
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
    if (this.used === 0) return;
    this.sealed.push(this.block.subarray(0, this.used));
    this.block = Buffer.allocUnsafe(BLOCK_SIZE);
    this.used = 0;
  }
}
