import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PcapWriter } from '../../src/core/pcap/pcapWriter';
import { PcapngWriter, formatCaptureComment } from '../../src/core/pcap/pcapngWriter';
import { readCaptureFile } from '../../src/core/pcap/captureStreamReader';
import type { CaptureRecord } from '../../src/core/pcap/captureRecord';
import { fixture, readBytes, runTool, tsharkPacketLines } from './pcapTestTools';

interface Copied { tsSec: number; tsNsec: number; data: Uint8Array; origLen: number; interfaceId: number; linkType: number }
async function recordsOf(file: string): Promise<Copied[]> {
  const out: Copied[] = [];
  await readCaptureFile(file, { onRecord: (r: CaptureRecord) => out.push({ ...r, data: r.data.slice() }) });
  return out;
}

function withTempDir(fn: (dir: string) => Promise<void>): () => Promise<void> {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hsp-pcapw-'));
    try { await fn(dir); } finally { rmSync(dir, { recursive: true, force: true }); }
  };
}

test('pcap writer: rewriting tcpdump\'s file gives the same bytes (µs and ns), tcpdump reads it', withTempDir(async (dir) => {
  for (const [src, nanosecond] of [['lo.pcap', false], ['lo-nsec.pcap', true]] as const) {
    const out = join(dir, src);
    const fd = openSync(out, 'w');
    const w = new PcapWriter(fd, { linkType: 1, nanosecond, bufferSize: 1000 });
    for (const r of await recordsOf(fixture(src))) w.writeRecord(r.tsSec, r.tsNsec, r.data, r.origLen);
    await w.close();
    closeSync(fd);
    assert.deepEqual(readFileSync(out), readFileSync(fixture(src)));
    const flags = nanosecond ? ['--nano'] : [];
    assert.equal(runTool('tcpdump', ['-nn', ...flags, '-r', out]), runTool('tcpdump', ['-nn', ...flags, '-r', fixture(src)]));
  }
}));

test('pcap writer: records longer than snaplen are cut, origLen kept (tshark agrees)', withTempDir(async (dir) => {
  const out = join(dir, 'cut.pcap');
  const w = new PcapWriter(createWriteStream(out), { linkType: 1, snaplen: 100 });
  const frame = new Uint8Array(300).fill(0xab);
  w.writeRecord(1700000000, 123456789, frame);
  await w.close();
  assert.deepEqual(tsharkPacketLines(out), ['1700000000.123456000\t300\t100\t0']);
}));

test('pcap writer: a live writer flushes what it received by the end of the event-loop turn', withTempDir(async (dir) => {
  const out = join(dir, 'live.pcap');
  const fd = openSync(out, 'w');
  try {
    const w = new PcapWriter(fd, { linkType: 1 });
    w.writeRecord(1700000000, 0, new Uint8Array(60));
    assert.equal(readFileSync(out).length, 0); // buffered, not yet written
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    // Nobody called flush or close (the connection "dropped"): the record is on disk anyway.
    assert.equal(readFileSync(out).length, 24 + 16 + 60);
    assert.deepEqual(tsharkPacketLines(out), ['1700000000.000000000\t60\t60\t0']);
    await w.close();
  } finally {
    closeSync(fd);
  }
}));

test('pcapng writer: metadata comment, interface names, two link types; tshark/capinfos read it, round trip is exact', withTempDir(async (dir) => {
  const out = join(dir, 'ours.pcapng');
  const comment = 'hopscope host=hv1 iface=vnet0 filter="icmp"';
  const w = new PcapngWriter(createWriteStream(out), { comment });
  const ids = [w.addInterface({ linkType: 1, name: 'vnet0', description: 'VM web1 backend' }), w.addInterface({ linkType: 276, name: 'any', snaplen: 1500 })];
  const records = await recordsOf(fixture('merged.pcapng'));
  for (const r of records) w.writeRecord(ids[r.interfaceId], r.tsSec, r.tsNsec, r.data, r.origLen);
  await w.close();
  // Same packets, times (ns), lengths and interfaces as the source file, by tshark.
  assert.deepEqual(tsharkPacketLines(out), tsharkPacketLines(fixture('merged.pcapng')));
  const info = runTool('capinfos', ['-M', out]);
  assert.match(info, /Capture comment:\s+hopscope host=hv1 iface=vnet0 filter="icmp"/);
  assert.match(info, /Capture application:\s+hopscope/);
  assert.match(info, /Name = vnet0/);
  assert.match(info, /Description = VM web1 backend/);
  assert.match(info, /Time resolution = 0x09/);
  const names = runTool('tshark', ['-r', out, '-T', 'fields', '-e', 'frame.interface_name']).trim().split('\n');
  assert.deepEqual([...new Set(names)].sort(), ['any', 'vnet0']);
  // Our reader gets the comment back, and writing what it read reproduces the file byte for byte.
  const bytes = readFileSync(out);
  const back = readBytes(bytes);
  assert.deepEqual(back.comments, [comment]);
  assert.deepEqual(back.interfaces.map((i) => [i.name, i.description, i.tsUnitsPerSecond]), [['vnet0', 'VM web1 backend', 1e9], ['any', undefined, 1e9]]);
  const again = join(dir, 'again.pcapng');
  const w2 = new PcapngWriter(createWriteStream(again), { comment });
  w2.addInterface({ linkType: 1, name: 'vnet0', description: 'VM web1 backend' });
  w2.addInterface({ linkType: 276, name: 'any', snaplen: 1500 });
  for (const r of await recordsOf(out)) w2.writeRecord(r.interfaceId, r.tsSec, r.tsNsec, r.data, r.origLen);
  await w2.close();
  assert.deepEqual(readFileSync(again), bytes);
}));

test('pcapng writer: a one-interface file opens in tcpdump with the same text as the source', withTempDir(async (dir) => {
  const out = join(dir, 'lo.pcapng');
  const fd = openSync(out, 'w');
  const w = new PcapngWriter(fd, { comment: 'hopscope host=lab iface=lo' });
  const id = w.addInterface({ linkType: 1, name: 'lo' });
  for (const r of await recordsOf(fixture('lo-nsec.pcap'))) w.writeRecord(id, r.tsSec, r.tsNsec, r.data, r.origLen);
  await w.close();
  closeSync(fd);
  assert.equal(runTool('tcpdump', ['-nn', '--nano', '-r', out]), runTool('tcpdump', ['-nn', '--nano', '-r', fixture('lo-nsec.pcap')]));
}));

test('pcapng writer: capture metadata comment quotes what needs quoting, and capinfos shows it', withTempDir(async (dir) => {
  const comment = formatCaptureComment({ host: 'hv1', iface: 'vnet0', filter: 'icmp and host 10.200.0.1', note: 'say "hi" \\ bye', skipped: undefined, snaplen: 262144 });
  assert.equal(comment, 'hopscope host=hv1 iface=vnet0 filter="icmp and host 10.200.0.1" note="say \\"hi\\" \\\\ bye" snaplen=262144');
  const out = join(dir, 'meta.pcapng');
  const w = new PcapngWriter(createWriteStream(out), { comment });
  w.addInterface({ linkType: 1, name: 'vnet0' });
  await w.close();
  assert.match(runTool('capinfos', ['-M', out]), new RegExp(`Capture comment:\\s+${comment.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')}`));
}));
