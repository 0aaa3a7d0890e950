/**
 * EDNS options of an OPT record as tcpdump 4.99 prints them (` [COOKIE 0123… 4567…,PADDING (12)]`).
 * tcpdump prints an OPT record's options only when the record is among the answers (without -v).
 */
import { readU16, readU32 } from './byteReaders';
import { ipv4Text, ipv6Text } from './addressText';
import { dnsNameText } from './dnsNameText';

const OPTION_NAMES = new Map<number, string>([
  [1, 'LLQ'], [2, 'UL'], [3, 'NSID'], [5, 'DAU'], [6, 'DHU'], [7, 'N3U'], [8, 'ECS'], [9, 'EXPIRE'], [10, 'COOKIE'],
  [11, 'KEEPALIVE'], [12, 'PADDING'], [13, 'CHAIN'], [14, 'KEY-TAG'], [16, 'CLIENT-TAG'], [17, 'SERVER-TAG'],
]);
const DNSSEC_ALGORITHMS = new Map<number, string>([
  [0, 'DELETE'], [1, 'RSAMD5'], [2, 'DH'], [3, 'DS'], [5, 'RSASHA1'], [6, 'DSA-NSEC3-SHA1'], [7, 'RSASHA1-NSEC3-SHA1'],
  [8, 'RSASHA256'], [10, 'RSASHA512'], [12, 'ECC-GOST'], [13, 'ECDSAP256SHA256'], [14, 'ECDSAP384SHA384'], [15, 'ED25519'],
  [16, 'ED448'], [252, 'INDIRECT'], [253, 'PRIVATEDNS'], [254, 'PRIVATEOID'],
]);
const DS_DIGESTS = new Map<number, string>([[1, 'SHA-1'], [2, 'SHA-256'], [3, 'GOST_R_34.11-94'], [4, 'SHA-384']]);
const NSEC3_HASHES = new Map<number, string>([[1, 'SHA-1']]);
const INVALID = ' (invalid)';

const hex = (d: Uint8Array, p: number, n: number): string => {
  let s = '';
  for (let i = 0; i < n; i++) s += d[p + i].toString(16).padStart(2, '0');
  return s;
};
const names = (d: Uint8Array, p: number, n: number, table: Map<number, string>): string => {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(table.get(d[p + i]) ?? `Alg_${d[p + i]}`);
  return out.join(' ');
};

/** EDNS Client Subnet: `10.0.0.0/24/0`. */
function clientSubnet(d: Uint8Array, p: number, n: number): string {
  if (n < 4) return INVALID;
  const family = readU16(d, p);
  const source = d[p + 2];
  const scope = d[p + 3];
  const bits = family === 1 ? 32 : family === 2 ? 128 : 0;
  if (bits === 0 || n - 4 > bits / 8 || source > bits || scope > bits || ((source + 7) >> 3) !== n - 4) return INVALID;
  const a = new Uint8Array(16);
  a.set(d.subarray(p + 4, p + n));
  return `${family === 1 ? ipv4Text(a, 0) : ipv6Text(a, 0)}/${source}/${scope}`;
}

function optionData(d: Uint8Array, code: number, p: number, n: number, end: number): string {
  switch (code) {
    case 8: return clientSubnet(d, p, n);
    case 10: {
      if (n < 8 || (n > 8 && n < 16) || n > 40) return INVALID;
      return n > 8 ? `${hex(d, p, 8)} ${hex(d, p + 8, n - 8)}` : hex(d, p, n);
    }
    case 11: return n !== 2 ? INVALID : `${(readU16(d, p) / 10).toFixed(1)} sec`;
    case 9: return n !== 4 ? INVALID : `${readU32(d, p)} sec`;
    case 12: return `(${n})`;
    case 14: {
      if (n % 2 !== 0) return INVALID;
      const tags: number[] = [];
      for (let i = 0; i < n; i += 2) tags.push(readU16(d, p + i));
      return tags.join(' ');
    }
    case 5: return names(d, p, n, DNSSEC_ALGORITHMS);
    case 6: return names(d, p, n, DS_DIGESTS);
    case 7: return names(d, p, n, NSEC3_HASHES);
    // tcpdump hands CHAIN's name a message that starts right after it: only a plain name prints.
    case 13: return dnsNameText(d, p + n, p, end).text;
    default: return hex(d, p, n);
  }
}

/** The options at [p, rp) of an OPT record; `ok` false where tcpdump stops with `[|domain]`. */
export function ednsOptionsText(d: Uint8Array, p: number, rp: number, end: number): { text: string; ok: boolean } {
  if (p >= rp) return { text: '', ok: true };
  let text = ' [';
  while (p < rp) {
    if (p + 2 > end) return { text, ok: false };
    const code = readU16(d, p);
    text += OPTION_NAMES.get(code) ?? `Opt${code}`;
    if (p + 4 > end) return { text, ok: false };
    const n = readU16(d, p + 2);
    p += 4;
    if (p + n > end) return { text, ok: false };
    if (n > 0) text += ` ${optionData(d, code, p, n, end)}`;
    p += n;
    if (p < rp) text += ',';
  }
  return { text: `${text}]`, ok: true };
}
