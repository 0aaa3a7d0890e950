/**
 * Whether a record is a second sighting of an earlier one on the same capture (HS402): the same
 * packet, not the sender's repeat. The identity (packetIdentity) already separates what a sender
 * changes between repeats it makes on purpose (ICMP seq, TCP seq, DNS id). What is left looks alike:
 * two datagrams of the same length to the same port, a retransmission, a repeated ARP request. A
 * copy therefore needs evidence that one packet was seen twice:
 * - the text shows two observation points: another interface, or the other direction, under
 *   `-i any` (a bridge and its port, lo Out then In), or another MAC pair under `-e` (forwarded or
 *   rewritten on this host), within COPY_WINDOW_S; or
 * - `-v` shows the same non-zero IP id (a sender numbers each datagram anew; Linux sends id 0 on
 *   many DF datagrams, so 0 tells nothing) and the same IP length within TIGHT_WINDOW_S.
 * Two different IP ids are never the same packet, whatever else matches.
 */
import type { TcpdumpPacketRecord } from '../tcpdumpText/tcpdumpRecord';
import { secondsBetween } from './packetTime';

/** A bridge or the stack hands a packet on in microseconds; 10 ms leaves room for a loaded host. */
export const COPY_WINDOW_S = 0.01;
/** Same IP id on the same interface: only a copy when it is this close. */
export const TIGHT_WINDOW_S = 0.001;

export type CopyEvidence =
  | { kind: 'interface'; first: string; second: string }
  | { kind: 'direction'; iface: string; first: string; second: string }
  | { kind: 'mac'; first: string; second: string }
  | { kind: 'ip-id'; id: number };

const macPair = (r: TcpdumpPacketRecord): string | undefined =>
  (r.link?.srcMac && r.link.dstMac ? `${r.link.srcMac} > ${r.link.dstMac}` : undefined);

/** `a` came first; both have the same packetIdentity. Returns why `b` is a copy of `a`, or undefined. */
export function copyEvidence(a: TcpdumpPacketRecord, b: TcpdumpPacketRecord): CopyEvidence | undefined {
  const idA = a.ip?.id;
  const idB = b.ip?.id;
  if (idA !== undefined && idB !== undefined && idA !== idB) return undefined;
  if (a.ip?.length !== undefined && b.ip?.length !== undefined && a.ip.length !== b.ip.length) return undefined;
  const gap = secondsBetween(a, b);
  // Without a usable clock (`-ttt` deltas) only the observation points can tell. Under `-i any` two
  // interfaces' packets can be stamped slightly out of order: the window counts both ways.
  const within = (limit: number): boolean => gap === undefined || Math.abs(gap) < limit;
  if (within(COPY_WINDOW_S)) {
    if (a.iface && b.iface) {
      if (a.iface.name !== b.iface.name) return { kind: 'interface', first: a.iface.name, second: b.iface.name };
      if (a.iface.direction !== b.iface.direction) return { kind: 'direction', iface: a.iface.name, first: a.iface.direction, second: b.iface.direction };
    }
    const macA = macPair(a);
    const macB = macPair(b);
    if (macA && macB && macA !== macB) return { kind: 'mac', first: macA, second: macB };
  }
  if (gap !== undefined && idA && idA === idB && within(TIGHT_WINDOW_S)) return { kind: 'ip-id', id: idA };
  return undefined;
}

export function describeCopyEvidence(e: CopyEvidence): string {
  switch (e.kind) {
    case 'interface': return ` on ${e.first} and ${e.second} (a bridge and its port both captured with -i any)`;
    case 'direction': return ` on ${e.iface}, ${e.first} then ${e.second}`;
    case 'mac': return `, forwarded on this host (${e.first}, then ${e.second})`;
    case 'ip-id': return `, same IP id ${e.id}`;
  }
}
