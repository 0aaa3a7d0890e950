/** Packet number selections like editcap's and Wireshark's "1-100,250,300-": 1-based, inclusive. */
export interface PacketRange { from: number; to: number }

export class PacketRangeError extends Error {}

export function parsePacketRanges(text: string): PacketRange[] {
  const out: PacketRange[] = [];
  for (const part of text.split(',')) {
    const m = /^\s*(\d{1,10})\s*(?:(-)\s*(\d{1,10})?)?\s*$/.exec(part);
    if (!m) throw new PacketRangeError(`invalid packet range '${part}' in '${text}' (use 1-100,250,300-)`);
    const from = Number(m[1]);
    const to = m[2] ? (m[3] === undefined ? Number.MAX_SAFE_INTEGER : Number(m[3])) : from;
    if (from < 1 || to < from) throw new PacketRangeError(`invalid packet range '${part.trim()}': numbers start at 1 and must not decrease`);
    out.push({ from, to });
  }
  return out.sort((a, b) => a.from - b.from);
}

export function packetInRanges(ranges: readonly PacketRange[], n: number): boolean {
  for (const r of ranges) {
    if (n < r.from) return false;
    if (n <= r.to) return true;
  }
  return false;
}

/** The last packet number any range can select (reading can stop after it). */
export function lastRangePacket(ranges: readonly PacketRange[]): number {
  return ranges.reduce((m, r) => Math.max(m, r.to), 0);
}
