/**
 * Compiles a display filter into a predicate over a dissected packet. Compilation resolves every
 * field name and parses every value once, so evaluation allocates nothing and runs per packet on
 * the pcap editor's full-file passes.
 */
import type { PacketFields } from '../decode/packetFields';
import { FILTER_FIELDS, FILTER_PROTOCOLS, type FieldKind, type FilterField, type FrameInfo } from './displayFilterFields';
import { DisplayFilterError, parseDisplayFilter, type CompareOp, type FilterNode } from './displayFilterSyntax';
import { parseFilterDateTime, parseFilterEpoch, parseFilterSeconds } from './displayFilterTime';

export type PacketPredicate = (f: PacketFields, data: Uint8Array, frame: FrameInfo) => boolean;

interface AddressValue { bytes: Uint8Array; prefixBits: number }

function parseIpv4(text: string): Uint8Array | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    if (!/^\d{1,3}$/.test(parts[i]) || Number(parts[i]) > 255) return undefined;
    out[i] = Number(parts[i]);
  }
  return out;
}

function parseIpv6(text: string): Uint8Array | undefined {
  if (!/^[0-9A-Fa-f:.]+$/.test(text) || !text.includes(':')) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (s: string): number[] | undefined => {
    if (s === '') return [];
    const out: number[] = [];
    for (const g of s.split(':')) {
      if (g.includes('.')) {
        const v4 = parseIpv4(g);
        if (!v4) return undefined;
        out.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
      } else {
        if (!/^[0-9A-Fa-f]{1,4}$/.test(g)) return undefined;
        out.push(parseInt(g, 16));
      }
    }
    return out;
  };
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if ((halves.length === 1 && missing !== 0) || (halves.length === 2 && missing < 1)) return undefined;
  const all = [...head, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
  const out = new Uint8Array(16);
  all.forEach((g, i) => { out[2 * i] = g >> 8; out[2 * i + 1] = g & 0xff; });
  return out;
}

function parseMac(text: string): Uint8Array | undefined {
  const m = /^([0-9A-Fa-f]{2})[:-]([0-9A-Fa-f]{2})[:-]([0-9A-Fa-f]{2})[:-]([0-9A-Fa-f]{2})[:-]([0-9A-Fa-f]{2})[:-]([0-9A-Fa-f]{2})$/.exec(text);
  return m ? Uint8Array.from(m.slice(1).map((h) => parseInt(h, 16))) : undefined;
}

function parseAddress(kind: 'ipv4' | 'ipv6' | 'mac', text: string, position: number): AddressValue {
  const [addr, prefix, extra] = text.split('/');
  const bytes = kind === 'ipv4' ? parseIpv4(addr) : kind === 'ipv6' ? parseIpv6(addr) : parseMac(addr);
  const what = kind === 'ipv4' ? 'an IPv4 address' : kind === 'ipv6' ? 'an IPv6 address' : 'a MAC address';
  if (!bytes || extra !== undefined) throw new DisplayFilterError(`'${text}' is not ${what}`, position);
  let prefixBits = bytes.length * 8;
  if (prefix !== undefined) {
    if (kind === 'mac' || !/^\d{1,3}$/.test(prefix) || Number(prefix) > prefixBits) {
      throw new DisplayFilterError(`'/${prefix}' is not a valid prefix length for ${what}`, position);
    }
    prefixBits = Number(prefix);
  }
  return { bytes, prefixBits };
}

function parseUint(text: string, position: number): number {
  const v = /^0x[0-9A-Fa-f]+$/.test(text) ? parseInt(text, 16) : /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(v)) throw new DisplayFilterError(`'${text}' is not a number`, position);
  return v;
}

/** Compares `bits` leading bits of data[offset..] with the value: -1, 0 or 1 like a comparator. */
function compareAddress(d: Uint8Array, offset: number, v: AddressValue): number {
  const full = v.prefixBits >> 3;
  for (let i = 0; i < full; i++) {
    const a = d[offset + i];
    const b = v.bytes[i];
    if (a !== b) return a < b ? -1 : 1;
  }
  const rest = v.prefixBits & 7;
  if (rest) {
    const mask = (0xff << (8 - rest)) & 0xff;
    const a = d[offset + full] & mask;
    const b = v.bytes[full] & mask;
    if (a !== b) return a < b ? -1 : 1;
  }
  return 0;
}

const TEST: Record<CompareOp, (c: number) => boolean> = {
  '==': (c) => c === 0, '!=': (c) => c === 0, '<': (c) => c < 0, '>': (c) => c > 0, '<=': (c) => c <= 0, '>=': (c) => c >= 0,
};

function suggest(name: string): string {
  const known = [...Object.keys(FILTER_FIELDS), ...Object.keys(FILTER_PROTOCOLS)];
  const prefix = name.split('.')[0];
  const close = known.filter((k) => k.startsWith(`${prefix}.`) || k === prefix).slice(0, 6);
  return close.length ? ` (known: ${close.join(', ')})` : '';
}

/** frame.time* comparisons: one occurrence, always present, exact to the nanosecond. */
function compileTimeCompare(name: string, field: FilterField, op: CompareOp, value: string, quoted: boolean, valuePosition: number): PacketPredicate {
  const test = TEST[op];
  const negate = op === '!=';
  if (field.kind === 'reltime') {
    if (quoted) throw new DisplayFilterError(`${name} takes seconds without quotes (e.g. ${name} > 0.5)`, valuePosition);
    const v = parseFilterSeconds(value, valuePosition);
    return (f, d, m) => test(Math.sign(field.read(f, d, m, 0) - v)) !== negate;
  }
  let at;
  if (name === 'frame.time_epoch') {
    if (quoted) throw new DisplayFilterError('frame.time_epoch takes seconds since 1970 without quotes (e.g. frame.time_epoch >= 1795446324.5); use frame.time for a date', valuePosition);
    at = parseFilterEpoch(value, valuePosition);
  } else {
    if (!quoted) throw new DisplayFilterError(`${name} takes a quoted date and time, e.g. ${name} >= "2026-11-23 10:00:00" (local time)`, valuePosition);
    at = parseFilterDateTime(value, valuePosition);
  }
  const { sec, nsec } = at;
  // The seconds decide unless equal (|Δsec| ≥ 1 s outweighs any nanosecond difference).
  return (_f, _d, m) => test(m.tsSec !== sec ? Math.sign(m.tsSec - sec) : Math.sign(m.tsNsec - nsec)) !== negate;
}

function compileCompare(field: FilterField, op: CompareOp, value: string, valuePosition: number, byteLength: (f: FilterField) => number): PacketPredicate {
  const test = TEST[op];
  // Wireshark semantics: `a != b` is "a is present and no occurrence equals b"; the other operators
  // are "some occurrence"; an absent field never matches a comparison.
  const negate = op === '!=';
  if (field.kind === 'uint') {
    const v = parseUint(value, valuePosition);
    return (f, d, m) => {
      let present = false;
      for (let i = 0; i < field.arity; i++) {
        const x = field.read(f, d, m, i);
        if (x < 0) continue;
        present = true;
        if (test(x === v ? 0 : x < v ? -1 : 1)) return !negate;
      }
      return negate && present;
    };
  }
  if (field.kind === 'reltime' || field.kind === 'abstime') throw new Error('time fields compile in compileTimeCompare');
  const addr = parseAddress(field.kind, value, valuePosition);
  const len = byteLength(field);
  return (f, d, m) => {
    let present = false;
    for (let i = 0; i < field.arity; i++) {
      const off = field.read(f, d, m, i);
      if (off < 0 || off + len > f.capLength) continue;
      present = true;
      if (test(compareAddress(d, off, addr))) return !negate;
    }
    return negate && present;
  };
}

const BYTES: Record<FieldKind, number> = { uint: 0, ipv4: 4, ipv6: 16, mac: 6, reltime: 0, abstime: 0 };

function compileNode(node: FilterNode): PacketPredicate {
  switch (node.type) {
    case 'and': { const a = compileNode(node.left); const b = compileNode(node.right); return (f, d, m) => a(f, d, m) && b(f, d, m); }
    case 'or': { const a = compileNode(node.left); const b = compileNode(node.right); return (f, d, m) => a(f, d, m) || b(f, d, m); }
    case 'not': { const a = compileNode(node.operand); return (f, d, m) => !a(f, d, m); }
    case 'present': {
      const proto = FILTER_PROTOCOLS[node.field];
      if (proto) return (f, d) => proto(f, d);
      const field = FILTER_FIELDS[node.field];
      if (!field) throw new DisplayFilterError(`unknown field or protocol '${node.field}'${suggest(node.field)}`, node.position);
      if (field.kind === 'reltime' || field.kind === 'abstime') return () => true;
      return (f, d, m) => { for (let i = 0; i < field.arity; i++) if (field.read(f, d, m, i) >= 0) return true; return false; };
    }
    case 'compare': {
      const field = FILTER_FIELDS[node.field];
      if (!field) {
        const hint = FILTER_PROTOCOLS[node.field] ? ` ('${node.field}' is a protocol: use it alone, e.g. "${node.field} and …")` : suggest(node.field);
        throw new DisplayFilterError(`unknown field '${node.field}'${hint}`, node.position);
      }
      if (field.kind === 'mac' && node.op !== '==' && node.op !== '!=') {
        throw new DisplayFilterError(`'${node.op}' does not apply to MAC addresses`, node.position);
      }
      if (field.kind === 'reltime' || field.kind === 'abstime') return compileTimeCompare(node.field, field, node.op, node.value, node.quoted, node.valuePosition);
      return compileCompare(field, node.op, node.value, node.valuePosition, (fl) => BYTES[fl.kind]);
    }
    case 'host': {
      const v4 = parseIpv4(node.value.split('/')[0]);
      const names = v4
        ? { src: ['ip.src', 'arp.src.proto_ipv4'], dst: ['ip.dst', 'arp.dst.proto_ipv4'], any: ['ip.addr', 'arp.src.proto_ipv4', 'arp.dst.proto_ipv4'] }
        : parseIpv6(node.value.split('/')[0])
          ? { src: ['ipv6.src'], dst: ['ipv6.dst'], any: ['ipv6.addr'] }
          : parseMac(node.value)
            ? { src: ['eth.src'], dst: ['eth.dst'], any: ['eth.addr'] }
            : undefined;
      if (!names) throw new DisplayFilterError(`'${node.value}' is not an IPv4, IPv6 or MAC address (host names are not resolved)`, node.position);
      const preds = names[node.direction].map((n) => compileCompare(FILTER_FIELDS[n], '==', node.value, node.position, (fl) => BYTES[fl.kind]));
      return (f, d, m) => preds.some((p) => p(f, d, m));
    }
    case 'port': {
      const names = { src: ['tcp.srcport', 'udp.srcport'], dst: ['tcp.dstport', 'udp.dstport'], any: ['tcp.port', 'udp.port'] }[node.direction];
      const v = parseUint(node.value, node.position);
      if (v > 65535) throw new DisplayFilterError(`port ${v} is out of range`, node.position);
      const preds = names.map((n) => compileCompare(FILTER_FIELDS[n], '==', node.value, node.position, () => 0));
      return (f, d, m) => preds[0](f, d, m) || preds[1](f, d, m);
    }
  }
}

/** Compiles filter text; an empty filter matches everything. Throws DisplayFilterError with a position. */
export function compileDisplayFilter(text: string): PacketPredicate {
  const tree = parseDisplayFilter(text);
  return tree ? compileNode(tree) : () => true;
}
