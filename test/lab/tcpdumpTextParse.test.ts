/**
 * parseTcpdumpText on real `tcpdump -r` output of a capture made here (namespaces, kernel traffic),
 * with several flag sets; every field is checked against `tshark -T fields` on the same file.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { makeLabCapture, type LabCapture } from './fixtures/tcpdumpTextLab';
import { parseTcpdumpText } from '../../src/core/tcpdumpText/parseTcpdumpText';
import type { TcpdumpPacketRecord, TcpdumpRecord } from '../../src/core/tcpdumpText/tcpdumpRecord';

const env = { ...process.env, TZ: 'UTC' };
const FIELDS = [
  'frame.time_epoch', 'eth.src', 'eth.dst', 'eth.type', 'frame.len', 'ip.src', 'ip.dst', 'ipv6.src', 'ipv6.dst',
  'ip.ttl', 'ip.id', 'ip.flags.df', 'ip.len', 'ipv6.hlim', 'ipv6.plen', 'tcp.srcport', 'tcp.dstport', 'tcp.seq',
  'tcp.seq_raw', 'tcp.ack', 'tcp.ack_raw', 'tcp.window_size_value', 'tcp.flags.syn', 'tcp.flags.fin',
  'tcp.flags.reset', 'tcp.flags.push', 'tcp.flags.ack', 'tcp.len', 'tcp.options.mss_val',
  'tcp.options.wscale.shift', 'tcp.options.timestamp.tsval', 'tcp.options.timestamp.tsecr', 'udp.srcport',
  'udp.dstport', 'udp.length', 'icmp.type', 'icmp.ident', 'icmp.seq', 'icmpv6.type', 'icmpv6.echo.identifier',
  'icmpv6.echo.sequence_number', 'arp.opcode', 'arp.src.proto_ipv4', 'arp.dst.proto_ipv4', 'arp.src.hw_mac',
  'dns.id', 'dns.qry.name', 'dns.qry.type', 'dns.flags.response', 'dhcp.option.dhcp', 'dhcp.hw.mac_addr',
  'sll.pkttype', 'sll.src.eth', 'sll.ifindex',
] as const;
type Frame = Record<(typeof FIELDS)[number], string>;

function tshark(file: string): Frame[] {
  const args = ['-r', file, '-T', 'fields', '-E', 'occurrence=f', '-E', 'separator=\t'];
  for (const f of FIELDS) args.push('-e', f);
  const r = spawnSync('tshark', args, { encoding: 'utf8', env });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split('\n').filter((l) => l !== '').map((l) => {
    const cols = l.split('\t');
    return Object.fromEntries(FIELDS.map((f, i) => [f, cols[i] ?? ''])) as Frame;
  });
}

function tcpdumpText(file: string, flags: string[]): string {
  const r = spawnSync('tcpdump', ['-n', '-r', file, ...flags], { encoding: 'utf8', env });
  assert.equal(r.status, 0, r.stderr);
  // The status line goes to stderr; keep it, as a pasted terminal would.
  return `${r.stderr}${r.stdout}`;
}

function packets(records: TcpdumpRecord[]): TcpdumpPacketRecord[] {
  const unparsed = records.filter((r) => r.kind === 'unparsed');
  assert.deepEqual(unparsed, [], 'every line parses');
  return records.filter((r): r is TcpdumpPacketRecord => r.kind === 'packet');
}

const micros = (s: number): number => Math.round(s * 1e6);
const n = (s: string): number | undefined => (s === '' ? undefined : Number(s));

/** The fields every flag set prints, checked against tshark. */
function checkCommon(p: TcpdumpPacketRecord, f: Frame, what: string): void {
  const v6 = f['ipv6.src'] !== '';
  const v4 = f['ip.src'] !== '';
  if (v4 || v6) {
    assert.equal(p.ipVersion, v6 ? 6 : 4, what);
    assert.equal(p.src?.address, v6 ? f['ipv6.src'] : f['ip.src'], what);
    assert.equal(p.dst?.address, v6 ? f['ipv6.dst'] : f['ip.dst'], what);
  }
  if (f['tcp.srcport'] !== '') {
    assert.equal(p.protocol, 'tcp', what);
    assert.equal(p.src?.port, n(f['tcp.srcport']), what);
    assert.equal(p.dst?.port, n(f['tcp.dstport']), what);
    const t = p.tcp;
    assert.ok(t, what);
    assert.equal(t.syn, f['tcp.flags.syn'] === '1', what);
    assert.equal(t.fin, f['tcp.flags.fin'] === '1', what);
    assert.equal(t.rst, f['tcp.flags.reset'] === '1', what);
    assert.equal(t.psh, f['tcp.flags.push'] === '1', what);
    assert.equal(t.ack, f['tcp.flags.ack'] === '1', what);
    assert.equal(t.window, n(f['tcp.window_size_value']), what);
    assert.equal(t.length, n(f['tcp.len']), what);
    // tcpdump prints absolute numbers until it knows the connection, relative after.
    if (t.seqStart !== undefined) assert.ok([n(f['tcp.seq']), n(f['tcp.seq_raw'])].includes(t.seqStart), `${what} seq`);
    if (t.seqEnd !== undefined) assert.equal(t.seqEnd - (t.seqStart ?? 0), n(f['tcp.len']), what);
    if (t.ackNumber !== undefined) assert.ok([n(f['tcp.ack']), n(f['tcp.ack_raw'])].includes(t.ackNumber), `${what} ack`);
    assert.equal(t.options?.mss, n(f['tcp.options.mss_val']), what);
    assert.equal(t.options?.wscale, n(f['tcp.options.wscale.shift']), what);
    assert.equal(t.options?.tsVal, n(f['tcp.options.timestamp.tsval']), what);
    assert.equal(t.options?.tsEcr, n(f['tcp.options.timestamp.tsecr']), what);
  }
  if (f['udp.srcport'] !== '' && f['icmp.type'] === '') {
    assert.equal(p.src?.port, n(f['udp.srcport']), what);
    assert.equal(p.dst?.port, n(f['udp.dstport']), what);
    const payload = Number(f['udp.length']) - 8;
    if (p.protocol === 'udp') assert.equal(p.udpLength, payload, what);
    else if (p.protocol === 'dns') assert.equal(p.dns?.length, payload, what);
    else assert.equal(p.protocol, 'dhcp', what);
  }
  if (f['icmp.type'] === '8' || f['icmp.type'] === '0') {
    assert.equal(p.protocol, 'icmp', what);
    assert.equal(p.icmp?.type, f['icmp.type'] === '8' ? 'echo request' : 'echo reply', what);
    assert.equal(p.icmp.id, n(f['icmp.ident']), what);
    assert.equal(p.icmp.seq, n(f['icmp.seq']), what);
  }
  if (f['icmp.type'] === '3') {
    assert.equal(p.protocol, 'icmp', what);
    assert.match(p.icmp?.type ?? '', /unreachable$/, what);
  }
  if (f['icmpv6.type'] === '128' || f['icmpv6.type'] === '129') {
    assert.equal(p.protocol, 'icmp6', what);
    assert.equal(p.icmp?.type, f['icmpv6.type'] === '128' ? 'echo request' : 'echo reply', what);
    assert.equal(p.icmp.id, n(f['icmpv6.echo.identifier']), what);
    assert.equal(p.icmp.seq, n(f['icmpv6.echo.sequence_number']), what);
  }
  if (f['icmpv6.type'] === '135') assert.equal(p.icmp?.type, 'neighbor solicitation', what);
  if (f['icmpv6.type'] === '136') assert.equal(p.icmp?.type, 'neighbor advertisement', what);
  if (f['arp.opcode'] !== '') {
    assert.equal(p.protocol, 'arp', what);
    if (f['arp.opcode'] === '1') {
      assert.equal(p.arp?.op, 'request', what);
      assert.equal(p.arp.whoHas, f['arp.dst.proto_ipv4'], what);
      assert.equal(p.arp.tell, f['arp.src.proto_ipv4'], what);
    } else {
      assert.equal(p.arp?.op, 'reply', what);
      assert.equal(p.arp.address, f['arp.src.proto_ipv4'], what);
      assert.equal(p.arp.isAt, f['arp.src.hw_mac'], what);
    }
  }
  if (f['dns.id'] !== '') {
    assert.ok(p.dns, what);
    assert.equal(p.dns.id, n(f['dns.id']), what);
    assert.equal(p.dns.isResponse, f['dns.flags.response'] === '1', what);
    if (!p.dns.isResponse) {
      assert.equal(p.dns.queryName, `${f['dns.qry.name']}.`, what);
      assert.equal(p.dns.queryType, f['dns.qry.type'] === '1' ? 'A' : f['dns.qry.type'], what);
    }
  }
  if (f['dhcp.hw.mac_addr'] !== '') {
    assert.equal(p.protocol, 'dhcp', what);
    assert.equal(p.dhcp?.clientMac, f['dhcp.hw.mac_addr'], what);
  }
}

describe('parseTcpdumpText on real tcpdump -r output, checked against tshark', () => {
  let lab: LabCapture;
  let frames: Frame[];
  let anyFrames: Frame[];
  before(async () => {
    lab = await makeLabCapture('p');
    frames = tshark(lab.pcap);
    anyFrames = tshark(lab.anyPcap);
    assert.ok(frames.length >= 30, `capture holds ${frames.length} packets`);
  });
  after(() => lab.cleanup());

  const flagSets: { flags: string[]; check?: (p: TcpdumpPacketRecord, f: Frame, what: string) => void; quiet?: boolean }[] = [
    {
      flags: ['-q'], quiet: true, check: (p, f, what) => {
        if (f['tcp.srcport'] !== '') {
          assert.equal(p.protocol, 'tcp', what);
          assert.equal(p.quietTcpLength, n(f['tcp.len']), what);
          assert.equal(p.src?.port, n(f['tcp.srcport']), what);
        } else if (f['udp.srcport'] !== '' && f['icmp.type'] === '') {
          assert.equal(p.udpLength, Number(f['udp.length']) - 8, what);
        }
      },
    },
    {
      flags: [], check: (p, f, what) => {
        assert.equal(p.timestamp?.form, 'time', what);
        assert.equal(micros(p.timestamp.seconds), micros(Number(f['frame.time_epoch']) % 86400), what);
      },
    },
    {
      flags: ['-tttt'], check: (p, f, what) => {
        const epoch = Number(f['frame.time_epoch']);
        assert.equal(p.timestamp?.form, 'datetime', what);
        assert.equal(p.timestamp.date, new Date(epoch * 1000).toISOString().slice(0, 10), what);
        assert.equal(micros(p.timestamp.seconds), micros(epoch % 86400), what);
      },
    },
    {
      flags: ['-tt'], check: (p, f, what) => {
        assert.equal(p.timestamp?.form, 'epoch', what);
        assert.equal(micros(p.timestamp.seconds), micros(Number(f['frame.time_epoch'])), what);
      },
    },
    {
      flags: ['-ttt'], check: (p, _f, what) => assert.equal(p.timestamp?.form, 'delta', what),
    },
    {
      flags: ['-e'], check: (p, f, what) => {
        assert.equal(p.link?.srcMac, f['eth.src'], what);
        assert.equal(p.link.dstMac, f['eth.dst'], what);
        assert.equal(p.link.etherType, Number(f['eth.type']), what);
        assert.equal(p.link.length, Number(f['frame.len']), what);
      },
    },
    { flags: ['-v'], check: checkVerbose },
    { flags: ['-vvv', '-e'], check: checkVerbose },
    {
      flags: ['-S'], check: (p, f, what) => {
        if (!p.tcp) return;
        // A pure ACK prints no seq.
        if (p.tcp.seqStart !== undefined) assert.equal(p.tcp.seqStart, n(f['tcp.seq_raw']), what);
        else assert.equal(n(f['tcp.len']), 0, what);
        if (p.tcp.ackNumber !== undefined) assert.equal(p.tcp.ackNumber, n(f['tcp.ack_raw']), what);
      },
    },
  ];

  function checkVerbose(p: TcpdumpPacketRecord, f: Frame, what: string): void {
    if (f['ip.src'] !== '') {
      assert.ok(p.ip, what);
      assert.equal(p.ip.ttl, n(f['ip.ttl']), what);
      assert.equal(p.ip.id, n(f['ip.id']), what);
      assert.equal(p.ip.length, n(f['ip.len']), what);
      assert.deepEqual(p.ip.flags, f['ip.flags.df'] === '1' ? ['DF'] : ['none'], what);
      assert.ok(p.text.includes('\n'), `${what}: -v IPv4 is two lines`);
    }
    if (f['ipv6.src'] !== '') {
      assert.ok(p.ip, what);
      assert.equal(p.ip.hopLimit, n(f['ipv6.hlim']), what);
      assert.equal(p.ip.payloadLength, n(f['ipv6.plen']), what);
    }
    // Offloaded checksums are not filled in yet where tcpdump sees them: both tools must say so.
    if (p.tcp) assert.ok(p.checksums.some((c) => c.layer === 'tcp'), what);
    if (f['dhcp.option.dhcp'] === '1') assert.equal(p.dhcp?.message, 'Discover', what);
  }

  for (const set of flagSets) {
    it(`tcpdump -r ${set.flags.join(' ') || '(default)'}: every packet, every field`, () => {
      const records = parseTcpdumpText(tcpdumpText(lab.pcap, set.flags)).map((r) => r.record);
      const status = records[0];
      assert.equal(status.kind, 'status');
      assert.equal(status.status, 'reading');
      assert.equal(status.linkType, 'EN10MB');
      const pkts = packets(records);
      assert.equal(pkts.length, frames.length);
      pkts.forEach((p, i) => {
        const what = `packet ${i + 1} (${set.flags.join(' ')}): ${p.text}`;
        if (!set.quiet) checkCommon(p, frames[i], what);
        set.check?.(p, frames[i], what);
      });
    });
  }

  it('the live tcpdump status lines: listening, captured, received, dropped', () => {
    const records = parseTcpdumpText(lab.tcpdumpStderr[0]).map((r) => r.record);
    const byStatus = new Map(records.map((r) => [r.kind === 'status' ? r.status : r.kind, r]));
    const listening = byStatus.get('listening');
    assert.equal(listening?.kind, 'status');
    assert.equal(listening.interface, lab.iface);
    assert.equal(listening.linkType, 'EN10MB');
    assert.equal(listening.snapshotLength, 262144);
    const captured = byStatus.get('captured');
    assert.equal(captured?.kind === 'status' && captured.count, frames.length);
    const received = byStatus.get('received');
    assert.ok(received?.kind === 'status' && (received.count ?? -1) >= frames.length);
    const dropped = byStatus.get('dropped');
    assert.equal(dropped?.kind === 'status' && dropped.count, 0);
    assert.equal(records.filter((r) => r.kind !== 'status').length, 0, lab.tcpdumpStderr[0]);
  });

  for (const flags of [[], ['-e'], ['-v']]) {
    it(`tcpdump -r ${flags.join(' ')} of an -i any capture: interface and direction per packet`, () => {
      const records = parseTcpdumpText(tcpdumpText(lab.anyPcap, flags)).map((r) => r.record);
      assert.ok(records.some((r) => r.kind === 'status' && r.status === 'warning'));
      const pkts = packets(records);
      assert.equal(pkts.length, anyFrames.length);
      const direction: Record<string, string> = { '0': 'In', '1': 'B', '2': 'M', '3': 'P', '4': 'Out' };
      pkts.forEach((p, i) => {
        const what = `any packet ${i + 1}: ${p.text}`;
        assert.ok(p.iface?.name, what);
        assert.equal(p.iface.direction, direction[anyFrames[i]['sll.pkttype']], what);
        checkCommon(p, anyFrames[i], what);
        if (flags.includes('-e')) {
          assert.equal(p.link?.srcMac, anyFrames[i]['sll.src.eth'] || undefined, what);
          assert.equal(p.link?.ifIndex, n(anyFrames[i]['sll.ifindex']), what);
        }
        if (flags.includes('-v')) checkVerbose(p, anyFrames[i], what);
      });
    });
  }
});
