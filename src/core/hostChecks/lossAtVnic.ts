/**
 * Where a Compare "lost" verdict meets a VM's vNIC: seen on the backend (vnetN) but not on the next hop
 * is "lost leaving vnetN" — a frame the VM sent, judged by the filter's `out` rules; seen on the hop
 * before but not on the backend is "lost entering vnetN" (`in` rules). Neither hop a backend: no
 * nwfilter can explain it.
 */
export interface CaptureHop { host: string; iface: string }

export interface LossAtVnic { host: string; device: string; direction: 'in' | 'out'; wording: string }

export function lossAtVnic(seen: CaptureHop, next: CaptureHop, isBackend: (hop: CaptureHop) => boolean): LossAtVnic | undefined {
  if (isBackend(seen)) return { host: seen.host, device: seen.iface, direction: 'out', wording: `lost leaving ${seen.iface} on ${seen.host}` };
  if (isBackend(next)) return { host: next.host, device: next.iface, direction: 'in', wording: `lost entering ${next.iface} on ${next.host}` };
  return undefined;
}
