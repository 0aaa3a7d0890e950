/** Streams a capture file through dissectPacket into CaptureStatsCollector and summarises the counters. */
import { dissectPacket } from '../decode/dissectPacket';
import { PacketFields } from '../decode/packetFields';
import { ipv4Text, ipv6Text } from '../decode/addressText';
import { readCaptureFile } from '../pcap/captureStreamReader';
import { isoTimeNs } from '../pcap/captureSummary';
import {
  CaptureStatsCollector, CV_AB_BYTES, CV_AB_PACKETS, CV_BA_BYTES, CV_BA_PACKETS, CV_FIRST_NS, CV_LAST_NS,
  EC_ORDER, EC_REPLY_NS, EC_REQUEST_NS, EP_RX_BYTES, EP_RX_PACKETS, EP_TX_BYTES, EP_TX_PACKETS, PROTO_NAMES,
} from './captureStatsCollector';
import type { KeyedCounters } from './keyedCounters';
import { isOutlier, percentile, robustCentre } from './robustOutliers';
import type { AddressStat, CaptureStats, ConversationStat, EchoRoundTrip, EchoStats, PerSecondSeries, PortStat } from './captureStatsTypes';

export async function computeCaptureStats(path: string): Promise<CaptureStats> {
  const collector = new CaptureStatsCollector();
  const fields = new PacketFields();
  let firstSec = 0, firstNsec = 0, lastSec = 0, lastNsec = 0;
  await readCaptureFile(path, {
    onRecord(rec) {
      if (collector.packets === 0) { firstSec = rec.tsSec; firstNsec = rec.tsNsec; }
      lastSec = rec.tsSec; lastNsec = rec.tsNsec;
      dissectPacket(rec.data, rec.caplen, rec.linkType, fields);
      collector.add(fields, rec.data, rec.origLen, rec.tsSec, rec.tsNsec);
    },
  });
  return summariseCaptureStats(collector, collector.packets > 0 ? [firstSec, firstNsec, lastSec, lastNsec] : undefined);
}

export function summariseCaptureStats(c: CaptureStatsCollector, times?: [number, number, number, number]): CaptureStats {
  const pct = (n: number, total: number): number => (total === 0 ? 0 : (100 * n) / total);
  const protocols = PROTO_NAMES.map((protocol, i) => ({
    protocol, packets: c.protoPackets[i], bytes: c.protoBytes[i], percentPackets: pct(c.protoPackets[i], c.packets),
  })).filter((p) => p.packets > 0).sort((a, b) => b.packets - a.packets);

  const endpoints: AddressStat[] = [];
  for (let id = 0; id < c.endpoints.size; id++) {
    const tx = c.endpoints.column(EP_TX_PACKETS)[id], rx = c.endpoints.column(EP_RX_PACKETS)[id];
    const txb = c.endpoints.column(EP_TX_BYTES)[id], rxb = c.endpoints.column(EP_RX_BYTES)[id];
    endpoints.push({
      address: addressOfKey(c.endpoints.table.key(id), 1).text, packets: tx + rx, bytes: txb + rxb,
      txPackets: tx, txBytes: txb, rxPackets: rx, rxBytes: rxb,
      percentPackets: pct(tx + rx, c.packets), percentBytes: pct(txb + rxb, c.bytes),
    });
  }
  endpoints.sort((a, b) => b.packets - a.packets || b.bytes - a.bytes);

  const ports: PortStat[] = [];
  for (let id = 0; id < c.ports.size; id++) {
    const k = c.ports.table.key(id);
    const packets = c.ports.column(0)[id];
    ports.push({ protocol: k[0] === 6 ? 'tcp' : 'udp', port: (k[1] << 8) | k[2], packets, bytes: c.ports.column(1)[id], percentPackets: pct(packets, c.packets) });
  }
  ports.sort((a, b) => b.packets - a.packets || b.bytes - a.bytes);

  return {
    packets: c.packets,
    bytes: c.bytes,
    firstTime: times ? isoTimeNs(times[0], times[1]) : undefined,
    lastTime: times ? isoTimeNs(times[2], times[3]) : undefined,
    durationSec: c.maxRelNs / 1e9,
    protocols,
    endpoints,
    ipConversations: conversations(c.ipConversations, false),
    tcpConversations: conversations(c.tcpConversations, true),
    udpConversations: conversations(c.udpConversations, true),
    ports,
    perSecond: perSecondSeries(c),
    icmpEcho: echoStats(c),
  };
}

function addressOfKey(k: Uint8Array, at: number): { text: string; next: number } {
  return k[0] === 4 ? { text: ipv4Text(k, at), next: at + 4 } : { text: ipv6Text(k, at), next: at + 16 };
}

function conversations(t: KeyedCounters, withPorts: boolean): ConversationStat[] {
  const out: ConversationStat[] = [];
  for (let id = 0; id < t.size; id++) {
    const k = t.table.key(id);
    const a = addressOfKey(k, 1);
    let next = a.next;
    let aPort: number | undefined, bPort: number | undefined;
    if (withPorts) { aPort = (k[next] << 8) | k[next + 1]; next += 2; }
    const b = addressOfKey(k, next);
    if (withPorts) bPort = (k[b.next] << 8) | k[b.next + 1];
    const ab = t.column(CV_AB_PACKETS)[id], ba = t.column(CV_BA_PACKETS)[id];
    const abb = t.column(CV_AB_BYTES)[id], bab = t.column(CV_BA_BYTES)[id];
    out.push({
      a: a.text, b: b.text, aPort, bPort, aToBPackets: ab, aToBBytes: abb, bToAPackets: ba, bToABytes: bab,
      packets: ab + ba, bytes: abb + bab, startSec: t.column(CV_FIRST_NS)[id] / 1e9,
      durationSec: (t.column(CV_LAST_NS)[id] - t.column(CV_FIRST_NS)[id]) / 1e9,
    });
  }
  return out.sort((x, y) => y.packets - x.packets || y.bytes - x.bytes);
}

function perSecondSeries(c: CaptureStatsCollector): PerSecondSeries {
  const n = c.lastSecond + 1;
  const packets = c.secPackets.subarray(0, n), bytes = c.secBytes.subarray(0, n);
  const pc = robustCentre(packets), bc = robustCentre(bytes);
  const buckets = Array.from({ length: n }, (_, second) => ({
    second, packets: packets[second], bytes: bytes[second],
    spike: isOutlier(packets[second], pc) || isOutlier(bytes[second], bc),
  }));
  return {
    buckets, medianPackets: pc.median, madPackets: pc.mad, medianBytes: bc.median, madBytes: bc.mad,
    spikeSeconds: buckets.filter((b) => b.spike).map((b) => b.second),
  };
}

function echoStats(c: CaptureStatsCollector): EchoStats {
  const series: (EchoRoundTrip & { order: number })[] = [];
  let unanswered = 0;
  const t = c.echo;
  for (let id = 0; id < t.size; id++) {
    const req = t.column(EC_REQUEST_NS)[id], rep = t.column(EC_REPLY_NS)[id];
    if (req === 0) continue;
    if (rep === 0) { unanswered++; continue; }
    const k = t.table.key(id);
    const src = addressOfKey(k, 1), dst = addressOfKey(k, src.next);
    const p = dst.next;
    series.push({
      ipVersion: k[0] === 4 ? 4 : 6, requestSrc: src.text, requestDst: dst.text,
      id: (k[p] << 8) | k[p + 1], seq: (k[p + 2] << 8) | k[p + 3],
      requestSec: (req - 1) / 1e9, rttMs: (rep - req) / 1e6, order: t.column(EC_ORDER)[id],
    });
  }
  series.sort((a, b) => a.order - b.order);
  const clean: EchoRoundTrip[] = series.map(({ order: _order, ...r }) => r);
  const result: EchoStats = { requests: c.echoRequests, replies: c.echoReplies, unanswered, outliers: [], series: clean };
  if (clean.length === 0) return result;
  const rtts = Float64Array.from(clean, (r) => r.rttMs).sort();
  const centre = robustCentre(rtts);
  result.minMs = rtts[0];
  result.maxMs = rtts[rtts.length - 1];
  result.avgMs = rtts.reduce((s, v) => s + v, 0) / rtts.length;
  result.p99Ms = percentile(rtts, 99);
  result.medianMs = centre.median;
  result.outliers = clean.filter((r) => isOutlier(r.rttMs, centre)).sort((a, b) => b.rttMs - a.rttMs);
  return result;
}
