// Where a live capture is saved: `<root>/captures/<host>/<iface>-<YYYYmmdd-HHMMSS>.pcap` (UTC).
import { join } from 'node:path';

const unsafe = /[^A-Za-z0-9._@-]/g;

function stamp(d: Date): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}-${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
}

/** One path component: only safe characters, never `.` or `..`. */
function component(name: string): string {
  const safe = name.replace(unsafe, '_');
  return /^\.*$/.test(safe) ? `_${safe}` : safe;
}

/** A file name unique within the host's folder (`-2`, `-3` … when two captures start in the same second). */
export function captureFilePath(root: string, host: string, iface: string, when: Date, exists: (path: string) => boolean): string {
  const dir = join(root, 'captures', component(host));
  const base = `${component(iface)}-${stamp(when)}`;
  let path = join(dir, `${base}.pcap`);
  for (let i = 2; exists(path); i++) path = join(dir, `${base}-${i}.pcap`);
  return path;
}
