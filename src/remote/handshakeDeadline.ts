// The handshake deadline (ssh2's readyTimeout) must not run while the user is answering a prompt:
// a passphrase typed in 30 s is not a dead host. This timer stops during prompts and restarts after.
import type { SshPrompts } from './sshPrompts';

export class HandshakeDeadline {
  private timer: NodeJS.Timeout | undefined;
  private pausedCount = 0;
  private done = false;

  constructor(private readonly ms: number, private readonly onExpire: () => void) {}

  start(): void {
    if (this.done || this.pausedCount > 0 || this.ms <= 0) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => { this.done = true; this.onExpire(); }, this.ms);
  }

  stop(): void { this.done = true; clearTimeout(this.timer); }

  /** Wraps each prompt so that the deadline is suspended while it is open. */
  wrap(prompts: SshPrompts): SshPrompts {
    const during = <T>(f: () => Promise<T>): Promise<T> => {
      this.pausedCount++;
      clearTimeout(this.timer);
      return f().finally(() => { this.pausedCount--; this.start(); });
    };
    return {
      passphrase: (k, n) => during(() => prompts.passphrase(k, n)),
      password: (i) => during(() => prompts.password(i)),
      keyboardInteractive: (i) => during(() => prompts.keyboardInteractive(i)),
      confirmHostKey: (i) => during(() => prompts.confirmHostKey(i)),
    };
  }
}
