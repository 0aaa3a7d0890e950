/** Human delay text for ns values: `850 ns`, `45 µs`, `1.25 ms`, `1.234 s`. */
export function formatDuration(ns: number): string {
  const a = Math.abs(ns);
  const sign = ns < 0 ? '-' : '';
  if (a < 1_000) return `${sign}${Math.round(a)} ns`;
  if (a < 1_000_000) return `${sign}${(a / 1_000).toFixed(a < 10_000 ? 1 : 0)} µs`;
  if (a < 1_000_000_000) return `${sign}${(a / 1_000_000).toFixed(a < 10_000_000 ? 2 : 1)} ms`;
  return `${sign}${(a / 1_000_000_000).toFixed(3)} s`;
}

/** Seconds since the start of the comparison with µs precision. */
export function formatOffsetTime(ns: number): string {
  return (ns / 1e9).toFixed(6);
}
