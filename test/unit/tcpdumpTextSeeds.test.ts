/**
 * parseTcpdumpText on tcpdump lines quoted in field reports (/work/shared/seeds), pasted as they
 * appear there (circled numbers, blank lines, lost spaces, old tcpdump 3.x forms). The expected
 * values are read from the quoted text by eye.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseTcpdumpText } from '../../src/core/tcpdumpText/parseTcpdumpText';
import { parseTcpdumpLine } from '../../src/core/tcpdumpText/parseTcpdumpLine';
import type { TcpdumpPacketRecord, TcpdumpRecord } from '../../src/core/tcpdumpText/tcpdumpRecord';

function packetsOf(text: string): TcpdumpPacketRecord[] {
  const records = parseTcpdumpText(text).map((r) => r.record);
  assert.deepEqual(records.filter((r) => r.kind === 'unparsed'), []);
  return records.filter((r): r is TcpdumpPacketRecord => r.kind === 'packet');
}

// kvm-lvs-dr-nwfilter: `tcpdump -vvv -nnn -e -i eth0 host 192.243.119.145` on Director1.
const LVS = `❶11:39:19.372804 84:78:ac:27:6c:41 > 02:00:73:b6:53:c8,ethertype IPv4 (0x0800), length 74: (tos 0x0, ttl 48, id 47264, offset 0, flags[DF], proto TCP (6), length 60)

    192.243.119.145.51643 > x.y.z.208.80:Flags [S], cksum 0x000e (correct), seq 3639534333,win 14600, options [mss 1460,sackOK,TS val 780753501ecr 0,nop,wscale 7], length 0

❷11:39:19.372815 02:00:73:b6:53:c8 > 02:00:73:b6:53:e2,ethertype IPv4 (0x0800), length 74: (tos 0x0, ttl 48, id 47264, offset 0, flags[DF], proto TCP (6), length 60)

    192.243.119.145.51643 > x.y.z.208.80:Flags [S], cksum 0x000e (correct), seq 3639534333,win 14600, options [mss 1460,sackOK,TS val 780753501ecr 0,nop,wscale 7], length 0

❸11:39:20.372079 84:78:ac:27:6c:41 > 02:00:73:b6:53:c8,ethertype IPv4 (0x0800), length 74: (tos 0x0, ttl 48, id 47265, offset 0, flags[DF], proto TCP (6), length 60)

    192.243.119.145.51643 > x.y.z.208.80:Flags [S], cksum 0xfc25 (correct), seq 3639534333,win 14600, options [mss 1460,sackOK,TS val 780754501ecr 0,nop,wscale 7], length 0

❹11:39:20.372091 02:00:73:b6:53:c8> 02:00:73:b6:53:e2, ethertype IPv4 (0x0800), length 74: (tos 0x0,ttl 48, id 47265, offset 0, flags [DF], proto TCP (6), length 60)

    192.243.119.145.51643 > x.y.z.208.80:Flags [S], cksum 0xfc25 (correct), seq 3639534333,win 14600, options [mss 1460,sackOK,TS val 780754501ecr 0,nop,wscale 7], length 0
`;

const LVS_FIXED = `tcpdump: listening on br0, link-type EN10MB (Ethernet), capture size65535 bytes

❶16:39:37.842828 84:78:ac:27:6c:41 > 02:00:73:b6:53:c8,ethertype IPv4 (0x0800), length 74: (tos 0x0, ttl 48, id 59437, offset 0, flags[DF], proto TCP (6), length 60)

    192.243.119.145.48377 > x.y.z.208.80:Flags [S], cksum 0x8721 (correct), seq 2886813932, win 14600, options [mss1460,sackOK,TS val 885170369 ecr 0,nop,wscale 7], length 0
`;

// openstack-network-troubleshooting: `tcpdump -i any -n -v 'icmp[icmptype] = ...'` and DNS with -v.
const OPENSTACK_ICMP = `12:51:42.020227 IP (tos 0x0, ttl 61, id 0, offset 0, flags [DF], proto ICMP (1), length 84)
    203.0.113.30 > 1.2.3.4: ICMP echo request, id 24895, seq 1, length 64 
12:51:42.020255 IP (tos 0x0, ttl 64, id 8137, offset 0, flags [none], proto ICMP (1), length 84) 
    1.2.3.4 > 203.0.113.30: ICMP echo reply, id 24895, seq 1, length 64
12:51:42.020974 IP (tos 0x0, ttl 61, id 8137, offset 0, flags [none], proto ICMP (1), length 84)
 1.2.3.4 > 10.0.2.24: ICMP echo reply, id 24895, seq 1, length 64
`;

const OPENSTACK_DNS = `tcpdump: listening on br100, link-type EN10MB (Ethernet), capture size 65535 bytes
16:36:18.807518 IP (tos 0x0, ttl 64, id 56057, offset 0, flags [DF], proto UDP (17), length 59)
 192.168.100.4.54244 > 192.168.100.1.53: 2+ A? openstack.org. (31)
16:36:18.808285 IP (tos 0x0, ttl 64, id 0, offset 0, flags [DF], proto UDP (17), length 75)
 192.168.100.1.53 > 192.168.100.4.54244: 2 1/0/0 openstack.org. A 174.143.194.225 (47)
`;

// vm-unreachable-driver: `tcpdump -i 021f00 -tttt -nn host 192.168.128.251`, an old tcpdump (3.x forms).
const DRIVER = `tcpdump: verbose output suppressed, use -v or -vv for full protocol decode
listening on 021f00, link-type EN10MB (Ethernet), capture size 68 bytes
2017-04-18 18:21:13.760859 IP 192.168.96.206.3966 > 192.168.128.251.443: S 624161397:624161397(0) win 14600 <mss 1460,sackOK,timestamp 3118882310[|tcp]>
2017-04-18 18:21:13.884842 arp who-has 192.168.129.247 tell 192.168.128.251
2017-04-18 18:21:13.886118 arp reply 192.168.129.247 is-at 58:6a:b1:e1:47:dc
2017-04-18 17:35:43.765200 IP 192.168.24.8.55600 > 192.168.128.251.22: S 3639517383:3639517383(0) win 14600 <mss 1460,sackOK,timestamp 3825997029 0,nop,wscale 7>
`;

describe('parseTcpdumpText on lines quoted in the seeds', () => {
  it('kvm-lvs-dr-nwfilter: -vvv -e two-line records, MAC rewrite and the SYN retransmitted 1000 ms later', () => {
    const p = packetsOf(LVS);
    assert.equal(p.length, 4);
    assert.deepEqual(p.map((r) => r.link?.srcMac), ['84:78:ac:27:6c:41', '02:00:73:b6:53:c8', '84:78:ac:27:6c:41', '02:00:73:b6:53:c8']);
    assert.deepEqual(p.map((r) => r.link?.dstMac), ['02:00:73:b6:53:c8', '02:00:73:b6:53:e2', '02:00:73:b6:53:c8', '02:00:73:b6:53:e2']);
    assert.deepEqual(p.map((r) => r.tcp?.options?.tsVal), [780753501, 780753501, 780754501, 780754501]);
    assert.deepEqual(p.map((r) => r.tcp?.options?.tsEcr), [0, 0, 0, 0]);
    assert.deepEqual(p.map((r) => r.ip?.id), [47264, 47264, 47265, 47265]);
    const first = p[0];
    assert.equal(first.timestamp?.text, '11:39:19.372804');
    assert.equal(first.link?.etherType, 0x0800);
    assert.equal(first.link.length, 74);
    assert.deepEqual(first.ip, { tos: 0, ttl: 48, id: 47264, offset: 0, flags: ['DF'], protoName: 'TCP', protoNumber: 6, length: 60 });
    assert.deepEqual(first.src, { address: '192.243.119.145', port: 51643 });
    assert.deepEqual(first.dst, { address: 'x.y.z.208', port: 80 });
    assert.equal(first.tcp?.flags, 'S');
    assert.equal(first.tcp.syn, true);
    assert.equal(first.tcp.seqStart, 3639534333);
    assert.equal(first.tcp.window, 14600);
    assert.equal(first.tcp.options?.mss, 1460);
    assert.equal(first.tcp.options.wscale, 7);
    assert.equal(first.tcp.options.sackOK, true);
    assert.equal(first.tcp.length, 0);
    assert.deepEqual(first.checksums, [{ layer: 'tcp', state: 'correct', value: '0x000e', expected: undefined }]);
    assert.equal(p[3].tcp?.options?.tsVal, 780754501);
    assert.equal(p[3].timestamp?.seconds, 11 * 3600 + 39 * 60 + 20.372091);
  });

  it('records carry the line range they were read from (blank lines inside a pasted -v record)', () => {
    const ranges = parseTcpdumpText(LVS).map((r) => [r.line, r.endLine]);
    assert.deepEqual(ranges, [[0, 2], [4, 6], [8, 10], [12, 14]]);
    const v = parseTcpdumpText(OPENSTACK_ICMP).map((r) => [r.line, r.endLine]);
    assert.deepEqual(v, [[0, 1], [2, 3], [4, 5]]);
  });

  it('kvm-lvs-dr-nwfilter: the fixed capture, `capture size65535` and `mss1460`', () => {
    const records = parseTcpdumpText(LVS_FIXED).map((r) => r.record);
    assert.equal(records.length, 2);
    const status = records[0];
    assert.equal(status.kind, 'status');
    assert.equal(status.status, 'listening');
    assert.equal(status.interface, 'br0');
    assert.equal(status.snapshotLength, 65535);
    const pkt = records[1];
    assert.equal(pkt.kind, 'packet');
    assert.equal(pkt.tcp?.options?.mss, 1460);
    assert.equal(pkt.tcp.options.tsVal, 885170369);
    assert.equal(pkt.tcp.seqStart, 2886813932);
  });

  it('openstack: -v ICMP echo request/reply pairs, one-space second lines, trailing spaces', () => {
    const p = packetsOf(OPENSTACK_ICMP);
    assert.equal(p.length, 3);
    assert.deepEqual(p.map((r) => r.icmp?.type), ['echo request', 'echo reply', 'echo reply']);
    assert.deepEqual(p.map((r) => r.ip?.ttl), [61, 64, 61]);
    assert.deepEqual(p.map((r) => r.ip?.flags), [['DF'], ['none'], ['none']]);
    assert.deepEqual(p.map((r) => r.icmp?.id), [24895, 24895, 24895]);
    assert.deepEqual(p.map((r) => r.icmp?.seq), [1, 1, 1]);
    assert.deepEqual(p.map((r) => r.dst?.address), ['1.2.3.4', '203.0.113.30', '10.0.2.24']);
    assert.equal(p[0].icmp?.length, 64);
    assert.equal(p[0].ip?.length, 84);
  });

  it('openstack: DNS query and answer over -v', () => {
    const records = parseTcpdumpText(OPENSTACK_DNS).map((r) => r.record);
    assert.equal(records[0].kind, 'status');
    const [q, a] = records.slice(1) as TcpdumpPacketRecord[];
    assert.equal(q.protocol, 'dns');
    assert.deepEqual(q.dns, { id: 2, isResponse: false, flags: '+', queryType: 'A', queryName: 'openstack.org.', length: 31 });
    assert.equal(q.src?.port, 54244);
    assert.equal(q.ip?.protoName, 'UDP');
    assert.equal(a.dns?.isResponse, true);
    assert.equal(a.dns.answers, 1);
    assert.equal(a.dns.answerText, 'openstack.org. A 174.143.194.225');
    assert.equal(a.dns.length, 47);
  });

  it('vm-unreachable-driver: -tttt, tcpdump 3.x TCP and arp forms, [|tcp] truncation', () => {
    const records = parseTcpdumpText(DRIVER).map((r) => r.record);
    assert.deepEqual(records.slice(0, 2).map((r) => r.kind === 'status' && r.status), ['verbose-suppressed', 'listening']);
    const [syn, who, reply, syn2] = records.slice(2) as TcpdumpPacketRecord[];
    assert.equal(syn.timestamp?.form, 'datetime');
    assert.equal(syn.timestamp.date, '2017-04-18');
    assert.equal(syn.tcp?.syn, true);
    assert.equal(syn.tcp.seqStart, 624161397);
    assert.equal(syn.tcp.length, 0);
    assert.equal(syn.tcp.window, 14600);
    assert.equal(syn.tcp.options?.tsVal, 3118882310);
    assert.equal(syn.truncatedAt, 'tcp');
    assert.deepEqual(who.arp, { op: 'request', whoHas: '192.168.129.247', tell: '192.168.128.251' });
    assert.deepEqual(reply.arp, { op: 'reply', address: '192.168.129.247', isAt: '58:6a:b1:e1:47:dc' });
    assert.equal(syn2.tcp?.options?.tsVal, 3825997029);
    assert.equal(syn2.tcp.options.tsEcr, 0);
    assert.equal(syn2.tcp.options.wscale, 7);
    assert.equal(syn2.truncatedAt, undefined);
  });
});

describe('parseTcpdumpLine never throws', () => {
  it('returns unparsed for text that is not tcpdump output, and for every prefix of real lines', () => {
    const samples = ['', 'hello world', '12:00:00', 'IP', 'IP (', 'IP6 ::', '❶', '2017-04-18 ', '[|tcp]', 'ARP, Reply'];
    for (const s of samples) {
      const r: TcpdumpRecord = parseTcpdumpLine(s);
      assert.ok(r.kind === 'unparsed' || r.kind === 'packet', s);
    }
    for (const line of [...LVS.split('\n'), ...DRIVER.split('\n'), ...OPENSTACK_DNS.split('\n')]) {
      for (let i = 0; i <= line.length; i++) {
        const r = parseTcpdumpLine(line.slice(0, i));
        assert.equal(r.text, line.slice(0, i));
      }
    }
    assert.equal(parseTcpdumpLine('hello world').kind, 'unparsed');
  });
});
