/**
 * tcpdump's relative sequence numbers (print-tcp.c): per conversation (both directions share one
 * entry, ordered by address then port), the initial seq/ack are recorded from the first packet
 * with ACK (or any SYN+ACK); later ACK packets print seq/ack relative to them.
 */
interface ConversationStart { seq: number; ack: number }

export class TcpSequenceTracker {
  private readonly conversations = new Map<string, ConversationStart>();

  /** Returns the seq/ack to print; `out` gets [seq, ack, reversed(0|1), thseq, thack]. */
  relative(src: string, dst: string, srcPort: number, dstPort: number, d: Uint8Array, srcOffset: number, dstOffset: number,
    addrLength: number, seq: number, ack: number, flags: number, out: number[]): void {
    out[0] = seq; out[1] = ack; out[2] = 0; out[3] = 0; out[4] = 0;
    if ((flags & 0x10) === 0) return;
    let c = compareBytes(d, srcOffset, dstOffset, addrLength);
    if (c === 0) c = srcPort > dstPort ? 1 : srcPort < dstPort ? -1 : 0;
    const rev = c > 0;
    const key = rev ? `${dst}|${src}|${dstPort}|${srcPort}` : `${src}|${dst}|${srcPort}|${dstPort}`;
    let th = this.conversations.get(key);
    if (!th || (flags & 0x02) !== 0) {
      th = rev ? { ack: seq, seq: (ack - 1) >>> 0 } : { seq, ack: (ack - 1) >>> 0 };
      this.conversations.set(key, th);
    } else if (rev) {
      out[0] = (seq - th.ack) >>> 0; out[1] = (ack - th.seq) >>> 0;
    } else {
      out[0] = (seq - th.seq) >>> 0; out[1] = (ack - th.ack) >>> 0;
    }
    out[2] = rev ? 1 : 0; out[3] = th.seq; out[4] = th.ack;
  }
}

function compareBytes(d: Uint8Array, a: number, b: number, n: number): number {
  for (let i = 0; i < n; i++) if (d[a + i] !== d[b + i]) return d[a + i] - d[b + i];
  return 0;
}
