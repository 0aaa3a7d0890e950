/** The address/port rewrite between two sightings of one packet (NAT), as `src a:p -> b:q`. */
import type { CaptureColumns } from './captureColumns';
import { PacketKind } from './packetIdentity';

function ip(v: number): string {
  return `${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
}

function endpoint(cap: CaptureColumns, rec: number, src: boolean): string {
  const k = cap.kind(rec);
  const addr = ip(src ? cap.src4[rec] : cap.dst4[rec]);
  if (k === PacketKind.Tcp || k === PacketKind.Udp) return `${addr}:${src ? cap.port1[rec] : cap.port2[rec]}`;
  if (k === PacketKind.EchoRequest || k === PacketKind.EchoReply) return `${addr} (echo id ${cap.port1[rec]})`;
  return addr;
}

/** '' when addresses and ports are the same; otherwise one `src …` / `dst …` clause per rewritten side. */
export function natRewrite(ca: CaptureColumns, ra: number, cb: CaptureColumns, rb: number): string {
  if (ca.flow[ra] === cb.flow[rb] && ca.src4[ra] === cb.src4[rb] && ca.dst4[ra] === cb.dst4[rb]
    && ca.port1[ra] === cb.port1[rb] && ca.port2[ra] === cb.port2[rb]) return '';
  if (ca.src4[ra] === 0 || cb.src4[rb] === 0) return 'addresses/ports rewritten (IPv6)';
  const out: string[] = [];
  const sa = endpoint(ca, ra, true);
  const sb = endpoint(cb, rb, true);
  const da = endpoint(ca, ra, false);
  const db = endpoint(cb, rb, false);
  if (sa !== sb) out.push(`src ${sa} -> ${sb}`);
  if (da !== db) out.push(`dst ${da} -> ${db}`);
  return out.join('; ') || 'flow rewritten';
}
