/**
 * Writes a synthetic classic pcap of mixed realistic traffic through our PcapWriter: Ethernet with IPv4
 * and IPv6, TCP with options (MSS/SACK/timestamps) and payloads from 0 to 1448 bytes, UDP/DNS queries and
 * answers, ICMP echo, ARP, and some 802.1Q-tagged frames. Frames come from prebuilt templates; per
 * packet only sequence numbers, IP ids and times change, so a million packets take a few seconds.
 */
import { closeSync, openSync } from 'node:fs';
import { PcapWriter } from '../src/core/pcap/pcapWriter';

interface Template { frame: Uint8Array; weight: number; seqAt?: number; idAt?: number }

function ipv4Checksum(b: Uint8Array, start: number): void {
  let sum = 0;
  for (let i = 0; i < 20; i += 2) sum += (b[start + i] << 8) | b[start + i + 1];
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  const c = ~sum & 0xffff;
  b[start + 10] = c >> 8;
  b[start + 11] = c & 0xff;
}

function ethernet(ethertype: number, vlan: number | undefined, payload: Uint8Array): Uint8Array {
  const head = vlan === undefined ? 14 : 18;
  const f = new Uint8Array(head + payload.length);
  f.set([0x52, 0x54, 0x00, 0x12, 0x34, 0x56, 0xfa, 0x16, 0x3e, 0xaa, 0xbb, 0xcc]);
  const v = new DataView(f.buffer);
  if (vlan !== undefined) { v.setUint16(12, 0x8100); v.setUint16(14, vlan); v.setUint16(16, ethertype); } else v.setUint16(12, ethertype);
  f.set(payload, head);
  return f;
}

function ipv4(proto: number, src: number, dst: number, l4: Uint8Array): Uint8Array {
  const p = new Uint8Array(20 + l4.length);
  const v = new DataView(p.buffer);
  v.setUint8(0, 0x45); v.setUint16(2, p.length); v.setUint16(4, 0x1234); v.setUint16(6, 0x4000);
  v.setUint8(8, 64); v.setUint8(9, proto); v.setUint32(12, src); v.setUint32(16, dst);
  ipv4Checksum(p, 0);
  p.set(l4, 20);
  return p;
}

function ipv6(next: number, l4: Uint8Array): Uint8Array {
  const p = new Uint8Array(40 + l4.length);
  const v = new DataView(p.buffer);
  v.setUint32(0, 0x60000000); v.setUint16(4, l4.length); v.setUint8(6, next); v.setUint8(7, 64);
  p.set([0xfd, 0, 0, 0xc8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], 8);
  p.set([0xfd, 0, 0, 0xc8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2], 24);
  p.set(l4, 40);
  return p;
}

function tcp(payloadLength: number, flags: number, syn: boolean): Uint8Array {
  // SYN: MSS, SACK-permitted, timestamps, window scale (20 option bytes); others: NOP NOP timestamps (12).
  const opts = syn ? [2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7] : [1, 1, 8, 10, 0, 0, 0, 2, 0, 0, 0, 1];
  const t = new Uint8Array(20 + opts.length + payloadLength);
  const v = new DataView(t.buffer);
  v.setUint16(0, 40000 + payloadLength % 1000); v.setUint16(2, 443); v.setUint32(4, 1000); v.setUint32(8, 2000);
  v.setUint8(12, ((20 + opts.length) / 4) << 4); v.setUint8(13, flags); v.setUint16(14, 502);
  t.set(opts, 20);
  for (let i = 20 + opts.length; i < t.length; i++) t[i] = i & 0xff;
  return t;
}

function udp(srcPort: number, dstPort: number, payload: Uint8Array): Uint8Array {
  const u = new Uint8Array(8 + payload.length);
  const v = new DataView(u.buffer);
  v.setUint16(0, srcPort); v.setUint16(2, dstPort); v.setUint16(4, u.length);
  u.set(payload, 8);
  return u;
}

const DNS_QUERY = Uint8Array.from([0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 3, 0x77, 0x77, 0x77, 7, 0x65, 0x78, 0x61, 0x6d, 0x70, 0x6c, 0x65, 3, 0x63, 0x6f, 0x6d, 0, 0, 1, 0, 1]);
const DNS_ANSWER = Uint8Array.from([...DNS_QUERY.slice(0, 2), 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0, ...DNS_QUERY.slice(12), 0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0x0e, 0x10, 0, 4, 93, 184, 216, 34]);

function icmpEcho(size: number): Uint8Array {
  const i = new Uint8Array(8 + size);
  i[0] = 8; i[5] = 0x2a; i[7] = 1;
  for (let k = 8; k < i.length; k++) i[k] = k & 0xff;
  return i;
}

function arp(): Uint8Array {
  return Uint8Array.from([0, 1, 8, 0, 6, 4, 0, 1, 0xfa, 0x16, 0x3e, 0xaa, 0xbb, 0xcc, 10, 200, 0, 1, 0, 0, 0, 0, 0, 0, 10, 200, 0, 2]);
}

function templates(): Template[] {
  const a = 0x0ac80001;
  const b = 0x0ac80002;
  const list: Template[] = [];
  const tcp4 = (len: number, weight: number, vlan?: number, flags = 0x18): void => {
    const frame = ethernet(0x0800, vlan, ipv4(6, a, b, tcp(len, flags, false)));
    const ip = vlan === undefined ? 14 : 18;
    list.push({ frame, weight, seqAt: ip + 20 + 4, idAt: ip + 4 });
  };
  tcp4(1448, 18); tcp4(1448, 4, 100); tcp4(0, 20, undefined, 0x10); tcp4(0, 2, 100, 0x10);
  for (const len of [64, 200, 517, 900, 1200]) tcp4(len, 2);
  list.push({ frame: ethernet(0x0800, undefined, ipv4(6, a, b, tcp(0, 0x02, true))), weight: 1, idAt: 18 });
  list.push({ frame: ethernet(0x86dd, undefined, ipv6(6, tcp(1448, 0x18, false))), weight: 6, seqAt: 14 + 40 + 4 });
  list.push({ frame: ethernet(0x86dd, undefined, ipv6(6, tcp(0, 0x10, false))), weight: 6, seqAt: 14 + 40 + 4 });
  list.push({ frame: ethernet(0x86dd, undefined, ipv6(17, udp(5353, 53, DNS_QUERY))), weight: 2 });
  list.push({ frame: ethernet(0x0800, undefined, ipv4(17, a, b, udp(53000, 53, DNS_QUERY))), weight: 3, idAt: 18 });
  list.push({ frame: ethernet(0x0800, undefined, ipv4(17, b, a, udp(53, 53000, DNS_ANSWER))), weight: 3, idAt: 18 });
  list.push({ frame: ethernet(0x0800, undefined, ipv4(1, a, b, icmpEcho(56))), weight: 2, idAt: 18 });
  list.push({ frame: ethernet(0x0800, 200, ipv4(1, b, a, icmpEcho(56))), weight: 1, idAt: 22 });
  list.push({ frame: ethernet(0x0806, undefined, arp()), weight: 1 });
  return list;
}

/** Writes `packets` records to `path`; returns the number of bytes written. */
export function generateCapture(path: string, packets: number, seed = 1): number {
  const list = templates();
  const table: Template[] = [];
  for (const t of list) for (let i = 0; i < t.weight; i++) table.push(t);
  let state = seed >>> 0;
  const next = (): number => { state = (Math.imul(state, 1664525) + 1013904223) >>> 0; return state; };
  const fd = openSync(path, 'w');
  let bytes = 24;
  try {
    const w = new PcapWriter(fd, { linkType: 1, bufferSize: 4 * 1024 * 1024 });
    let sec = 1795430000;
    let nsec = 0;
    for (let i = 0; i < packets; i++) {
      const t = table[next() % table.length];
      const f = t.frame;
      if (t.seqAt !== undefined) { const s = i * 1448; f[t.seqAt] = s >>> 24; f[t.seqAt + 1] = s >>> 16; f[t.seqAt + 2] = s >>> 8; f[t.seqAt + 3] = s; }
      if (t.idAt !== undefined) { f[t.idAt] = i >>> 8; f[t.idAt + 1] = i; }
      nsec += 1000 + (next() % 20000) * 1000;
      if (nsec >= 1e9) { sec += Math.floor(nsec / 1e9); nsec %= 1e9; }
      w.writeRecord(sec, nsec, f);
      bytes += 16 + f.length;
    }
    w.flush();
  } finally {
    closeSync(fd);
  }
  return bytes;
}
