/**
 * What follows `src > dst:` on a tcpdump line: TCP, UDP, ICMP/ICMP6, DNS, DHCP. Each reader
 * fills the record and leaves unknown text alone — tcpdump prints many protocols we do not model.
 */
import type { TcpdumpChecksum, TcpdumpPacketRecord, TcpdumpTcp, TcpdumpTcpOptions } from './tcpdumpRecord';

const num = (s: string | undefined): number | undefined => (s === undefined ? undefined : Number(s));

/** `[tcp sum ok]`, `[bad udp cksum 0x1 -> 0x2!]`, `cksum 0x33c8 (incorrect -> 0x244b)`, `cksum 0x000e (correct)`. */
export function collectChecksums(text: string, layerHint: string): TcpdumpChecksum[] {
  const out: TcpdumpChecksum[] = [];
  // Most lines (no -v) carry no checksum verdict: skip the three scans.
  if (!text.includes('sum')) return out;
  for (const m of text.matchAll(/\[(\w+) sum ok\]/g)) out.push({ layer: m[1], state: 'ok' });
  for (const m of text.matchAll(/\[bad (\w+) cksum (0x[0-9a-f]+) -> (0x[0-9a-f]+)!\]/g)) {
    out.push({ layer: m[1], state: 'bad', value: m[2], expected: m[3] });
  }
  for (const m of text.matchAll(/\bcksum (0x[0-9a-f]+) \((correct|incorrect)(?: -> (0x[0-9a-f]+))?\)/g)) {
    out.push({ layer: layerHint, state: m[2] === 'correct' ? 'correct' : 'incorrect', value: m[1], expected: m[3] });
  }
  return out;
}

function tcpOptions(raw: string): TcpdumpTcpOptions {
  const o: TcpdumpTcpOptions = { raw };
  const mss = /\bmss ?(\d+)/.exec(raw);
  if (mss) o.mss = Number(mss[1]);
  const ws = /\bwscale (\d+)/.exec(raw);
  if (ws) o.wscale = Number(ws[1]);
  if (/\bsackOK\b/.test(raw)) o.sackOK = true;
  // The seeds show `TS val 780753501ecr 0`: a paste that lost the space; accept it.
  const ts = /\bTS val (\d+) ?ecr (\d+)/.exec(raw);
  if (ts) { o.tsVal = Number(ts[1]); o.tsEcr = Number(ts[2]); }
  const oldTs = /\btimestamp (\d+)(?: (\d+))?/.exec(raw);
  if (!ts && oldTs) { o.tsVal = Number(oldTs[1]); o.tsEcr = num(oldTs[2]); }
  return o;
}

function flagsOf(letters: string): Pick<TcpdumpTcp, 'syn' | 'fin' | 'rst' | 'psh' | 'ack'> {
  return {
    syn: letters.includes('S'), fin: letters.includes('F'), rst: letters.includes('R'),
    psh: letters.includes('P'), ack: letters.includes('.'),
  };
}

/** tcpdump ≥ 4: `Flags [P.], seq 1:61, ack 1, win 63, options [...], length 60: HTTP`. */
function parseModernTcp(rest: string): TcpdumpTcp | undefined {
  const m = /^Flags \[([A-Z.]*)\],?\s*/.exec(rest);
  if (!m) return undefined;
  const tcp: TcpdumpTcp = { flags: m[1], ...flagsOf(m[1]) };
  const seq = /(?:^|[\s,])seq (\d+)(?::(\d+))?/.exec(rest);
  if (seq) { tcp.seqStart = Number(seq[1]); tcp.seqEnd = num(seq[2]); }
  const ack = /[\s,]ack (\d+)/.exec(rest);
  if (ack) tcp.ackNumber = Number(ack[1]);
  const win = /[\s,]win (\d+)/.exec(rest);
  if (win) tcp.window = Number(win[1]);
  const opts = /options \[([^\]]*)\]?/.exec(rest);
  if (opts) tcp.options = tcpOptions(opts[1]);
  const len = /[\s,]length (\d+)(?::\s*(\S.*))?\s*$/.exec(rest);
  if (len) { tcp.length = Number(len[1]); if (len[2]) tcp.application = len[2].trim(); }
  return tcp;
}

/** tcpdump 3.x (older distributions): `S 1996982089:1996982089(0) win 29200 <mss 1460,...>`. */
function parseOldTcp(rest: string): TcpdumpTcp | undefined {
  const m = /^([SFPRUEW]+|\.)\s+(?:(\d+):(\d+)\((\d+)\)\s*)?(?:ack (\d+)\s*)?(?:win (\d+)\s*)?(?:<([^>]*)>?)?/.exec(rest);
  if (!m || (m[2] === undefined && m[5] === undefined && m[6] === undefined)) return undefined;
  const letters = m[1] + (m[5] !== undefined ? '.' : '');
  const tcp: TcpdumpTcp = { flags: m[1], ...flagsOf(letters) };
  if (m[2] !== undefined) { tcp.seqStart = Number(m[2]); tcp.seqEnd = Number(m[3]); tcp.length = Number(m[4]); }
  if (m[5] !== undefined) tcp.ackNumber = Number(m[5]);
  if (m[6] !== undefined) tcp.window = Number(m[6]);
  if (m[7] !== undefined) tcp.options = tcpOptions(m[7]);
  return tcp;
}

const DNS_QUERY = /^(\d+)([+*%$|-]*)(?: \[[^\]]*\])*(?: \[\d+[an]u\])* (\w+)\? (\S+) \((\d+)\)/;
const DNS_RESPONSE = /^(\d+)([+*%$|-]*)(?: q: (\w+)\? (\S+))? (\d+)\/(\d+)\/(\d+)(.*?) \((\d+)\)\s*$/;

function parseDns(rec: TcpdumpPacketRecord, rest: string): boolean {
  let m = DNS_QUERY.exec(rest);
  if (m) {
    rec.protocol = 'dns';
    rec.dns = { id: Number(m[1]), isResponse: false, flags: m[2], queryType: m[3], queryName: m[4], length: Number(m[5]) };
    return true;
  }
  m = DNS_RESPONSE.exec(rest);
  if (m) {
    rec.protocol = 'dns';
    rec.dns = {
      id: Number(m[1]), isResponse: true, flags: m[2], queryType: m[3], queryName: m[4],
      answers: Number(m[5]), authorities: Number(m[6]), additionals: Number(m[7]), answerText: m[8].trim(), length: Number(m[9]),
    };
    return true;
  }
  return false;
}

function parseIcmp(rec: TcpdumpPacketRecord, rest: string): boolean {
  const m = /^(ICMP6?),? (.*)$/.exec(rest);
  if (!m) return false;
  rec.protocol = m[1] === 'ICMP6' ? 'icmp6' : 'icmp';
  const body = m[2];
  const typeEnd = body.search(/, (?:id|length|who has|tgt is|seq) /);
  let type = (typeEnd < 0 ? body : body.slice(0, typeEnd)).trim();
  // `ICMP 10.0.0.2 udp port 9999 unreachable`: the first word is the host that reports it.
  type = type.replace(/^[0-9a-f.:]+ (?=\S)/i, '');
  rec.icmp = { type };
  const id = /, id (\d+)/.exec(body);
  if (id) rec.icmp.id = Number(id[1]);
  const seq = /, seq (\d+)/.exec(body);
  if (seq) rec.icmp.seq = Number(seq[1]);
  const len = /, length (\d+)/.exec(body);
  if (len) rec.icmp.length = Number(len[1]);
  const tgt = /(?:who has|tgt is) ([0-9a-f:.]+)/i.exec(body);
  if (tgt) rec.icmp.target = tgt[1];
  return true;
}

/** Fills the record from the text after `src > dst:`. */
export function parseTcpdumpPayload(rec: TcpdumpPacketRecord, payload: string): void {
  // Checksum verdicts (`[tcp sum ok] `) may precede the protocol text; they are collected elsewhere.
  // IPv6 hop-by-hop options (`HBH (rtalert: 0x0000) (padn)`) precede the upper layer too.
  const rest = payload.replace(/^(?:HBH\s*(?:\([^)]*\)\s*)*)?(?:\[(?!\|)[^\]]*\]\s*)*/, '').trim();
  const tcp = parseModernTcp(rest) ?? parseOldTcp(rest);
  if (tcp) {
    rec.protocol = 'tcp';
    rec.tcp = tcp;
    return;
  }
  if (parseIcmp(rec, rest)) return;
  const quiet = /^tcp (\d+)/.exec(rest);
  if (quiet) {
    rec.protocol = 'tcp';
    rec.quietTcpLength = Number(quiet[1]);
    return;
  }
  const udp = /^UDP, length (\d+)/.exec(rest);
  if (udp) {
    rec.protocol = 'udp';
    rec.udpLength = Number(udp[1]);
    return;
  }
  const bootp = /^BOOTP\/DHCP, (\w+)(?: from ([0-9a-f:]{17}))?.*?(?:, length (\d+))?$/.exec(rest);
  if (bootp) {
    rec.protocol = 'dhcp';
    rec.dhcp = { op: bootp[1], clientMac: bootp[2], length: num(bootp[3]) };
    return;
  }
  const overlay = /^(VXLAN|Geneve)\b.*?\bvni (0x[0-9a-f]+|\d+)/.exec(rest);
  if (overlay) {
    rec.protocol = 'udp';
    rec.tunnel = { kind: overlay[1] === 'VXLAN' ? 'vxlan' : 'geneve', vni: Number(overlay[2]) };
    return;
  }
  if (parseDns(rec, rest)) return;
  if (rec.protocol === 'other' && rec.ip?.protoName === 'UDP') rec.protocol = 'udp';
}
