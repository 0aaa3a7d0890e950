/**
 * Merges capture files by timestamp (k-way streaming merge, like mergecap). Equal timestamps go out
 * from the later input first, as mergecap 4.0 does (its is_earlier() is <=), so outputs compare equal. Classic pcap inputs with one common link type give a classic pcap (nanosecond when
 * any input is); anything else gives pcapng with each input's interfaces as their own IDBs (their
 * metadata and resolution kept) and each packet's comments.
 */
import type { CaptureInterface } from '../pcap/captureRecord';
import { CaptureOutputFile, interfaceOptionsOf } from './captureOutputFile';
import { CaptureRecordCursor } from './captureRecordCursor';

export interface MergeResult {
  packetsWritten: number;
  format: 'pcap' | 'pcapng';
}

export async function mergeCaptures(inputs: string[], output: string): Promise<MergeResult> {
  if (inputs.length === 0) throw new Error('merge needs at least one input file');
  let out: CaptureOutputFile | undefined;
  /** Per input: its interface ids → output interface ids (pcapng). */
  const idMaps: number[][] = inputs.map(() => []);
  const pending: { input: number; iface: CaptureInterface; id: number }[] = [];
  const declare = (input: number, iface: CaptureInterface, id: number): void => {
    if (!out || out.format !== 'pcapng') return;
    const base = inputs[input].split('/').pop() ?? inputs[input];
    // An unnamed interface (every classic pcap's) is named after its file, so the inputs stay apart.
    const named = iface.name === undefined ? { name: base, description: iface.description ?? `from ${base}` } : {};
    idMaps[input][id] = out.addInterface({ ...interfaceOptionsOf(iface), ...named });
  };
  const cursors = inputs.map((path, i) => new CaptureRecordCursor(path, (iface, id) => {
    if (out) declare(i, iface, id);
    else pending.push({ input: i, iface, id });
  }));
  try {
    for (const c of cursors) {
      await c.open();
      await c.readHeader();
      if (c.interfaces.length === 0) throw new Error(`${c.path}: not a capture file (no header)`);
    }
    const linkTypes = new Set(cursors.map((c) => c.interfaces[0].linkType));
    const allPcap = cursors.every((c) => c.format === 'pcap' || c.format === 'pcap-nsec');
    out = allPcap && linkTypes.size === 1
      ? new CaptureOutputFile(output, {
        format: 'pcap', linkType: cursors[0].interfaces[0].linkType,
        snaplen: Math.max(...cursors.map((c) => c.interfaces[0].snaplen || 262144)),
        nanosecond: cursors.some((c) => c.format === 'pcap-nsec'),
      })
      : new CaptureOutputFile(output, { format: 'pcapng', comment: `hopscope merge of ${inputs.join(' ')}` });
    for (const p of pending) declare(p.input, p.iface, p.id);

    for (;;) {
      let best = -1;
      let bestSec = 0, bestNsec = 0;
      for (let i = 0; i < cursors.length; i++) {
        const r = await cursors[i].peek();
        if (!r) continue;
        if (best < 0 || r.tsSec < bestSec || (r.tsSec === bestSec && r.tsNsec <= bestNsec)) {
          best = i; bestSec = r.tsSec; bestNsec = r.tsNsec;
        }
      }
      if (best < 0) break;
      const r = await cursors[best].peek();
      if (!r) break;
      out.write(idMaps[best][r.interfaceId] ?? 0, r.tsSec, r.tsNsec, r.data, r.origLen, r.comments);
      cursors[best].take();
    }
    const written = out.recordCount;
    await out.commit();
    return { packetsWritten: written, format: out.format };
  } catch (e) {
    out?.abandon();
    throw e;
  } finally {
    for (const c of cursors) await c.close();
  }
}
