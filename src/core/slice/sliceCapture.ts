/**
 * Cuts a capture by time ([start, end), like editcap -A/-B), packet numbers and/or a display filter,
 * streaming: classic pcap in → classic pcap out (same link type, snaplen and resolution), pcapng in →
 * pcapng out with the same interfaces. Packet numbers count the input (1-based, as tcpdump -# and
 * Wireshark show them), so they refer to what the user saw.
 */
import { dissectPacket } from '../decode/dissectPacket';
import { PacketFields } from '../decode/packetFields';
import { compileDisplayFilter, type PacketPredicate } from '../filter/compileDisplayFilter';
import { FrameClock } from '../filter/frameClock';
import { CaptureStreamReader, pumpCaptureFile } from '../pcap/captureStreamReader';
import { CaptureOutputFile } from './captureOutputFile';
import { resolveTimeBound, timestampNs, type CaptureTimeBound } from './captureTimeBound';
import { packetInRanges, type PacketRange } from './packetRanges';

export interface SliceOptions {
  startTime?: CaptureTimeBound;
  endTime?: CaptureTimeBound;
  packetNumbers?: PacketRange[];
  /** Wireshark display filter syntax (compileDisplayFilter); throws DisplayFilterError when invalid. */
  displayFilter?: string;
}

export interface SliceResult {
  packetsRead: number;
  packetsWritten: number;
  format: 'pcap' | 'pcapng';
}

export async function sliceCapture(input: string, output: string, options: SliceOptions): Promise<SliceResult> {
  // Compile first: a bad filter fails before any file is touched.
  const predicate: PacketPredicate | undefined = options.displayFilter ? compileDisplayFilter(options.displayFilter) : undefined;
  const fields = new PacketFields();
  const clock = new FrameClock();
  let out: CaptureOutputFile | undefined;
  let start: bigint | undefined;
  let end: bigint | undefined;
  let read = 0;
  const reader: CaptureStreamReader = new CaptureStreamReader({
    onInterface(iface) {
      if (!out) {
        out = reader.format === 'pcapng'
          ? new CaptureOutputFile(output, { format: 'pcapng', comment: `hopscope slice of ${input}` })
          : new CaptureOutputFile(output, { format: 'pcap', linkType: iface.linkType, snaplen: iface.snaplen || 262144, nanosecond: reader.format === 'pcap-nsec' });
      }
      if (out.format === 'pcapng') out.addInterface({ linkType: iface.linkType, name: iface.name, description: iface.description, snaplen: iface.snaplen || 262144 });
    },
    onRecord(rec) {
      read++;
      // Every packet moves the clock (frame.time_delta counts from the previous captured packet).
      const frame = clock.next(read, rec.tsSec, rec.tsNsec, rec.origLen, rec.caplen);
      if (read === 1) {
        const first = timestampNs(rec.tsSec, rec.tsNsec);
        if (options.startTime) start = resolveTimeBound(options.startTime, first);
        if (options.endTime) end = resolveTimeBound(options.endTime, first);
      }
      if (options.packetNumbers && !packetInRanges(options.packetNumbers, read)) return;
      if (start !== undefined || end !== undefined) {
        const t = timestampNs(rec.tsSec, rec.tsNsec);
        if ((start !== undefined && t < start) || (end !== undefined && t >= end)) return;
      }
      if (predicate) {
        dissectPacket(rec.data, rec.caplen, rec.linkType, fields);
        if (!predicate(fields, rec.data, frame)) return;
      }
      clock.displayed();
      out?.write(rec.interfaceId, rec.tsSec, rec.tsNsec, rec.data, rec.origLen);
    },
  });
  try {
    await pumpCaptureFile(input, reader);
    if (!out) throw new Error(`${input}: no capture header`);
    const written = out.recordCount;
    await out.commit();
    return { packetsRead: read, packetsWritten: written, format: out.format };
  } catch (e) {
    (out as CaptureOutputFile | undefined)?.abandon();
    throw e;
  }
}
