/**
 * tcpdump's relative sequence numbers (print-tcp.c): per conversation (both directions share one
 * entry, ordered by address then port), the initial seq/ack are recorded from the first packet
 * with ACK (or any SYN+ACK); later ACK packets print seq/ack relative to them.
 * Conversations are keyed by a hash of the address bytes and ports (no string per packet: the fast
 * print path has no address strings), with the bytes kept to tell colliding conversations apart.
 */
interface Conversation { key: Uint8Array; seq: number; ack: number; next: Conversation | undefined }

export class TcpSequenceTracker {
  private readonly conversations = new Map<number, Conversation>();

  /**
   * Returns the seq/ack to print; `out` gets [seq, ack, reversed(0|1), thseq, thack]. The addresses
   * are d[srcOffset..+addrLength) and d[dstOffset..+addrLength); `src`/`dst` (text) are not needed.
   */
  relative(_src: string, _dst: string, srcPort: number, dstPort: number, d: Uint8Array, srcOffset: number, dstOffset: number,
    addrLength: number, seq: number, ack: number, flags: number, out: number[]): void {
    out[0] = seq; out[1] = ack; out[2] = 0; out[3] = 0; out[4] = 0;
    if ((flags & 0x10) === 0) return;
    let c = compareBytes(d, srcOffset, dstOffset, addrLength);
    if (c === 0) c = srcPort > dstPort ? 1 : srcPort < dstPort ? -1 : 0;
    const rev = c > 0;
    const aOff = rev ? dstOffset : srcOffset;
    const bOff = rev ? srcOffset : dstOffset;
    const aPort = rev ? dstPort : srcPort;
    const bPort = rev ? srcPort : dstPort;
    let h = Math.imul(addrLength, 0x9e3779b1) ^ ((aPort << 16) | bPort);
    for (let i = 0; i < addrLength; i++) h = Math.imul(h ^ d[aOff + i], 0x01000193);
    for (let i = 0; i < addrLength; i++) h = Math.imul(h ^ d[bOff + i], 0x01000193);
    const head = this.conversations.get(h);
    let th = head;
    while (th && !sameKey(th.key, d, aOff, bOff, addrLength, aPort, bPort)) th = th.next;
    if (!th || (flags & 0x02) !== 0) {
      const entry: Conversation = th ?? { key: makeKey(d, aOff, bOff, addrLength, aPort, bPort), seq: 0, ack: 0, next: head };
      if (rev) { entry.ack = seq; entry.seq = (ack - 1) >>> 0; } else { entry.seq = seq; entry.ack = (ack - 1) >>> 0; }
      if (!th) this.conversations.set(h, entry);
      th = entry;
    } else if (rev) {
      out[0] = (seq - th.ack) >>> 0; out[1] = (ack - th.seq) >>> 0;
    } else {
      out[0] = (seq - th.seq) >>> 0; out[1] = (ack - th.ack) >>> 0;
    }
    out[2] = rev ? 1 : 0; out[3] = th.seq; out[4] = th.ack;
  }
}

function makeKey(d: Uint8Array, a: number, b: number, n: number, aPort: number, bPort: number): Uint8Array {
  const k = new Uint8Array(2 * n + 4);
  k.set(d.subarray(a, a + n), 0);
  k.set(d.subarray(b, b + n), n);
  k[2 * n] = aPort >> 8; k[2 * n + 1] = aPort & 255; k[2 * n + 2] = bPort >> 8; k[2 * n + 3] = bPort & 255;
  return k;
}

function sameKey(k: Uint8Array, d: Uint8Array, a: number, b: number, n: number, aPort: number, bPort: number): boolean {
  if (k.length !== 2 * n + 4) return false;
  for (let i = 0; i < n; i++) if (k[i] !== d[a + i] || k[n + i] !== d[b + i]) return false;
  return ((k[2 * n] << 8) | k[2 * n + 1]) === aPort && ((k[2 * n + 2] << 8) | k[2 * n + 3]) === bPort;
}

function compareBytes(d: Uint8Array, a: number, b: number, n: number): number {
  for (let i = 0; i < n; i++) if (d[a + i] !== d[b + i]) return d[a + i] - d[b + i];
  return 0;
}
