/** Address text as tcpdump prints it: MAC `02:00:5e:00:00:01`, dotted IPv4, RFC 5952 IPv6. */
const HEX2: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function macText(d: Uint8Array, o: number): string {
  return `${HEX2[d[o]]}:${HEX2[d[o + 1]]}:${HEX2[d[o + 2]]}:${HEX2[d[o + 3]]}:${HEX2[d[o + 4]]}:${HEX2[d[o + 5]]}`;
}

export function ipv4Text(d: Uint8Array, o: number): string {
  return `${d[o]}.${d[o + 1]}.${d[o + 2]}.${d[o + 3]}`;
}

/**
 * Reads the eight groups of the IPv6 address at `o` into `g` and finds the zero groups RFC 5952 writes
 * as `::`: the longest run (the first if tied) of two or more. Returns start * 16 + length, or -1 when
 * no run qualifies: a number, so the formatter's allocation-free path can share it.
 */
export function readIpv6Groups(d: Uint8Array, o: number, g: Uint16Array): number {
  for (let i = 0; i < 8; i++) g[i] = (d[o + 2 * i] << 8) | d[o + 2 * i + 1];
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8;) {
    if (g[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  return bestLen < 2 ? -1 : bestStart * 16 + bestLen;
}

const GROUPS = new Uint16Array(8);

/** RFC 5952 text (what inet_ntop prints): longest run (>= 2) of zero groups becomes `::`. */
export function ipv6Text(d: Uint8Array, o: number): string {
  const g = GROUPS;
  const zeroRun = readIpv6Groups(d, o, g);
  const bestStart = zeroRun < 0 ? -1 : zeroRun >> 4;
  const bestLen = zeroRun < 0 ? 0 : zeroRun & 15;
  // IPv4-mapped ::ffff:a.b.c.d as inet_ntop prints it
  if (bestStart === 0 && bestLen === 5 && g[5] === 0xffff) return `::ffff:${ipv4Text(d, o + 12)}`;
  let s = '';
  for (let i = 0; i < 8; i++) {
    if (i === bestStart) { s += '::'; i += bestLen - 1; continue; }
    if (s !== '' && !s.endsWith(':')) s += ':';
    s += g[i].toString(16);
  }
  return s;
}
