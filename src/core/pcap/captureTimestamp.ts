/**
 * Splits a pcapng 64-bit timestamp (two 32-bit halves, in units of 1/unitsPerSecond) into whole seconds
 * and nanoseconds without BigInt on the common path: nanosecond timestamps since 1970 exceed 2^53, so the
 * remainder is computed exactly with modular arithmetic and the quotient is then an exact integer.
 */
const TWO32 = 4294967296;

/** (a * b) mod m for a, b < 2^32 and m <= 2^32, exact in doubles. */
function mulMod(a: number, b: number, m: number): number {
  const bHigh = Math.floor(b / 65536);
  const bLow = b - bHigh * 65536;
  const high = ((a * bHigh) % m) * 65536 % m;
  return (high + (a * bLow) % m) % m;
}

export interface SplitTimestamp { sec: number; nsec: number }

/** Writes seconds and nanoseconds of `high * 2^32 + low` units into `out`. */
export function splitUnitsTimestamp(high: number, low: number, unitsPerSecond: number, out: SplitTimestamp): void {
  let sec: number;
  let rem: number;
  if (high < 0x200000) {
    // Below 2^53: plain double arithmetic is exact.
    const total = high * TWO32 + low;
    rem = total % unitsPerSecond;
    sec = (total - rem) / unitsPerSecond;
  } else if (unitsPerSecond <= TWO32) {
    rem = (mulMod(high % unitsPerSecond, TWO32 % unitsPerSecond, unitsPerSecond) + low % unitsPerSecond) % unitsPerSecond;
    // (total - rem) / units is an integer; the double error (< 1e-6 here) vanishes in the rounding.
    sec = Math.round((high * TWO32 + low - rem) / unitsPerSecond);
  } else {
    // Resolutions finer than 2^-32 s (e.g. picoseconds) are rare: BigInt is fine there.
    const total = (BigInt(high) << 32n) | BigInt(low);
    const units = BigInt(unitsPerSecond);
    sec = Number(total / units);
    rem = Number(total % units);
  }
  out.sec = sec;
  out.nsec = unitsPerSecond === 1e9 ? rem : unitsPerSecond === 1e6 ? rem * 1000 : Math.floor((rem * 1e9) / unitsPerSecond);
}
