/** `hopscope print` end to end (in-process CLI) against real tcpdump on the bundled sample and fixtures. */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCliInProcess, type CliRunResult } from '../support/runCliInProcess';
import { tcpdumpLines } from '../support/tcpdumpReference';

const sample = join(__dirname, '../../samples/two-hop-ping.pcap');
const fixtures = join(__dirname, '../fixtures/capture');
const tmp = mkdtempSync(join(tmpdir(), 'hopscope-print-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const cli = (args: string[]): Promise<CliRunResult> => runCliInProcess(['print', ...args]);

describe('hopscope print', () => {
  it('prints the sample exactly like tcpdump -nn (plain, --tttt, -e)', async () => {
    for (const [ours, theirs] of [[[], ['-nn']], [['--tttt'], ['-nn', '-tttt']], [['-e', '--plain'], ['-nn', '-e']]] as const) {
      const r = await cli([...ours, sample]);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(r.stdout.split('\n').slice(0, -1), tcpdumpLines([...theirs], sample));
    }
  });

  it('names SLL2 interfaces from an `ip -j link` file, else says ifindex N', async () => {
    const file = join(fixtures, 'any.pcap');
    const named = await cli(['--ifnames', join(fixtures, 'any.links.json'), file]);
    assert.match(named.stdout.split('\n')[0], /^\d\d:\d\d:\d\d\.\d{6} hsd\d+x Out IP 10\.201\.1\.1 > 10\.201\.1\.2: ICMP echo request/);
    const bare = await cli([file]);
    assert.match(bare.stdout.split('\n')[1], / ifindex 2 In {2}IP 10\.201\.1\.2 > 10\.201\.1\.1: ICMP echo reply/);
  });

  it('--json gives one object per packet with the layer tree', async () => {
    const r = await cli(['--json', join(fixtures, 'dns.pcap')]);
    assert.equal(r.code, 0);
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { index: number; origLen: number; layers: { kind: string; questions?: { name: string }[]; answers?: { data: string }[] }[] });
    assert.equal(rows.length, tcpdumpLines(['-nn'], join(fixtures, 'dns.pcap')).length);
    assert.deepEqual(rows[0].layers.map((l) => l.kind), ['ethernet', 'ipv4', 'udp', 'dns']);
    assert.equal(rows[0].layers[3].questions?.[0].name, 'web.hopscope.test.');
    assert.equal(rows[1].layers[3].answers?.[0].data, '10.201.0.5');
  });

  it('prints what a truncated file holds, then one error line with the byte offset (exit 1)', async () => {
    const whole = readFileSync(join(fixtures, 'tcp.pcap'));
    const cut = join(tmp, 'cut.pcap');
    // header 24 + 3 records of 16 + 74/74/66 bytes, then half of the 4th record
    const fourth = 24 + 16 + 74 + 16 + 74 + 16 + 66;
    writeFileSync(cut, whole.subarray(0, fourth + 30));
    const r = await cli(['--tttt', cut]);
    assert.equal(r.code, 1);
    assert.deepEqual(r.stdout.split('\n').slice(0, -1), tcpdumpLines(['-nn', '-tttt'], join(fixtures, 'tcp.pcap')).slice(0, 3));
    assert.equal(r.stderr.split('\n').length, 2);
    assert.match(r.stderr, new RegExp(`byte offset ${fourth}\\b`));
  });

  it('prints the raw bytes of a packet whose link type it cannot decode, and goes on', async () => {
    const hdr = Buffer.alloc(24);
    hdr.writeUInt32LE(0xa1b2c3d4, 0); hdr.writeUInt16LE(2, 4); hdr.writeUInt16LE(4, 6); hdr.writeUInt32LE(65535, 16); hdr.writeUInt32LE(147, 20);
    const rec = (n: number): Buffer => { const h = Buffer.alloc(16); h.writeUInt32LE(1700000000 + n, 0); h.writeUInt32LE(3, 8); h.writeUInt32LE(3, 12); return Buffer.concat([h, Buffer.from([0xde, 0xad, n])]); };
    const f = join(tmp, 'user0.pcap');
    writeFileSync(f, Buffer.concat([hdr, rec(1), rec(2)]));
    const r = await cli([f]);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /unknown link type 147\] length 3\n\t0x0000: {2}dead 01\n/);
    assert.match(r.stdout, /\t0x0000: {2}dead 02\n$/);
  });

  it('rejects bad arguments and missing files with exit 2', async () => {
    assert.equal((await cli([])).code, 2);
    assert.equal((await cli(['--bogus', sample])).code, 2);
    const r = await cli([join(tmp, 'nope.pcap')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /no such file/);
  });
});
