/**
 * Streams one capture file into CaptureColumns: each record is dissected into one reused
 * PacketFields and reduced to its identity at once, so memory is the columns only.
 * The reader and the dissector are passed in (they live in src/core/pcap and src/core/decode).
 */
import { stat } from 'node:fs/promises';
import type { CaptureRecord } from '../pcap/captureRecord';
import { PacketFields } from '../decode/packetFields';
import { CaptureColumns } from './captureColumns';
import { PacketIdentity, computePacketIdentity } from './packetIdentity';

export type ReadCaptureFile = (path: string, handlers: { onRecord(rec: CaptureRecord): void }) => Promise<unknown>;
/** Fills `out` (resetting it first) from one record's bytes. */
export type DissectPacket = (data: Uint8Array, caplen: number, linkType: number, out: PacketFields) => unknown;
/** The same on the packet at `start` of a larger buffer (offsets in `out` then index `bytes`). */
export type DissectPacketAt = (bytes: Uint8Array, start: number, caplen: number, linkType: number, out: PacketFields) => unknown;

export interface CaptureLoaders {
  readCaptureFile: ReadCaptureFile;
  dissectPacket: DissectPacket;
  /**
   * Optional: used instead of dissectPacket when the reader hands out `rec.bytes`/`rec.dataOffset`
   * (the streaming reader does), so no view is made per record.
   */
  dissectPacketAt?: DissectPacketAt;
}

export async function loadCaptureColumns(path: string, name: string, host: string, loaders: CaptureLoaders): Promise<CaptureColumns> {
  // Pre-size from the file size (records of 60+16 bytes or more) to avoid the doubling peak.
  let size = 0;
  try { size = (await stat(path)).size; } catch { /* the reader reports a missing file */ }
  const cols = new CaptureColumns(name, host, Math.max(4096, Math.min(Math.ceil(size / 76), 1 << 26)));
  const fields = new PacketFields();
  const id = new PacketIdentity();
  const { dissectPacket, dissectPacketAt } = loaders;
  await loaders.readCaptureFile(path, {
    onRecord(rec) {
      const bytes = rec.bytes;
      let d: Uint8Array;
      if (dissectPacketAt && bytes && rec.dataOffset !== undefined) {
        dissectPacketAt(bytes, rec.dataOffset, rec.caplen, rec.linkType, fields);
        d = bytes;
      } else {
        dissectPacket(rec.data, rec.caplen, rec.linkType, fields);
        d = rec.data;
      }
      computePacketIdentity(fields, d, id);
      // IPv6 (the lean path sets ipVersion and the address offsets too): its addresses for verdict texts
      // and flow labels, once per flow.
      if (id.src4 === 0 && id.dst4 === 0 && fields.ipVersion === 6 && fields.ipSrcOffset >= 0 && fields.ipDstOffset >= 0) {
        cols.noteIpv6Flow(id.flow, id.dir, d, fields.ipSrcOffset, fields.ipDstOffset);
      }
      cols.push(id, rec.tsSec, rec.tsNsec);
    },
  });
  return cols;
}
