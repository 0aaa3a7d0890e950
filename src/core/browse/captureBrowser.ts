/**
 * The model behind the pcap editor, free of VS Code: indexes a capture file once, serves pages of
 * list rows by range (for every packet or a display-filtered view), filters by a full streaming pass,
 * and decodes one packet for the detail pane. Memory is ~8 bytes per packet plus 4 per match.
 */
import type { CaptureRecord } from '../pcap/captureRecord';
import { buildCaptureIndex, readIndexedRecords, type CaptureIndex } from '../pcap/captureIndex';
import { readCaptureFile } from '../pcap/captureStreamReader';
import { readFirstRecords } from '../pcap/readFirstRecords';
import { describePacket, dissectPacket } from '../decode/dissectPacket';
import { PacketFields } from '../decode/packetFields';
import { TcpdumpFormatter } from '../format/tcpdumpFormatter';
import { compileDisplayFilter } from '../filter/compileDisplayFilter';
import { FrameClock } from '../filter/frameClock';
import type { LayerNode, PacketRow } from '../../protocol/pcapEditorProtocol';
import { packetRowColumns } from './packetRowText';
import { packetLayerTree } from './packetLayerTree';

export interface PacketDetail { number: number; layers: LayerNode[]; bytes: Uint8Array }

/** Length of tcpdump's clock timestamp plus its space (`12:00:00.123456 `). */
const CLOCK_PREFIX = 16;

export class CaptureBrowser {
  private index: CaptureIndex | undefined;
  private views = new Map<number, Uint32Array>();
  private nextView = 1;

  constructor(readonly path: string) {}

  /** Indexes the file; `onProgress` gets the running packet count. */
  async open(onProgress?: (count: number) => void): Promise<CaptureIndex> {
    this.index = await buildCaptureIndex(this.path, { onProgress });
    return this.index;
  }

  get packetCount(): number { return this.index?.count ?? 0; }

  /** The index once opened (random access for other readers of the same file). */
  get captureIndex(): CaptureIndex | undefined { return this.index; }

  /** Link type of the file's first interface, once opened. */
  get linkType(): number | undefined { return this.index?.interfaces[0]?.linkType; }

  private requireIndex(): CaptureIndex {
    if (!this.index) throw new Error('capture not opened');
    return this.index;
  }

  /** Number of rows in a view (0 = every packet). */
  viewSize(view: number): number {
    return view === 0 ? this.packetCount : (this.views.get(view)?.length ?? 0);
  }

  async rows(view: number, start: number, count: number): Promise<PacketRow[]> {
    const index = this.requireIndex();
    const rows: PacketRow[] = [];
    const toRow = packetRowMaker(rows);
    if (view === 0) {
      await readIndexedRecords(index, start, count, toRow);
      return rows;
    }
    const matches = this.views.get(view);
    if (!matches) return [];
    await readMatchedRecords(index, matches, start, count, toRow);
    return rows;
  }

  /** The file's first `count` rows, read without the index (shown while a large file is indexed). */
  async firstRows(count: number): Promise<PacketRow[]> {
    const rows: PacketRow[] = [];
    await readFirstRecords(this.path, count, packetRowMaker(rows));
    return rows;
  }

  /**
   * Applies a display filter over the whole file and returns the new view id and its size.
   * Throws DisplayFilterError (with a position) before reading anything when the text is wrong.
   */
  async applyFilter(text: string): Promise<{ view: number; count: number }> {
    if (text.trim() === '') return { view: 0, count: this.packetCount };
    const predicate = compileDisplayFilter(text);
    this.requireIndex();
    let matches = new Uint32Array(1024);
    let n = 0;
    const f = new PacketFields();
    const clock = new FrameClock();
    try {
      await readCaptureFile(this.path, {
        onRecord: (rec) => {
          dissectPacket(rec.data, rec.caplen, rec.linkType, f);
          if (!predicate(f, rec.data, clock.next(rec.index + 1, rec.tsSec, rec.tsNsec, rec.origLen, rec.caplen))) return;
          clock.displayed();
          if (n === matches.length) { const g = new Uint32Array(n * 2); g.set(matches); matches = g; }
          matches[n++] = rec.index;
        },
      });
    } catch (e) {
      // A damaged tail was reported when the file was opened; the good packets are filtered.
      if (!this.index?.error) throw e;
    }
    const view = this.nextView++;
    this.views.set(view, matches.slice(0, n));
    return { view, count: n };
  }

  /** Row of a packet in a view, -1 when the view does not contain it. */
  rowOf(view: number, packetNumber: number): number {
    if (view === 0) return packetNumber >= 1 && packetNumber <= this.packetCount ? packetNumber - 1 : -1;
    const m = this.views.get(view);
    if (!m) return -1;
    let lo = 0;
    let hi = m.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (m[mid] === packetNumber - 1) return mid;
      if (m[mid] < packetNumber - 1) lo = mid + 1; else hi = mid - 1;
    }
    return -1;
  }

  async detail(packetNumber: number): Promise<PacketDetail | undefined> {
    const index = this.requireIndex();
    let detail: PacketDetail | undefined;
    await readIndexedRecords(index, packetNumber - 1, 1, (rec) => {
      const layers = describePacket(rec.data, rec.caplen, rec.linkType, rec.origLen);
      detail = { number: packetNumber, layers: packetLayerTree(layers, { number: packetNumber, length: rec.origLen, capLength: rec.caplen }), bytes: rec.data.slice() };
    });
    return detail;
  }

  /** The records of rows [start, start + count) of a view, in order (for exporting a view). */
  async readViewRecords(view: number, start: number, count: number, onRecord: (rec: CaptureRecord) => void): Promise<void> {
    const index = this.requireIndex();
    if (view === 0) {
      const end = Math.min(index.count, start + count);
      if (end > start) await readIndexedRecords(index, start, end - start, onRecord);
      return;
    }
    const matches = this.views.get(view);
    if (!matches) throw new Error(`unknown view ${view}`);
    await readMatchedRecords(index, matches, start, count, onRecord);
  }

  /** 0-based packet indexes of a filtered view's rows, ascending; undefined for view 0 (every packet). */
  viewPacketIndexes(view: number): Uint32Array | undefined {
    if (view === 0) return undefined;
    const m = this.views.get(view);
    if (!m) throw new Error(`unknown view ${view}`);
    return m;
  }

  /** Drops filtered views (memory) except the one still shown. */
  forgetViews(keep: number): void {
    for (const v of this.views.keys()) if (v !== keep) this.views.delete(v);
  }
}

/** Appends each record it is given to `rows` as a list row. */
function packetRowMaker(rows: PacketRow[]): (rec: CaptureRecord) => void {
  // Relative TCP sequence numbers need a flow's first packet: a page shows absolute ones where
  // it does not contain it (tcpdump -S style), which is exact if less compact.
  const formatter = new TcpdumpFormatter();
  return (rec) => {
    const text = formatter.format(rec);
    // The formatter's fast path prints without building layers: the columns need them.
    const cols = packetRowColumns(describePacket(rec.data, rec.caplen, rec.linkType, rec.origLen));
    rows.push({ number: rec.index + 1, tsSec: rec.tsSec, tsNsec: rec.tsNsec, ...cols, length: rec.origLen, info: text.slice(CLOCK_PREFIX).replace(/\n\s*/g, ' ') });
  };
}

/** The records of a filtered view's rows [start, start + count): contiguous runs of matches are read in one go. */
async function readMatchedRecords(index: CaptureIndex, matches: Uint32Array, start: number, count: number, onRecord: (rec: CaptureRecord) => void): Promise<void> {
  const end = Math.min(matches.length, start + count);
  for (let i = start; i < end;) {
    let j = i + 1;
    while (j < end && matches[j] === matches[j - 1] + 1) j++;
    await readIndexedRecords(index, matches[i], matches[j - 1] - matches[i] + 1, onRecord);
    i = j;
  }
}
