/**
 * Which changes between two sightings of a packet a network engineer expects: a router decrements
 * TTL / hop limit by exactly one and rewrites the MACs; a bridge or veth changes neither. A change is
 * reported as a rewrite only when it is not explained by routing.
 */

/** TTL down by exactly one, and the source MAC changed (or is unknown on one side): a routed hop. */
export function isRoutedHop(ttlA: number, ttlB: number, srcMacA: number, srcMacB: number): boolean {
  if (ttlA < 0 || ttlB < 0 || ttlB !== ttlA - 1) return false;
  return srcMacA < 0 || srcMacB < 0 || srcMacA !== srcMacB;
}

/** Why a TTL change is unexpected, or '' when it is not a rewrite. */
export function unexpectedTtlChange(ttlA: number, ttlB: number, srcMacA: number, srcMacB: number): string {
  if (ttlA < 0 || ttlB < 0 || ttlA === ttlB) return '';
  if (isRoutedHop(ttlA, ttlB, srcMacA, srcMacB)) return '';
  if (ttlB > ttlA) return 'increased';
  const macsKept = srcMacA >= 0 && srcMacB >= 0 && srcMacA === srcMacB;
  return macsKept ? 'changed across a bridged hop (MACs kept)' : `decremented by ${ttlA - ttlB} across a routed hop (expected 1)`;
}
