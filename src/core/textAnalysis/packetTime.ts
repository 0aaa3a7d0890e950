/** Seconds between two text records' timestamps, when their forms allow it (not `-ttt` deltas). */
import type { TcpdumpPacketRecord } from '../tcpdumpText/tcpdumpRecord';

export function secondsBetween(earlier: TcpdumpPacketRecord, later: TcpdumpPacketRecord): number | undefined {
  const a = earlier.timestamp;
  const b = later.timestamp;
  if (!a || !b || a.form !== b.form || a.form === 'delta') return undefined;
  let d = b.seconds - a.seconds;
  // Time-of-day forms wrap at midnight.
  if ((a.form === 'time' || a.form === 'datetime') && d < -43200 && a.date === b.date) d += 86400;
  else if (a.form === 'datetime' && a.date !== b.date && a.date && b.date) d += (Date.parse(b.date) - Date.parse(a.date)) / 1000;
  return d;
}

/** `0.000123 s` → `123 µs`, `0.0351` → `35.1 ms`, `1.017` → `1.017 s`. */
export function formatSeconds(s: number): string {
  const abs = Math.abs(s);
  if (abs < 0.001) return `${(s * 1e6).toFixed(0)} µs`;
  if (abs < 1) return `${(s * 1e3).toFixed(abs < 0.01 ? 3 : 1)} ms`;
  return `${s.toFixed(3)} s`;
}
