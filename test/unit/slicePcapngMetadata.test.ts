/**
 * What Export Packets / `hopscope slice` (and merge) keep of a pcapng input: every written packet's
 * comments and the metadata of the interfaces the written packets came from, as Wireshark's Export
 * Specified Packets does. The input is a real two-interface dumpcap capture
 * (fixtures/pcap/makeTwoInterfaceCapture.sh) commented at test time with editcap -a; the expected
 * values are what tshark and capinfos read from the input for the same packets, and tcpdump -r must
 * print the written packets as it prints them in the input.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sliceCapture } from '../../src/core/slice/sliceCapture';
import { mergeCaptures } from '../../src/core/slice/mergeCaptures';
import { readCaptureFile } from '../../src/core/pcap/captureStreamReader';

const F = join(__dirname, '..', 'fixtures', 'pcap');
const DUMPCAP = join(F, 'dumpcap-lo-veth.pcapng');
const dir = mkdtempSync(join(tmpdir(), `hs-slicemeta-${process.pid}-`));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Frame → comments added with editcap -a (one editcap run per comment: a second -a of the same frame in one run replaces). */
const COMMENTS: [number, string][] = [
  [2, 'reply on lo'],
  [7, 'first ping over the veth'],
  [7, 'a second comment on the same packet'],
  [12, 'ünïcode ✓ and, a comma'],
  [17, 'outside the slice'],
];
let commented = '';

before(() => {
  let input = DUMPCAP;
  COMMENTS.forEach(([frame, text], i) => {
    const next = join(dir, `commented-${i}.pcapng`);
    execFileSync('editcap', ['-a', `${frame}:${text}`, input, next], { stdio: 'ignore' });
    input = next;
  });
  commented = input;
});

const TSHARK_FIELDS = ['frame.comment', 'frame.interface_name', 'frame.interface_description', 'frame.time_epoch', 'frame.len', 'frame.cap_len', 'frame.protocols'];
function tsharkFields(file: string, filter?: string): string[] {
  const args = ['-r', file, '-T', 'fields', '-E', 'occurrence=a', '-E', 'aggregator=|'];
  for (const f of TSHARK_FIELDS) args.push('-e', f);
  if (filter) args.push('-Y', filter);
  return execFileSync('tshark', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trimEnd().split('\n');
}
function tcpdumpLines(file: string): string[] {
  const r = spawnSync('tcpdump', ['-nn', '--nano', '-tt', '-r', file], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trimEnd().split('\n');
}
/** capinfos' per-interface lines that describe the interface (not its packet and statistics counts). */
function interfaceInfo(file: string): string[] {
  const text = execFileSync('capinfos', ['-I', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return text.split('\n').map((l) => l.trim())
    .filter((l) => /^(Interface #|Name =|Description =|Encapsulation =|Capture length =|Time precision =|Time ticks per second =|Time resolution =|Filter string =|Operating system =|Hardware =)/.test(l));
}
const capinfos = (file: string): string => execFileSync('capinfos', [file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });

describe('pcapng slice keeps packet comments and interface metadata', () => {
  it('the commented input is what the test means (tshark reads the editcap comments back)', () => {
    const lines = tsharkFields(commented);
    assert.equal(lines.length, 18);
    assert.equal(lines[6].split('\t')[0], 'first ping over the veth|a second comment on the same packet');
    assert.equal(lines[11].split('\t')[0], 'ünïcode ✓ and, a comma');
    assert.deepEqual(new Set(lines.map((l) => l.split('\t')[1])), new Set(['lo', 'hsv0']));
  });

  it('packets 2-13: comments, interface names and times as tshark reads them in the input; same tcpdump lines', async () => {
    const out = join(dir, 'packets.pcapng');
    const r = await sliceCapture(commented, out, { packetNumbers: [{ from: 2, to: 13 }] });
    assert.equal(r.packetsWritten, 12);
    assert.equal(r.commentsDropped, 0);
    assert.deepEqual(tsharkFields(out), tsharkFields(commented, 'frame.number >= 2 && frame.number <= 13'));
    assert.deepEqual(tcpdumpLines(out), tcpdumpLines(commented).slice(1, 13));
    // Both interfaces are used: the output describes them as the input does (name, description,
    // link type, snaplen, if_tsresol, capture filter, OS), and keeps the capture comment.
    assert.deepEqual(interfaceInfo(out), interfaceInfo(commented));
    assert.ok(interfaceInfo(out).includes('Filter string = icmp or arp'));
    assert.match(capinfos(out), /Capture comment:\s+two interfaces: lo and a veth/);
  });

  it('the displayed rows of a filtered view (Export Packets… "Displayed packets") keep their comments too', async () => {
    const out = join(dir, 'displayed.pcapng');
    await sliceCapture(commented, out, { packetIndexes: Uint32Array.of(1, 6, 11, 16) });
    const got = tsharkFields(out);
    assert.deepEqual(got, tsharkFields(commented, 'frame.number in {2,7,12,17}'));
    assert.deepEqual(got.map((l) => l.split('\t')[0]),
      ['reply on lo', 'first ping over the veth|a second comment on the same packet', 'ünïcode ✓ and, a comma', 'outside the slice']);
  });

  it('a slice of one interface declares only that one (its metadata as in the input)', async () => {
    const out = join(dir, 'veth-only.pcapng');
    const r = await sliceCapture(commented, out, { displayFilter: 'arp || ip.addr == 10.77.0.2' });
    assert.equal(r.packetsWritten, 10);
    assert.deepEqual(tsharkFields(out), tsharkFields(commented, 'frame.interface_name == "hsv0"'));
    const info = interfaceInfo(out);
    assert.equal(info.filter((l) => l.startsWith('Interface #')).length, 1);
    assert.deepEqual(info.slice(1), interfaceInfo(commented).slice(interfaceInfo(commented).indexOf('Interface #1 info:') + 1));
  });

  it('one interface of a file tcpdump cannot open (two link types): tcpdump opens the slice, microseconds stay microseconds', async () => {
    // merged.pcapng: lo (EN10MB, tsresol 9) and any (LINUX_SLL2, tsresol 6, snaplen 1500); libpcap
    // refuses the whole file ("an interface has a type 276 different from …").
    for (const name of ['merged.pcapng', 'merged-be.pcapng']) {
      const input = join(F, name);
      assert.notEqual(spawnSync('tcpdump', ['-r', input], { encoding: 'utf8' }).status, 0);
      const out = join(dir, `sll-${name}`);
      await sliceCapture(input, out, { displayFilter: '!eth' });
      assert.deepEqual(tcpdumpLines(out), tcpdumpLines(join(F, 'any.pcapng')), name);
      assert.deepEqual(tsharkFields(out), tsharkFields(input, '!eth'), name);
      assert.deepEqual(interfaceInfo(out), ['Interface #0 info:', 'Encapsulation = Linux cooked-mode capture v2 (210 - linux-sll2)',
        'Capture length = 1500', 'Time precision = microseconds (6)', 'Time ticks per second = 1000000', 'Time resolution = 0x06'], name);
    }
  });

  it('no packet selected: a pcapng with the first interface, which tcpdump and tshark open', async () => {
    const out = join(dir, 'none.pcapng');
    const r = await sliceCapture(commented, out, { displayFilter: 'udp' });
    assert.equal(r.packetsWritten, 0);
    assert.equal(spawnSync('tcpdump', ['-r', out], { encoding: 'utf8' }).status, 0);
    assert.deepEqual(interfaceInfo(out).slice(0, 3), ['Interface #0 info:', 'Name = lo', 'Description = Loopback']);
  });

  it('pcapng → pcap: the same packets, without comments (classic pcap has no room for them)', async () => {
    const out = join(dir, 'as.pcap');
    const r = await sliceCapture(commented, out, { packetNumbers: [{ from: 2, to: 13 }], outputFormat: 'pcap' });
    assert.deepEqual(tcpdumpLines(out), tcpdumpLines(commented).slice(1, 13));
    // Export Packets… says so: frames 2, 7 and 12 had comments.
    assert.equal(r.commentsDropped, 3);
    let withComments = 0;
    await readCaptureFile(out, { onRecord: (rec) => { if (rec.comments) withComments++; } });
    assert.equal(withComments, 0);
  });

  it('merge keeps each packet\'s comments and the interfaces\' metadata, as mergecap does', async () => {
    const inputs = [commented, join(F, 'any.pcap')];
    const golden = join(dir, 'mergecap.pcapng');
    execFileSync('mergecap', ['-w', golden, ...inputs]);
    const out = join(dir, 'merged.pcapng');
    await mergeCaptures(inputs, out);
    // The pcap input's interface has no name: mergecap leaves it empty, we name it after its file.
    const withoutAnyPcap = (lines: string[]): string[] => lines.filter((l) => !l.includes('sll'));
    assert.deepEqual(withoutAnyPcap(tsharkFields(out)), withoutAnyPcap(tsharkFields(golden)));
    assert.equal(tsharkFields(out).filter((l) => l.startsWith('\t')).length, tsharkFields(golden).filter((l) => l.startsWith('\t')).length);
  });
});
