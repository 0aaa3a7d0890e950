/** `hopscope stats [--json] [--top N] <file>`: talkers, protocols, ports, conversations, per-second spikes, echo RTT. */
import type { CliCommand, CliIo } from './cliCommand';
import { CaptureFormatError } from '../core/pcap/captureFormatError';
import { computeCaptureStats } from '../core/stats/computeCaptureStats';
import type { CaptureStats, ConversationStat } from '../core/stats/captureStatsTypes';

const USAGE = 'usage: hopscope stats [--json] [--top N] <file>\n';
const pct = (v: number): string => `${v.toFixed(2)}%`;
const ms = (v: number | undefined): string => (v === undefined ? 'n/a' : `${v.toFixed(3)} ms`);

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}

function endpointText(c: ConversationStat, side: 'a' | 'b'): string {
  const port = side === 'a' ? c.aPort : c.bPort;
  const addr = side === 'a' ? c.a : c.b;
  if (port === undefined) return addr;
  return addr.includes(':') ? `[${addr}]:${port}` : `${addr}:${port}`;
}

function conversationTable(list: ConversationStat[], top: number): string {
  return table(['Conversation', 'A→B pkts', 'A→B bytes', 'B→A pkts', 'B→A bytes', 'Start s', 'Duration s'],
    list.slice(0, top).map((c) => [`${endpointText(c, 'a')} <-> ${endpointText(c, 'b')}`, String(c.aToBPackets), String(c.aToBBytes),
      String(c.bToAPackets), String(c.bToABytes), c.startSec.toFixed(6), c.durationSec.toFixed(6)]));
}

export function formatStatsReport(file: string, s: CaptureStats, top: number): string {
  let out = `File: ${file}\nPackets: ${s.packets}  Bytes: ${s.bytes}  Duration: ${s.durationSec.toFixed(6)} s\n`;
  out += `First: ${s.firstTime ?? 'n/a'}  Last: ${s.lastTime ?? 'n/a'}\n\n`;
  out += `Protocols\n${table(['Protocol', 'Packets', 'Bytes', 'Share'], s.protocols.map((p) => [p.protocol, String(p.packets), String(p.bytes), pct(p.percentPackets)]))}\n`;
  out += `Top talkers (source and destination addresses)\n${table(['Address', 'Packets', '%', 'Bytes', '%', 'Tx pkts', 'Rx pkts'],
    s.endpoints.slice(0, top).map((e) => [e.address, String(e.packets), pct(e.percentPackets), String(e.bytes), pct(e.percentBytes), String(e.txPackets), String(e.rxPackets)]))}\n`;
  const byRx = [...s.endpoints].sort((a, b) => b.rxPackets - a.rxPackets).filter((e) => e.rxPackets > 0);
  out += `Top destinations\n${table(['Address', 'Rx pkts', 'Rx bytes'], byRx.slice(0, top).map((e) => [e.address, String(e.rxPackets), String(e.rxBytes)]))}\n`;
  out += `Top destination ports\n${table(['Port', 'Packets', '%', 'Bytes'], s.ports.slice(0, top).map((p) => [`${p.protocol}/${p.port}`, String(p.packets), pct(p.percentPackets), String(p.bytes)]))}\n`;
  out += `IP conversations\n${conversationTable(s.ipConversations, top)}\n`;
  if (s.tcpConversations.length > 0) out += `TCP conversations\n${conversationTable(s.tcpConversations, top)}\n`;
  if (s.udpConversations.length > 0) out += `UDP conversations\n${conversationTable(s.udpConversations, top)}\n`;
  const ps = s.perSecond;
  out += `Per second: median ${ps.medianPackets} packets (MAD ${ps.madPackets}), ${ps.medianBytes} bytes (MAD ${ps.madBytes})\n`;
  out += ps.spikeSeconds.length === 0 ? 'Spikes: none (rule: > median + 5·MAD and > 2 × median)\n'
    : `Spikes (> median + 5·MAD and > 2 × median):\n${table(['Second', 'Packets', 'Bytes'],
      ps.buckets.filter((b) => b.spike).map((b) => [`+${b.second}`, String(b.packets), String(b.bytes)]))}`;
  const e = s.icmpEcho;
  out += `\nICMP echo: ${e.requests} requests, ${e.replies} replies, ${e.unanswered} unanswered\n`;
  if (e.series.length > 0) {
    out += `RTT min ${ms(e.minMs)}  avg ${ms(e.avgMs)}  max ${ms(e.maxMs)}  p99 ${ms(e.p99Ms)}  median ${ms(e.medianMs)}\n`;
    if (e.outliers.length > 0) {
      out += `RTT outliers\n${table(['Request', 'id', 'seq', 'At s', 'RTT'], e.outliers.slice(0, top).map((r) =>
        [`${r.requestSrc} > ${r.requestDst}`, String(r.id), String(r.seq), r.requestSec.toFixed(6), ms(r.rttMs)]))}`;
    }
  }
  return out;
}

async function run(args: string[], io: CliIo): Promise<number> {
  let json = false;
  let top = 10;
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--json') json = true;
    else if (a === '--top') {
      const v = args[++i];
      if (v === undefined || !/^[1-9]\d{0,5}$/.test(v)) { io.stderr.write('hopscope stats: --top needs a positive integer\n'); return 2; }
      top = Number(v);
    } else if (a.startsWith('-')) { io.stderr.write(`hopscope stats: unknown option '${a}'\n`); return 2; }
    else files.push(a);
  }
  if (files.length !== 1) { io.stderr.write(USAGE); return 2; }
  let stats: CaptureStats;
  try {
    stats = await computeCaptureStats(files[0]);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR' || e instanceof CaptureFormatError) {
      io.stderr.write(`hopscope stats: ${files[0]}: ${(e as Error).message}\n`);
      return 1;
    }
    throw e;
  }
  io.stdout.write(json ? `${JSON.stringify({ file: files[0], ...stats }, null, 2)}\n` : formatStatsReport(files[0], stats, top));
  return 0;
}

export const statsCommand: CliCommand = { name: 'stats', summary: 'Talkers, ports, conversations, per-second spikes, ICMP RTT', usage: USAGE, run };
