/**
 * Cuts a capture by time ([start, end), like editcap -A/-B), packet numbers, a list of packets (the
 * pcap editor's displayed rows) and/or a display filter, streaming. By default the output keeps the
 * input's format (classic pcap: same link type, snaplen and resolution; pcapng: each packet's comments,
 * the first section's comments, and the interfaces the written packets came from, with their link type,
 * snaplen, timestamp resolution, name, description, filter and OS, as Wireshark's Export Specified
 * Packets does); `outputFormat` converts, as `editcap -F` does: pcap → pcapng always works, pcapng →
 * pcap only while the written packets share one link type (and drops the comments, which classic pcap
 * cannot hold). Packet numbers count the input (1-based, as tcpdump -# and Wireshark show them).
 *
 * Only the interfaces that written packets use are declared (each just before its first packet, as
 * pcapng allows), so a slice of one interface of a file whose interfaces differ in link type or
 * snaplen is a file libpcap (tcpdump -r) opens, which the whole input is not.
 */
import { dissectPacket } from '../decode/dissectPacket';
import { PacketFields } from '../decode/packetFields';
import { compileDisplayFilter, type PacketPredicate } from '../filter/compileDisplayFilter';
import { FrameClock } from '../filter/frameClock';
import type { CaptureInterface } from '../pcap/captureRecord';
import { linkTypeName } from '../pcap/linkTypeNames';
import { CaptureStreamReader, pumpCaptureFile } from '../pcap/captureStreamReader';
import { CaptureOutputFile, interfaceOptionsOf } from './captureOutputFile';
import { resolveTimeBound, timestampNs, type CaptureTimeBound } from './captureTimeBound';
import { packetInRanges, type PacketRange } from './packetRanges';

export interface SliceOptions {
  startTime?: CaptureTimeBound;
  endTime?: CaptureTimeBound;
  packetNumbers?: PacketRange[];
  /** 0-based indexes of the packets to keep, ascending (a filtered view of the pcap editor). */
  packetIndexes?: Uint32Array;
  /** Wireshark display filter syntax (compileDisplayFilter); throws DisplayFilterError when invalid. */
  displayFilter?: string;
  /** Default: the input's format. */
  outputFormat?: 'pcap' | 'pcapng';
}

export interface SliceResult {
  packetsRead: number;
  packetsWritten: number;
  format: 'pcap' | 'pcapng';
  /** Written packets whose pcapng comments a classic pcap output could not keep. */
  commentsDropped: number;
}

export class SliceLinkTypeError extends Error {}

const linkName = (t: number): string => `${linkTypeName(t)} (${t})`;

export async function sliceCapture(input: string, output: string, options: SliceOptions): Promise<SliceResult> {
  // Compile first: a bad filter fails before any file is touched.
  const predicate: PacketPredicate | undefined = options.displayFilter ? compileDisplayFilter(options.displayFilter) : undefined;
  const fields = new PacketFields();
  const clock = new FrameClock();
  const comments: string[] = [];
  const indexes = options.packetIndexes;
  let nextIndex = 0;
  let out: CaptureOutputFile | undefined;
  /** pcapng output: input interface id → output interface id, for the interfaces used so far. */
  const outputIds: number[] = [];
  let start: bigint | undefined;
  let end: bigint | undefined;
  let read = 0;
  let commentsDropped = 0;
  const pcapOutput = (iface: CaptureInterface): CaptureOutputFile => new CaptureOutputFile(output, {
    format: 'pcap', linkType: iface.linkType, snaplen: iface.snaplen || 262144,
    nanosecond: reader.format === 'pcap-nsec' || iface.tsUnitsPerSecond > 1e6,
  });
  const reader: CaptureStreamReader = new CaptureStreamReader({
    onSectionComment(c) { comments.push(c); },
    onInterface() {
      // The input's format is known once its header is read, before any interface; the first
      // interface comes after the first section's comments, which the output's header keeps.
      const wantPcapng = (options.outputFormat ?? (reader.format === 'pcapng' ? 'pcapng' : 'pcap')) === 'pcapng';
      if (!out && wantPcapng) out = new CaptureOutputFile(output, { format: 'pcapng', sectionComments: comments, comment: `hopscope slice of ${input}` });
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
      if (indexes) {
        while (nextIndex < indexes.length && indexes[nextIndex] < read - 1) nextIndex++;
        if (indexes[nextIndex] !== read - 1) return;
      }
      if (start !== undefined || end !== undefined) {
        const t = timestampNs(rec.tsSec, rec.tsNsec);
        if ((start !== undefined && t < start) || (end !== undefined && t >= end)) return;
      }
      if (predicate) {
        dissectPacket(rec.data, rec.caplen, rec.linkType, fields);
        if (!predicate(fields, rec.data, frame)) return;
      }
      clock.displayed();
      // Classic pcap output is opened by the first written packet: its interface sets the link type.
      out ??= pcapOutput(reader.interfaces[rec.interfaceId]);
      if (out.format === 'pcap' && rec.linkType !== out.linkType) {
        throw new SliceLinkTypeError(`packet ${read} has link type ${linkName(rec.linkType)} but the first exported one ${linkName(out.linkType ?? -1)}: a classic pcap file holds one link type, export as pcapng`);
      }
      let id = 0;
      if (out.format === 'pcap' && rec.comments) commentsDropped++;
      if (out.format === 'pcapng') {
        id = outputIds[rec.interfaceId] ??= out.addInterface(interfaceOptionsOf(reader.interfaces[rec.interfaceId]));
      }
      out.write(id, rec.tsSec, rec.tsNsec, rec.data, rec.origLen, rec.comments);
    },
  });
  try {
    await pumpCaptureFile(input, reader);
    if (!reader.interfaces.length) throw new Error(`${input}: no capture header`);
    out ??= pcapOutput(reader.interfaces[0]);
    // No packet written: libpcap still needs one interface to open the file.
    if (out.format === 'pcapng' && outputIds.length === 0) out.addInterface(interfaceOptionsOf(reader.interfaces[0]));
    const written = out.recordCount;
    await out.commit();
    return { packetsRead: read, packetsWritten: written, format: out.format, commentsDropped };
  } catch (e) {
    (out as CaptureOutputFile | undefined)?.abandon();
    throw e;
  }
}
