import type { TimeFormat } from '../../src/protocol/pcapEditorProtocol';

const pad = (n: number, w: number): string => String(n).padStart(w, '0');

/** Formats a packet time like tcpdump -tttt (UTC), or relative to the first packet / the previous one. */
export function formatPacketTime(format: TimeFormat, sec: number, nsec: number, refSec: number, refNsec: number): string {
  if (format === 'absolute') {
    const d = new Date(sec * 1000);
    return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)} ${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}.${pad(Math.floor(nsec / 1000), 6)}`;
  }
  let ds = sec - refSec;
  let dn = nsec - refNsec;
  if (dn < 0) { ds -= 1; dn += 1e9; }
  const neg = ds < 0;
  if (neg) { ds = -ds - 1; dn = 1e9 - dn; if (dn === 1e9) { ds += 1; dn = 0; } }
  return `${neg ? '-' : ''}${ds}.${pad(Math.floor(dn / 1000), 6)}`;
}
