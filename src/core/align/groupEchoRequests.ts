/**
 * Echo requests sent to a group (ping ff02::1, 224.0.0.1, a broadcast): every member answers from its
 * own address, so each reply travels on a flow (requester ↔ member) that never carries the request and
 * cannot pair with it by flow. Such a reply is matched to the group request by what both carry: the
 * requester's address (the request's source, the reply's destination), echo id and seq. Only group
 * requests are noted (rare), and a reply is only looked up when its flow was seen one way.
 */
import type { CaptureColumns } from './captureColumns';
import { isGroupDestination } from './groupDestination';
import { PacketKind } from './packetIdentity';

export class GroupEchoRequests {
  private readonly keys = new Set<string>();

  /** Notes the record when it is an echo request sent to a group. */
  note(cap: CaptureColumns, rec: number): void {
    if (cap.kind(rec) !== PacketKind.EchoRequest || !isGroupDestination(cap, rec)) return;
    const key = exchangeKey(cap, rec, 0);
    if (key !== undefined) this.keys.add(key);
  }

  /** Whether the record is an echo reply to a noted group request. */
  answers(cap: CaptureColumns, rec: number): boolean {
    if (this.keys.size === 0 || cap.kind(rec) !== PacketKind.EchoReply) return false;
    const key = exchangeKey(cap, rec, 1);
    return key !== undefined && this.keys.has(key);
  }
}

/** Requester address (`side` 0: the record's source, 1: its destination), echo id and seq. */
function exchangeKey(cap: CaptureColumns, rec: number, side: 0 | 1): string | undefined {
  const v6 = cap.ipv6Addresses(rec);
  // Both IPv4 columns 0 and no IPv6 pair noted: an IPv6 record whose addresses are unknown.
  if (v6 === undefined && cap.src4[rec] === 0 && cap.dst4[rec] === 0) return undefined;
  const requester = v6 !== undefined ? v6[side] : String(side === 0 ? cap.src4[rec] : cap.dst4[rec]);
  return `${requester} ${cap.port1[rec]} ${cap.port2[rec]}`;
}
