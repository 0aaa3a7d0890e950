/** Asserts that CaptureStats agrees with tshark's tables for the same file (shared by unit and lab tests). */
import assert from 'node:assert/strict';
import type { CaptureStats, ConversationStat } from '../../src/core/stats/captureStatsTypes';
import { runTsharkStats, tsharkSizeText, type TsharkConversation } from './tsharkStatsTables';

/** Direction-free text of a conversation: endpoints sorted, frames/bytes attached to the sending endpoint. */
function convText(x: string, xToY: [number, string], y: string, yToX: [number, string]): string {
  const l = `${x} sends ${xToY[0]}/${xToY[1]}`, r = `${y} sends ${yToX[0]}/${yToX[1]}`;
  return l < r ? `${l} | ${r}` : `${r} | ${l}`;
}
const ours = (c: ConversationStat): string => {
  const a = c.aPort === undefined ? c.a : `${c.a}:${c.aPort}`;
  const b = c.bPort === undefined ? c.b : `${c.b}:${c.bPort}`;
  return convText(a, [c.aToBPackets, tsharkSizeText(c.aToBBytes)], b, [c.bToAPackets, tsharkSizeText(c.bToABytes)]);
};
const theirs = (c: TsharkConversation): string => convText(c.a, [c.aToBFrames, c.aToBBytes], c.b, [c.bToAFrames, c.bToABytes]);

/** `ipHosts`: false for tunnels (tshark's stats tree counts only some of a packet's IP layers). */
export function compareWithTshark(file: string, stats: CaptureStats, ipHosts = true): void {
  const t = runTsharkStats(file);
  const sortText = (xs: string[]): string[] => [...xs].sort();
  assert.deepEqual(
    sortText(stats.endpoints.map((e) => `${e.address} ${e.packets} ${e.bytes} ${e.txPackets} ${e.txBytes} ${e.rxPackets} ${e.rxBytes}`)),
    sortText(t.endpoints.map((e) => `${e.address} ${e.packets} ${e.bytes} ${e.txPackets} ${e.txBytes} ${e.rxPackets} ${e.rxBytes}`)),
    'endpoints,ip/ipv6');
  assert.deepEqual(sortText(stats.ipConversations.map(ours)), sortText(t.ipConversations.map(theirs)), 'conv,ip/ipv6');
  assert.deepEqual(sortText(stats.tcpConversations.map(ours)), sortText(t.tcpConversations.map(theirs)), 'conv,tcp');
  assert.deepEqual(sortText(stats.udpConversations.map(ours)), sortText(t.udpConversations.map(theirs)), 'conv,udp');
  const v4 = stats.endpoints.filter((e) => !e.address.includes(':')).map((e) => `${e.address} ${e.packets}`);
  const hosts = [...t.ipHosts].filter(([a]) => !a.includes(':')).map(([a, n]) => `${a} ${n}`);
  if (ipHosts) assert.deepEqual(sortText(v4), sortText(hosts), 'ip_hosts,tree');
  // tshark shrinks a single interval to the capture's duration; the rows still count the same packets.
  assert.deepEqual(stats.perSecond.buckets.map((b) => `${b.packets}/${b.bytes}`), t.intervals.map((i) => `${i.frames}/${i.bytes}`), 'io,stat,1');
}
