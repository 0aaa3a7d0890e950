/**
 * The k-th smallest value of a Float64Array (0-based), as Float64Array.prototype.sort() would place
 * it, in linear expected time: quickselect (Hoare partition, median-of-three pivot) that reorders
 * `a[lo..hi]` in place. Partitioning stops on equal keys, so runs of identical delays (the usual
 * case: every packet takes the same few microseconds) still halve the range each round. After the
 * call a[k] holds the value, a[lo..k-1] ≤ a[k] ≤ a[k+1..hi]. Not for NaN.
 */
export function selectKth(a: Float64Array, k: number, lo = 0, hi = a.length - 1): number {
  // Adversarial inputs could make quickselect quadratic: after a generous number of rounds, sort.
  let rounds = 2 * Math.ceil(Math.log2(hi - lo + 2)) + 8;
  while (hi > lo) {
    if (--rounds < 0) {
      const part = a.subarray(lo, hi + 1).sort();
      return part[k - lo];
    }
    const mid = (lo + hi) >>> 1;
    // Median of three as the pivot value.
    let x = a[lo];
    let y = a[mid];
    const z = a[hi];
    if (x > y) { const t = x; x = y; y = t; }
    if (y > z) { y = z; }
    const pivot = x > y ? x : y;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (pivot < a[j]) j--;
      if (i <= j) { const t = a[i]; a[i] = a[j]; a[j] = t; i++; j--; }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k];
  }
  return a[k];
}
