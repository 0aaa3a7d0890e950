/**
 * Writes N-packet classic pcap files as four hops of one path would see them: ICMP echo
 * request/reply pairs and TCP data segments between two hosts, 100 µs apart, 30 µs per hop,
 * replies crossing the hops in reverse. MACs and TTL change at the third hop (a router).
 */
import { openSync, writeSync, closeSync } from 'node:fs';

const HOPS = 4;

export function writeBenchCaptures(paths: readonly string[], packets: number): void {
  if (paths.length !== HOPS) throw new Error('four paths');
  const fds = paths.map((p) => openSync(p, 'w'));
  const chunk = paths.map(() => Buffer.alloc(8 << 20));
  const used = new Int32Array(HOPS);
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b23c4d, 0); // nanosecond pcap
  header.writeUInt16LE(2, 4); header.writeUInt16LE(4, 6); header.writeUInt32LE(262144, 16); header.writeUInt32LE(1, 20);
  for (const fd of fds) writeSync(fd, header);
  const frame = Buffer.alloc(70);
  const baseSec = 1_790_000_000;
  for (let k = 0; k < packets; k++) {
    const kind = k & 3; // 0 echo request, 1 echo reply, 2-3 TCP data
    const reverse = kind === 1 || kind === 3;
    const len = kind < 2 ? 58 : 70;
    frame.fill(0);
    frame[12] = 0x08; frame[13] = 0x00; frame[14] = 0x45;
    frame.writeUInt16BE(len - 14, 16);
    frame.writeUInt16BE((k * 7) & 0xffff, 18);
    const src = reverse ? 0x0acd0202 : 0x0acd0101;
    const dst = reverse ? 0x0acd0101 : 0x0acd0202;
    frame.writeUInt32BE(src, 26); frame.writeUInt32BE(dst, 30);
    if (kind < 2) {
      frame[23] = 1;
      frame[34] = kind === 0 ? 8 : 0;
      frame.writeUInt16BE(0x1234, 38);
      frame.writeUInt16BE((k >> 1) & 0xffff, 40);
      frame.writeUInt32BE(k, 42);
    } else {
      frame[23] = 6;
      frame.writeUInt16BE(reverse ? 80 : 40000 + ((k >> 2) % 1000), 34);
      frame.writeUInt16BE(reverse ? 40000 + ((k >> 2) % 1000) : 80, 36);
      frame.writeUInt32BE((k * 1448) >>> 0, 38);
      frame.writeUInt32BE((k * 977) >>> 0, 42);
      frame[46] = 0x50; frame[47] = 0x18;
      frame.writeUInt32BE(k, 54);
    }
    const tNs = k * 100_000;
    for (let h = 0; h < HOPS; h++) {
      const pos = reverse ? HOPS - 1 - h : h;
      const routed = pos >= 2;
      frame.writeUInt32BE(routed ? 0x02000000 : 0x02000001, 0); frame.writeUInt16BE(routed ? 0x00bb : 0x00aa, 4);
      frame.writeUInt32BE(0x02000000, 6); frame.writeUInt16BE(routed ? 0x00cc : 0x00dd, 10);
      frame[22] = routed ? 63 : 64;
      const t = tNs + pos * 30_000;
      let u = used[h];
      const buf = chunk[h];
      if (u + 16 + len > buf.length) { writeSync(fds[h], buf, 0, u); u = 0; }
      buf.writeUInt32LE(baseSec + Math.floor(t / 1e9), u);
      buf.writeUInt32LE(t % 1e9, u + 4);
      buf.writeUInt32LE(len, u + 8); buf.writeUInt32LE(len, u + 12);
      frame.copy(buf, u + 16, 0, len);
      used[h] = u + 16 + len;
    }
  }
  for (let h = 0; h < HOPS; h++) { writeSync(fds[h], chunk[h], 0, used[h]); closeSync(fds[h]); }
}
