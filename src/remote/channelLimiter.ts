// Counts open channels on one connection and queues the rest (first come, first served):
// OpenSSH refuses channels beyond MaxSessions (10 by default) instead of queueing them.

export class ChannelLimiter {
  private open = 0;
  private readonly waiting: (() => void)[] = [];
  /** Highest number of channels open at once (observability and tests). */
  peak = 0;

  constructor(private readonly max: number) {
    if (!Number.isInteger(max) || max < 1) throw new Error(`channel limit must be a positive integer, got ${max}`);
  }

  /** Resolves with a release function once a slot is free; call it exactly once. */
  acquire(): Promise<() => void> {
    return new Promise((resolve) => {
      const grant = (): void => {
        this.open++;
        this.peak = Math.max(this.peak, this.open);
        let released = false;
        resolve(() => {
          if (released) return;
          released = true;
          this.open--;
          this.waiting.shift()?.();
        });
      };
      if (this.open < this.max) grant();
      else this.waiting.push(grant);
    });
  }

  get inUse(): number { return this.open; }
  get queued(): number { return this.waiting.length; }
}
