/**
 * TEST-ONLY stand-in for the real reader (src/core/pcap, landing separately): reads a whole
 * classic pcap file (µs or ns, either byte order) into CaptureRecord objects. Delete when
 * CaptureStreamReader / readCaptureFile are on main.
 */
import { readFileSync } from 'node:fs';
import type { CaptureRecord } from '../../src/core/pcap/captureRecord';

export function readClassicPcapForTests(path: string): CaptureRecord[] {
  const buf = readFileSync(path);
  const magicLe = buf.readUInt32LE(0);
  const le = magicLe === 0xa1b2c3d4 || magicLe === 0xa1b23c4d;
  const magic = le ? magicLe : buf.readUInt32BE(0);
  if (magic !== 0xa1b2c3d4 && magic !== 0xa1b23c4d) throw new Error(`${path}: not a classic pcap file`);
  const nsec = magic === 0xa1b23c4d;
  const u32 = (o: number): number => (le ? buf.readUInt32LE(o) : buf.readUInt32BE(o));
  const linkType = u32(20) & 0x0fffffff;
  const records: CaptureRecord[] = [];
  let off = 24;
  while (off + 16 <= buf.length) {
    const caplen = u32(off + 8);
    if (off + 16 + caplen > buf.length) break;
    records.push({
      data: new Uint8Array(buf.buffer, buf.byteOffset + off + 16, caplen), caplen, origLen: u32(off + 12),
      tsSec: u32(off), tsNsec: nsec ? u32(off + 4) : u32(off + 4) * 1000, linkType, interfaceId: 0, fileOffset: off, index: records.length,
    });
    off += 16 + caplen;
  }
  return records;
}
