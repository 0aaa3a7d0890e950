import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CaptureFormatError } from '../../src/core/pcap/captureFormatError';
import { CaptureStreamReader, readCaptureFile } from '../../src/core/pcap/captureStreamReader';
import { fixture, readBytes, runTool, seededRandom, tsharkPacketLines } from './pcapTestTools';
import { generateCapture } from '../../bench/generateCapture';

const FIXTURE_FORMATS: Record<string, string> = {
  'lo.pcap': 'pcap', 'lo-be.pcap': 'pcap', 'lo-nsec.pcap': 'pcap-nsec', 'lo-nsec-be.pcap': 'pcap-nsec', 'any.pcap': 'pcap',
  'lo.pcapng': 'pcapng', 'lo-nsec.pcapng': 'pcapng', 'any.pcapng': 'pcapng', 'merged.pcapng': 'pcapng',
  'merged-be.pcapng': 'pcapng', 'two-sections.pcapng': 'pcapng',
};
/** capinfos prints Wireshark's encapsulation short names; these are their LINKTYPE_* numbers. */
const LINKTYPE_OF_WTAP_NAME: Record<string, number> = { ether: 1, 'linux-sll2': 276 };

interface CapinfosInterface { linkType: number; snaplen: number; ticks?: number }
function capinfosInterfaces(file: string): CapinfosInterface[] {
  const out = runTool('capinfos', ['-M', file]);
  return out.split(/Interface #\d+ info:/).slice(1).map((block) => {
    const name = /Encapsulation = .*\(\d+ - ([\w-]+)\)/.exec(block)?.[1] ?? '?';
    const ticks = /Time ticks per second = (\d+)/.exec(block)?.[1];
    return {
      linkType: LINKTYPE_OF_WTAP_NAME[name] ?? -1,
      snaplen: Number(/Capture length = (\d+)/.exec(block)?.[1] ?? 0),
      ticks: ticks === undefined ? undefined : Number(ticks),
    };
  });
}

for (const [name, format] of Object.entries(FIXTURE_FORMATS)) {
  test(`reader: ${name} gives tshark's times, lengths and interfaces`, async () => {
    const golden = tsharkPacketLines(fixture(name));
    const whole = readBytes(readFileSync(fixture(name)));
    assert.equal(whole.error, undefined);
    assert.deepEqual(whole.lines, golden);
    assert.equal(whole.reader.format, format);
    // two-sections is lo-nsec.pcapng followed by any.pcapng (see makeFixtures.sh): their interfaces, in order.
    const ifaces = name === 'two-sections.pcapng'
      ? [...capinfosInterfaces(fixture('lo-nsec.pcapng')), ...capinfosInterfaces(fixture('any.pcapng'))]
      : capinfosInterfaces(fixture(name));
    const ours = whole.interfaces;
    assert.deepEqual(ours.map((i) => i.linkType), ifaces.map((i) => i.linkType));
    assert.deepEqual(ours.map((i) => i.snaplen || 0), ifaces.map((i) => i.snaplen));
    ifaces.forEach((ci, k) => { if (ci.ticks !== undefined) assert.equal(ours[k].tsUnitsPerSecond, ci.ticks); });
    const viaFile = await readCaptureFile(fixture(name), { onRecord() {} }, { chunkSize: 777 });
    assert.equal(viaFile.records, golden.length);
    assert.equal(viaFile.bytes, readFileSync(fixture(name)).length);
  });

  test(`reader: ${name} pushed 1 byte at a time and in random chunks equals one push`, () => {
    const bytes = readFileSync(fixture(name));
    const whole = readBytes(bytes);
    const single = readBytes(bytes, () => 1);
    assert.deepEqual(single.lines, whole.lines);
    assert.deepEqual(single.dataHex, whole.dataHex);
    const rnd = seededRandom(name.length);
    const random = readBytes(bytes, () => Math.floor(rnd() * 3000));
    assert.deepEqual(random.dataHex, whole.dataHex);
    assert.deepEqual(random.lines, whole.lines);
  });
}

test('reader: two pcapng sections keep their own interfaces and tsresol', () => {
  const r = readBytes(readFileSync(fixture('two-sections.pcapng')));
  assert.deepEqual(r.interfaces.map((i) => [i.section, i.linkType, i.tsUnitsPerSecond]), [[0, 1, 1e9], [1, 276, 1e6]]);
});

test('reader: truncated last record delivers the records before it, then the error with its offset', () => {
  const bytes = readFileSync(fixture('lo.pcap'));
  const golden = tsharkPacketLines(fixture('lo.pcap'));
  const lastCaplen = Number(golden[golden.length - 1].split('\t')[2]);
  const lastOffset = bytes.length - 16 - lastCaplen;
  const cut = bytes.subarray(0, bytes.length - 10);
  for (const chunk of [cut.length, 1, 100]) {
    const r = readBytes(cut, () => chunk);
    assert.deepEqual(r.lines, golden.slice(0, -1));
    assert.ok(r.error instanceof CaptureFormatError);
    assert.equal(r.error.code, 'truncated');
    assert.equal(r.error.offset, lastOffset);
    assert.equal(r.error.message, `truncated record at byte ${lastOffset} (needed ${16 + lastCaplen} bytes, have ${16 + lastCaplen - 10})`);
  }
});

test('reader: truncated pcapng block', () => {
  const bytes = readFileSync(fixture('merged.pcapng'));
  const r = readBytes(bytes.subarray(0, bytes.length - 3));
  assert.equal(r.lines.length, tsharkPacketLines(fixture('merged.pcapng')).length - 1);
  assert.ok(r.error instanceof CaptureFormatError);
  assert.equal(r.error.code, 'truncated');
  assert.match(r.error.message, /^truncated block at byte \d+ \(needed \d+ bytes, have \d+\)$/);
});

test('reader: not a capture file, and an empty file', () => {
  const text = readBytes(new TextEncoder().encode('hello, this is text\n'));
  assert.ok(text.error instanceof CaptureFormatError);
  assert.equal(text.error.code, 'not-a-capture');
  assert.match(text.error.message, /not a capture file: unknown magic 0x68656c6c at byte 0/);
  const empty = readBytes(new Uint8Array(0));
  assert.ok(empty.error instanceof CaptureFormatError);
  assert.equal(empty.error.code, 'empty');
});

test('reader: a corrupt caplen is rejected at its record without allocating it', () => {
  const bytes = new Uint8Array(readFileSync(fixture('lo.pcap')));
  const golden = tsharkPacketLines(fixture('lo.pcap'));
  const secondRecord = 24 + 16 + Number(golden[0].split('\t')[2]);
  new DataView(bytes.buffer).setUint32(secondRecord + 8, 0x7ffffff0, true);
  const before = process.memoryUsage().arrayBuffers;
  const r = readBytes(bytes, () => 7);
  assert.ok(process.memoryUsage().arrayBuffers - before < 32 * 1024 * 1024);
  assert.equal(r.lines.length, 1);
  assert.ok(r.error instanceof CaptureFormatError);
  assert.equal(r.error.code, 'bad-caplen');
  assert.equal(r.error.offset, secondRecord);
  assert.match(r.error.message, new RegExp(`bad caplen 2147483632 at byte ${secondRecord} \\(above the snaplen 262144\\)`));
});

test('reader: caplen above the pcapng interface snaplen, and a bad block trailer', () => {
  const bytes = new Uint8Array(readFileSync(fixture('any.pcapng')));
  const v = new DataView(bytes.buffer);
  // Find the first EPB (type 6) and raise its caplen above snaplen 1500.
  let p = 0;
  while (v.getUint32(p, true) !== 6) p += v.getUint32(p + 4, true);
  const corrupt = bytes.slice();
  new DataView(corrupt.buffer).setUint32(p + 20, 1501, true);
  const r = readBytes(corrupt);
  assert.ok(r.error instanceof CaptureFormatError);
  assert.equal(r.error.code, 'bad-caplen');
  assert.equal(r.error.offset, p);
  const badTrailer = bytes.slice();
  const len = v.getUint32(p + 4, true);
  new DataView(badTrailer.buffer).setUint32(p + len - 4, len + 4, true);
  const t = readBytes(badTrailer);
  assert.ok(t.error instanceof CaptureFormatError);
  assert.equal(t.error.code, 'bad-block');
  assert.match(t.error.message, new RegExp(`block trailer length ${len + 4} differs from header length ${len} at byte ${p}`));
});

test('reader: simple and obsolete packet blocks (converted from EPBs) match tshark', () => {
  const src = readFileSync(fixture('lo.pcapng'));
  const dir = mkdtempSync(join(tmpdir(), 'hsp-pcap-'));
  try {
    for (const kind of ['opb', 'spb'] as const) {
      const parts: Buffer[] = [];
      for (let p = 0; p < src.length;) {
        const type = src.readUInt32LE(p);
        const len = src.readUInt32LE(p + 4);
        const block = src.subarray(p, p + len);
        p += len;
        if (type !== 6) { parts.push(block); continue; }
        const caplen = block.readUInt32LE(20);
        const data = block.subarray(28, 28 + ((caplen + 3) & ~3));
        if (kind === 'opb') {
          const opb = Buffer.from(block.subarray(0, 32 + data.length));
          opb.writeUInt32LE(2, 0);
          opb.writeUInt32LE(opb.length, 4);
          opb.writeUInt16LE(0, 10); // drops count, after the 2-byte interface id (0)
          opb.writeUInt32LE(opb.length, opb.length - 4);
          parts.push(opb);
        } else {
          const spb = Buffer.alloc(16 + data.length);
          spb.writeUInt32LE(3, 0);
          spb.writeUInt32LE(spb.length, 4);
          spb.writeUInt32LE(block.readUInt32LE(24), 8);
          data.copy(spb, 12);
          spb.writeUInt32LE(spb.length, spb.length - 4);
          parts.push(spb);
        }
      }
      const file = join(dir, `lo-${kind}.pcapng`);
      writeFileSync(file, Buffer.concat(parts));
      const golden = tsharkPacketLines(file);
      const r = readBytes(readFileSync(file), () => 5);
      assert.equal(r.error, undefined);
      // tshark shows no time for SPBs (they have none): compare lengths there, everything for OPBs.
      if (kind === 'spb') assert.deepEqual(r.lines.map((l) => l.split('\t').slice(1)), golden.map((l) => l.split('\t').slice(1)));
      else assert.deepEqual(r.lines, golden);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** lo-nsec.pcapng with its IDB rebuilt: if_tsresol and optionally if_tsoffset set to the given values. */
function withInterfaceOptions(tsresol: number, tsoffsetSec?: number): Buffer {
  const src = readFileSync(fixture('lo-nsec.pcapng'));
  const shbLength = src.readUInt32LE(4);
  const idbLength = src.readUInt32LE(shbLength + 4);
  const options: Buffer[] = [Buffer.from([9, 0, 1, 0, tsresol, 0, 0, 0])];
  if (tsoffsetSec !== undefined) {
    const o = Buffer.alloc(12);
    o.writeUInt16LE(14, 0);
    o.writeUInt16LE(8, 2);
    o.writeBigInt64LE(BigInt(tsoffsetSec), 4);
    options.push(o);
  }
  const body = Buffer.concat([src.subarray(shbLength + 8, shbLength + 16), ...options, Buffer.alloc(4)]);
  const idb = Buffer.alloc(12 + body.length);
  idb.writeUInt32LE(1, 0);
  idb.writeUInt32LE(idb.length, 4);
  body.copy(idb, 8);
  idb.writeUInt32LE(idb.length, idb.length - 4);
  return Buffer.concat([src.subarray(0, shbLength), idb, src.subarray(shbLength + idbLength)]);
}

test('reader: if_tsresol as a power of 2 and if_tsoffset, against tshark', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hsp-pcap-'));
  try {
    for (const [tsresol, offset] of [[0x80 | 20, undefined], [0x80 | 30, 3600], [6, -7200]] as const) {
      const file = join(dir, `tsresol-${tsresol}.pcapng`);
      writeFileSync(file, withInterfaceOptions(tsresol, offset));
      const r = readBytes(readFileSync(file), () => 64);
      assert.equal(r.error, undefined);
      assert.equal(r.interfaces[0].tsUnitsPerSecond, tsresol & 0x80 ? 2 ** (tsresol & 0x7f) : 10 ** tsresol);
      assert.deepEqual(r.lines, tsharkPacketLines(file), `tsresol 0x${tsresol.toString(16)} offset ${offset}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('reader: unsupported versions are named as such', () => {
  const pcap = new Uint8Array(readFileSync(fixture('lo.pcap')));
  new DataView(pcap.buffer).setUint16(4, 3, true);
  const a = readBytes(pcap);
  assert.ok(a.error instanceof CaptureFormatError);
  assert.equal(a.error.code, 'unsupported-version');
  assert.equal(a.error.message, 'unsupported pcap version 3.4 at byte 4');
  const ng = new Uint8Array(readFileSync(fixture('lo.pcapng')));
  new DataView(ng.buffer).setUint16(12, 2, true);
  const b = readBytes(ng);
  assert.ok(b.error instanceof CaptureFormatError);
  assert.equal(b.error.code, 'unsupported-version');
  assert.match(b.error.message, /^unsupported pcapng version 2\.0 at byte 0$/);
});

test('reader: a 65 MB file is read through a bounded buffer (memory does not grow with the file)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hsp-pcap-big-'));
  try {
    const file = join(dir, 'big.pcap');
    const size = generateCapture(file, 100000);
    const golden = Number(/Number of packets:\s+(\d+)/.exec(runTool('capinfos', ['-M', '-c', file]))?.[1]);
    const before = process.memoryUsage();
    let peakArrayBuffers = 0;
    let captured = 0;
    const r = await readCaptureFile(file, {
      onRecord(rec) {
        captured += rec.caplen;
        if (rec.index % 10000 === 0) peakArrayBuffers = Math.max(peakArrayBuffers, process.memoryUsage().arrayBuffers);
      },
    });
    assert.equal(r.records, golden);
    assert.equal(r.bytes, size);
    assert.equal(captured, size - 24 - 16 * golden);
    // The reader holds one 512 KiB chunk and one carry buffer; the file is 65 MB.
    assert.ok(peakArrayBuffers - before.arrayBuffers < 16 * 1024 * 1024, `array buffers grew by ${peakArrayBuffers - before.arrayBuffers}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('reader: rec.data is an own enumerable property (spread and JSON see it) matching bytes/dataOffset', () => {
  const copies: Array<{ data: Uint8Array; caplen: number; bytes?: Uint8Array; dataOffset?: number }> = [];
  readBytes(readFileSync(fixture('lo.pcap')));
  const reader = new CaptureStreamReader({
    onRecord(rec) {
      const copy = { ...rec };
      assert.ok(copy.bytes && copy.dataOffset !== undefined);
      assert.deepEqual(copy.data, copy.bytes.subarray(copy.dataOffset, copy.dataOffset + rec.caplen));
      copies.push({ ...copy, data: copy.data.slice() });
    },
  });
  reader.push(readFileSync(fixture('lo.pcap')));
  reader.end();
  const hex = readBytes(readFileSync(fixture('lo.pcap'))).dataHex;
  assert.deepEqual(copies.map((c) => Buffer.from(c.data).toString('hex')), hex);
  assert.ok(copies.every((c) => c.data.length === c.caplen));
});

test('reader: an unknown block larger than the buffer bound is skipped as it streams by', () => {
  const src = readFileSync(fixture('lo.pcapng'));
  const shbLength = src.readUInt32LE(4);
  const idbLength = src.readUInt32LE(shbLength + 4);
  // A 1 MiB custom block (type 0x00000BAD, PEN 0) after the IDB: bigger than maxCaplen + options allowance.
  const custom = Buffer.alloc(1024 * 1024);
  custom.writeUInt32LE(0xbad, 0);
  custom.writeUInt32LE(custom.length, 4);
  custom.writeUInt32LE(custom.length, custom.length - 4);
  const file = Buffer.concat([src.subarray(0, shbLength + idbLength), custom, src.subarray(shbLength + idbLength)]);
  const whole = readBytes(readFileSync(fixture('lo.pcapng')));
  for (const chunk of [file.length, 4096, 333]) {
    const r = readBytes(file, () => chunk);
    assert.equal(r.error, undefined);
    assert.deepEqual(r.dataHex, whole.dataHex);
    assert.equal(r.reader.bytesConsumed, file.length);
  }
  const cut = readBytes(file.subarray(0, shbLength + idbLength + 5000), () => 4096);
  assert.ok(cut.error instanceof CaptureFormatError);
  assert.equal(cut.error.code, 'truncated');
  assert.equal(cut.error.offset, shbLength + idbLength);
});
