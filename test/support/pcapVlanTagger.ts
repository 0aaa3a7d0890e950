/**
 * Inserts an 802.1Q tag into every Ethernet frame of a classic little-endian pcap file (tcpdump's
 * output here): the way the lab builds VLAN-tagged captures from real traffic, since this kernel has
 * neither 8021q (VLAN sub-interfaces) nor tc act_vlan. Returns the number of frames tagged.
 */
import { readFileSync, writeFileSync } from 'node:fs';

export function tagPcapVlan(inPath: string, outPath: string, vlanId: number): number {
  const buf = readFileSync(inPath);
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const magic = dv.getUint32(0, true);
  if ((magic !== 0xa1b2c3d4 && magic !== 0xa1b23c4d) || dv.getUint32(20, true) !== 1) throw new Error(`${inPath}: not a little-endian Ethernet pcap`);
  const parts: Buffer[] = [buf.subarray(0, 24)];
  let p = 24;
  let n = 0;
  while (p + 16 <= buf.length) {
    const incl = dv.getUint32(p + 8, true);
    const orig = dv.getUint32(p + 12, true);
    const head = Buffer.from(buf.subarray(p, p + 16));
    const frame = buf.subarray(p + 16, p + 16 + incl);
    head.writeUInt32LE(incl + 4, 8);
    head.writeUInt32LE(orig + 4, 12);
    const tag = Buffer.from([0x81, 0x00, (vlanId >> 8) & 0x0f, vlanId & 0xff]);
    parts.push(head, frame.subarray(0, 12), tag, frame.subarray(12));
    p += 16 + incl;
    n++;
  }
  writeFileSync(outPath, Buffer.concat(parts));
  return n;
}
