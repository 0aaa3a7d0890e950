/**
 * Rewrites the timestamps of a classic pcap file (µs or ns, either byte order) record by record:
 * the way the lab tests shift one host's clock or delay chosen packets, since this kernel has no netem.
 * `shiftSec(index, data)` returns the seconds to add to record `index` (its bytes are `data`).
 */
import { readFileSync, writeFileSync } from 'node:fs';

export function rewritePcapTimestamps(inPath: string, outPath: string, shiftSec: (index: number, data: Uint8Array) => number): number {
  const buf = readFileSync(inPath);
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const magicLe = dv.getUint32(0, true);
  let le: boolean;
  let units: number;
  if (magicLe === 0xa1b2c3d4 || magicLe === 0xa1b23c4d) { le = true; units = magicLe === 0xa1b23c4d ? 1e9 : 1e6; }
  else if (dv.getUint32(0, false) === 0xa1b2c3d4 || dv.getUint32(0, false) === 0xa1b23c4d) {
    le = false; units = dv.getUint32(0, false) === 0xa1b23c4d ? 1e9 : 1e6;
  } else throw new Error(`${inPath}: not a classic pcap file`);
  let p = 24;
  let index = 0;
  let changed = 0;
  while (p + 16 <= buf.length) {
    const incl = dv.getUint32(p + 8, le);
    const data = new Uint8Array(buf.buffer, buf.byteOffset + p + 16, incl);
    const s = shiftSec(index, data);
    if (s !== 0) {
      const total = dv.getUint32(p, le) * units + dv.getUint32(p + 4, le) + Math.round(s * units);
      dv.setUint32(p, Math.floor(total / units), le);
      dv.setUint32(p + 4, total % units, le);
      changed++;
    }
    p += 16 + incl;
    index++;
  }
  writeFileSync(outPath, buf);
  return changed;
}

/** ICMP echo (type, seq) of an Ethernet/IPv4 frame, or null: enough to pick packets to delay. */
export function ethernetIcmpEcho(data: Uint8Array): { type: number; seq: number } | null {
  if (data.length < 14 + 20 + 8 || data[12] !== 0x08 || data[13] !== 0x00 || data[14 + 9] !== 1) return null;
  const icmp = 14 + (data[14] & 0x0f) * 4;
  return { type: data[icmp], seq: (data[icmp + 6] << 8) | data[icmp + 7] };
}

/** Same for LINUX_SLL2 (`-i any`): 20-byte header, protocol at offset 0. */
export function sll2IcmpEcho(data: Uint8Array): { type: number; seq: number } | null {
  if (data.length < 20 + 20 + 8 || data[0] !== 0x08 || data[1] !== 0x00 || data[20 + 9] !== 1) return null;
  const icmp = 20 + (data[20] & 0x0f) * 4;
  return { type: data[icmp], seq: (data[icmp + 6] << 8) | data[icmp + 7] };
}
