/**
 * The inputs of "Merge Captures" from the Explorer: VS Code passes the clicked file and the whole
 * multi-selection; keep the capture files (.pcap, .pcapng, .cap), each once, in selection order.
 * Pure (no `vscode`): unit-tested.
 */
import { basename, dirname, extname, join } from 'node:path';

const CAPTURE_EXT = /^\.(pcap|pcapng|cap)$/i;

export class MergeSelectionError extends Error {}

export function mergeInputs(clicked: string | undefined, selected: readonly string[] | undefined): string[] {
  const all = selected && selected.length > 0 ? selected : clicked ? [clicked] : [];
  const out: string[] = [];
  for (const p of all) if (CAPTURE_EXT.test(extname(p)) && !out.includes(p)) out.push(p);
  const skipped = all.filter((p) => !CAPTURE_EXT.test(extname(p)));
  if (out.length < 2) {
    throw new MergeSelectionError(`Select two or more capture files (.pcap, .pcapng, .cap) in the Explorer to merge${skipped.length ? `; not captures: ${skipped.map((p) => basename(p)).join(', ')}` : ''}`);
  }
  return out;
}

/** merged.pcap when every input is .pcap (mergeCaptures then usually writes classic pcap), else merged.pcapng. */
export function defaultMergeOutputPath(inputs: readonly string[]): string {
  const allPcap = inputs.every((p) => extname(p).toLowerCase() === '.pcap');
  return join(dirname(inputs[0]), allPcap ? 'merged.pcap' : 'merged.pcapng');
}
