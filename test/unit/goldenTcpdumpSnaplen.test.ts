/**
 * Truncated packets as the seeds capture them (tcpdump -s 68 / -s 96): the committed real captures
 * (test/fixtures/capture) cut by the real editcap, our text against the real tcpdump 4.99 on the
 * same cut files in plain -nn, -tttt and -e modes — `[|ip]`, `[|ip6]`, `[|arp]`, `[|icmp]`, `[|udp]`, `[|icmp6]`, `[|bootp]`,
 * `[|domain]` markers and what comes before them, in tunnels too. The DNS captures are cut at every
 * length, since tcpdump's DNS line depends on exactly where the cut falls.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatterLines, localInterfaceNames, TCPDUMP_MODES, tcpdumpLines } from '../support/tcpdumpReference';

const DIR = join(__dirname, '..', 'fixtures', 'capture');
const FILES = readdirSync(DIR).filter((n) => n.endsWith('.pcap')).sort();
/** The DNS captures: cut at every length, since where the cut falls in a DNS message changes tcpdump's whole line. */
const DNS_FILES = ['dns.pcap', 'dns-records.pcap'];

/** The longest frame of a capture (tshark's frame.len). */
function longestFrame(file: string): number {
  const lens = execFileSync('tshark', ['-r', file, '-T', 'fields', '-e', 'frame.len'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return Math.max(...lens.trim().split('\n').map(Number));
}

describe('tcpdump text on captures cut to snaplen 68 and 96 (editcap -s)', () => {
  let dir = '';
  before(() => { dir = mkdtempSync(join(tmpdir(), 'hopscope-snaplen-')); });
  after(() => { rmSync(dir, { recursive: true, force: true }); });
  const names = localInterfaceNames();

  // 68 and 96 as in the seeds; 34-50 cut ICMP/UDP/ARP/IPv4 headers of ping4 (an unreachable's quoted header too)
  const CUTS: [number, string[]][] = [[68, FILES], [96, FILES], [34, ['ping4.pcap']], [40, ['ping4.pcap']], [50, ['ping4.pcap']]];
  for (const [snaplen, files] of CUTS) {
    it(`${files.length > 1 ? 'every fixture' : files.join(', ')} cut to ${snaplen} bytes, plain, -tttt and -e`, async () => {
      let compared = 0;
      let marked = 0;
      for (const file of files) {
        const cut = join(dir, `${snaplen}-${file}`);
        execFileSync('editcap', ['-s', String(snaplen), join(DIR, file), cut], { stdio: 'ignore' });
        for (const { flags, options } of TCPDUMP_MODES) {
          const want = tcpdumpLines(flags, cut);
          const got = await formatterLines(cut, { ...options, interfaceNames: names });
          assert.equal(got.length, want.length, `${file} ${flags.join(' ')}: line count`);
          got.forEach((line, k) => {
            if (want[k].includes('[|')) marked++;
            assert.equal(line, want[k], `${file} ${flags.join(' ')} line ${k + 1}`);
            compared++;
          });
        }
      }
      assert.ok(compared > (files.length > 1 ? 200 : 20) && marked > 5, `${compared} lines compared, ${marked} truncation markers`);
    });
  }

  // Every cut from the Ethernet header alone to the whole frame: in the IP and UDP headers, the DNS
  // header, each question, each answer's name, fixed part and data (A, AAAA, CNAME chains, MX, TXT,
  // SRV, PTR, URI, CHAOS, NXDOMAIN, EDNS), over IPv4 and IPv6.
  for (const file of DNS_FILES) {
    it(`${file} cut at every length from 14 bytes to its longest frame, plain, -tttt and -e`, async () => {
      const input = join(DIR, file);
      const longest = longestFrame(input);
      const differing: string[] = [];
      let compared = 0;
      const kinds = new Set<string>();
      for (let snaplen = 14; snaplen <= longest; snaplen++) {
        const cut = join(dir, `every-${snaplen}-${file}`);
        execFileSync('editcap', ['-s', String(snaplen), input, cut], { stdio: 'ignore' });
        // -tttt and -e change only what precedes the DNS text: every fifth cut is enough for them.
        for (const { flags, options } of snaplen % 5 === 0 ? TCPDUMP_MODES : TCPDUMP_MODES.slice(0, 1)) {
          const want = tcpdumpLines(flags, cut);
          const got = await formatterLines(cut, { ...options, interfaceNames: names });
          assert.equal(got.length, want.length, `${file} -s ${snaplen} ${flags.join(' ')}: line count`);
          want.forEach((line, k) => {
            compared++;
            // What a cut DNS line ends with: the mark after the header, after answers, or a whole line.
            kinds.add(/\[\|domain\]$/.test(line) ? (/ \d+\/\d+\/\d+/.test(line) ? 'answers-mark' : 'header-mark') : /\(\d+\)$/.test(line) ? 'length' : 'other');
            if (got[k] !== line) differing.push(`-s ${snaplen} ${flags.join(' ')} line ${k + 1}:\n  tcpdump: ${line}\n  ours:    ${got[k]}`);
          });
        }
      }
      assert.deepEqual(differing, [], `${differing.length} of ${compared} lines differ`);
      assert.ok(compared >= 2 * (longest - 13), `${compared} lines for ${longest - 13} cuts`);
      for (const k of ['answers-mark', 'header-mark', 'length']) assert.ok(kinds.has(k), `no line of kind ${k}`);
    });
  }
});
