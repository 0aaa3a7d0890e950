/**
 * One key per set of captures whatever order they were picked in (Compare infers the hop order), with
 * each file's size and modification time: the same captures, unchanged, are the same comparison.
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';

export function captureSetKey(files: readonly string[]): string {
  return files.map((f) => {
    const path = resolve(f);
    try {
      const s = statSync(path);
      return `${path}\u0000${s.size}\u0000${s.mtimeMs}`;
    } catch {
      return `${path}\u0000missing`; // the open fails with its own message
    }
  }).sort().join('\u0001');
}
