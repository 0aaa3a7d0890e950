/**
 * Runs tshark's statistics taps once on a file and parses the tables (tshark 4.0 text layout):
 * -z endpoints,ip/ipv6, -z conv,ip/ipv6/tcp/udp, -z io,stat,1, -z ip_hosts,tree.
 */
import { execFileSync } from 'node:child_process';

export interface TsharkEndpoint { address: string; packets: number; bytes: number; txPackets: number; txBytes: number; rxPackets: number; rxBytes: number }
/** Byte fields are tshark's text (see tsharkSizeText). */
export interface TsharkConversation { a: string; b: string; bToAFrames: number; bToABytes: string; aToBFrames: number; aToBBytes: string; frames: number; bytes: string }
export interface TsharkStats {
  endpoints: TsharkEndpoint[];
  ipConversations: TsharkConversation[];
  tcpConversations: TsharkConversation[];
  udpConversations: TsharkConversation[];
  /** io,stat,1 rows in order: frames and bytes. */
  intervals: { frames: number; bytes: number }[];
  /** ip_hosts,tree: IPv4 address → count. */
  ipHosts: Map<string, number>;
}

const TAPS = ['endpoints,ip', 'endpoints,ipv6', 'conv,ip', 'conv,ipv6', 'conv,tcp', 'conv,udp', 'io,stat,1', 'ip_hosts,tree'];

/**
 * Conversation byte counts as tshark 4.0 prints them (format_size: exact below 10000, then integer
 * division by 1000 with kB/MB). The endpoints table keeps exact bytes, so exact totals are checked there.
 */
export function tsharkSizeText(bytes: number): string {
  if (bytes < 10000) return String(bytes);
  if (bytes < 10_000_000) return `${Math.floor(bytes / 1000)} kB`;
  return `${Math.floor(bytes / 1_000_000)} MB`;
}

function byteCount(text: string): string {
  const m = /^(\d+)\s*(bytes|kB|MB)?$/.exec(text.trim());
  if (!m) throw new Error(`tshark byte count not understood: ${text}`);
  return m[2] === 'kB' || m[2] === 'MB' ? `${m[1]} ${m[2]}` : m[1];
}

export function runTsharkStats(file: string): TsharkStats {
  const args = ['-r', file, '-q', '-n'];
  for (const t of TAPS) args.push('-z', t);
  const text = execFileSync('tshark', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 << 20 });
  const out: TsharkStats = { endpoints: [], ipConversations: [], tcpConversations: [], udpConversations: [], intervals: [], ipHosts: new Map() };
  let section = '';
  for (const line of text.split('\n')) {
    if (/^IPv[46] Endpoints$/.test(line)) { section = 'endpoints'; continue; }
    if (/^IPv[46] Conversations$/.test(line)) { section = 'conv-ip'; continue; }
    if (line === 'TCP Conversations') { section = 'conv-tcp'; continue; }
    if (line === 'UDP Conversations') { section = 'conv-udp'; continue; }
    if (line.startsWith('| IO Statistics')) { section = 'io'; continue; }
    if (line.startsWith('IPv4 Statistics/All Addresses')) { section = 'hosts'; continue; }
    if (/^=+$/.test(line)) { if (section !== 'io') section = ''; continue; }
    if (section === 'endpoints') {
      const m = /^(\S+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*$/.exec(line);
      if (m) out.endpoints.push({ address: m[1], packets: +m[2], bytes: +m[3], txPackets: +m[4], txBytes: +m[5], rxPackets: +m[6], rxBytes: +m[7] });
    } else if (section.startsWith('conv-')) {
      // Relative start is negative for a conversation that began before the first packet in file order.
      const m = /^(\S+)\s+<->\s+(\S+)\s+(\d+)\s+(\d+ ?\S*?)\s+(\d+)\s+(\d+ ?\S*?)\s+(\d+)\s+(\d+ ?\S*?)\s+-?[\d.]+\s+[\d.]+\s*$/.exec(line);
      if (!m) continue;
      const conv = { a: m[1], b: m[2], bToAFrames: +m[3], bToABytes: byteCount(m[4]), aToBFrames: +m[5], aToBBytes: byteCount(m[6]), frames: +m[7], bytes: byteCount(m[8]) };
      (section === 'conv-ip' ? out.ipConversations : section === 'conv-tcp' ? out.tcpConversations : out.udpConversations).push(conv);
    } else if (section === 'io') {
      const m = /^\|\s*[\d.]+\s*<>\s*(?:[\d.]+|Dur)\s*\|\s*(\d+)\s*\|\s*(\d+)\s*\|/.exec(line);
      if (m) out.intervals.push({ frames: +m[1], bytes: +m[2] });
      if (/^=+$/.test(line)) section = '';
    } else if (section === 'hosts') {
      const m = /^ (\S+)\s+(\d+)\s/.exec(line);
      if (m) out.ipHosts.set(m[1], +m[2]);
    }
  }
  return out;
}
