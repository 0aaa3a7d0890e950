/**
 * DNS names and character strings walked the way tcpdump 4.99's printer walks them, so a snaplen cut
 * (or a malformed name) stops at the same byte and leaves the same partial text: skipping a name
 * checks only its length bytes (a compression pointer's second byte not even that), printing one
 * follows pointers backwards only and escapes bytes as tcpdump does (`M-` for the high bit, `^` for
 * control characters).
 */

/** Where the name at `p` ends without reading it (tcpdump's ns_nskip), or -1 when the walk fails. */
export function skipDnsName(d: Uint8Array, p: number, end: number): number {
  if (p >= end) return -1;
  let i = d[p++];
  while (i !== 0) {
    switch (i & 0xc0) {
      case 0xc0: return p + 1;
      case 0x40: {
        // EDNS0 extended label: only the bit-string type (1) has a known length.
        if ((i & 0x3f) !== 1 || p >= end) return -1;
        const bits = d[p] || 256;
        p += 1 + ((bits + 7) >> 3);
        break;
      }
      case 0x80: return -1;
      default: p += i;
    }
    if (p >= end) return -1;
    i = d[p++];
  }
  return p;
}

/** Text of `n` bytes as tcpdump prints label and string bytes; `complete` false when the capture ended first. */
export function escapedBytes(d: Uint8Array, p: number, n: number, end: number): { text: string; complete: boolean } {
  let text = '';
  for (let k = 0; k < n; k++) {
    if (p + k >= end) return { text, complete: false };
    let c = d[p + k];
    if (c & 0x80) { c &= 0x7f; text += 'M-'; }
    if (c < 0x20 || c > 0x7e) { c ^= 0x40; text += '^'; }
    text += String.fromCharCode(c);
  }
  return { text, complete: true };
}

export interface DnsNameText {
  /** What tcpdump prints for the name (partial when `next` is -1). */
  text: string;
  /** Where the name ends in place (after the first pointer, if any); -1 when printing failed. */
  next: number;
}

const MAX_NAME_CHARS = 255;

/** The name at `p` (message at `msg`) as tcpdump's fqdn_print prints it. */
export function dnsNameText(d: Uint8Array, msg: number, p: number, end: number): DnsNameText {
  let text = '';
  const fail = (): DnsNameText => ({ text, next: -1 });
  /** Bytes the label at q takes after its first byte; -1 (with tcpdump's marker text) when unusable. */
  const labelLength = (q: number): number => {
    if (q >= end) return -1;
    const i = d[q];
    if ((i & 0xc0) === 0x40) {
      const elt = i & 0x3f;
      if (elt !== 1) { text += `<ELT ${elt}>`; return -1; }
      if (q + 1 >= end) return -1;
      return (((d[q + 1] || 256) + 7) >> 3) + 1;
    }
    if ((i & 0xc0) === 0x80) { text += '<BAD LABEL TYPE>'; return -1; }
    return i;
  };
  let l = labelLength(p);
  if (l < 0) return fail();
  // tcpdump keeps this unsigned: a name before `msg` (EDNS CHAIN) allows any pointer.
  let maxOffset = p - msg < 0 ? p - msg + 2 ** 32 : p - msg;
  let i = d[p++];
  let next = -1;
  let compressed = false;
  if ((i & 0xc0) !== 0xc0) next = p + l;
  if (i === 0) return { text: '.', next };
  let chars = 0;
  while (i !== 0 && p < end) {
    if ((i & 0xc0) === 0xc0) {
      if (!compressed) { next = p + 1; compressed = true; }
      const offset = ((i << 8) | d[p]) & 0x3fff;
      // Pointers must go backwards (BIND's rule, which tcpdump follows): no loops.
      if (offset >= maxOffset) { text += '<BAD PTR>'; return fail(); }
      maxOffset = offset;
      p = msg + offset;
      if (p >= end) return fail();
      i = d[p];
      l = labelLength(p);
      if (l < 0) return fail();
      p++;
      continue;
    }
    if ((i & 0xc0) === 0x40) {
      if (!bitLabel(d, p, end, (s) => { text += s; })) return fail();
    } else {
      const n = chars + l <= MAX_NAME_CHARS ? l : Math.max(0, MAX_NAME_CHARS - chars);
      if (n > 0) {
        const r = escapedBytes(d, p, n, end);
        text += r.text;
        if (!r.complete) return fail();
      }
      chars += l;
    }
    p += l;
    if (chars <= MAX_NAME_CHARS) text += '.';
    chars++;
    if (p >= end) return fail();
    i = d[p];
    l = labelLength(p);
    if (l < 0) return fail();
    p++;
    if (!compressed) next += l + 1;
  }
  if (chars > MAX_NAME_CHARS) text += '<DOMAIN NAME TOO LONG>';
  return { text, next };
}

/** An EDNS0 bit-string label (`\[x…/bits]`) at `p` (its bit-count byte); false when cut. */
function bitLabel(d: Uint8Array, p: number, end: number, out: (s: string) => void): boolean {
  if (p >= end) return false;
  const bits = d[p] || 256;
  const lim = p + 1 + ((bits + 3) >> 2);
  out('\\[x');
  let q = p + 1;
  let b = bits;
  for (; q < lim && b > 7; b -= 8, q++) {
    if (q >= end) return false;
    out(d[q].toString(16).padStart(2, '0'));
  }
  if (b > 0 && q >= end) return false;
  if (b > 4) out((d[q] & (0xff << (8 - b)) & 0xff).toString(16).padStart(2, '0'));
  else if (b > 0) out((((d[q] >> 4) & 0x0f) & (0x0f << (4 - b))).toString(16));
  out(`/${bits}]`);
  return true;
}

/** A <character-string> at `p` (length byte, bytes) as tcpdump's ns_cprint; `next` -1 when cut. */
export function dnsCharacterString(d: Uint8Array, p: number, end: number): DnsNameText {
  if (p >= end) return { text: '', next: -1 };
  const n = d[p];
  const r = escapedBytes(d, p + 1, n, end);
  return { text: r.text, next: r.complete ? p + 1 + n : -1 };
}
