/**
 * The frame an nwfilter verdict needs, from a captured packet (a Compare verdict's proof packet): MACs,
 * EtherType, IPv4 addresses and protocol, ARP fields. Only Ethernet captures carry the MACs libvirt's
 * rules match on; other link types are refused with the reason.
 */
import { readCaptureFileSync } from '../pcap/captureFileSync';
import { dissectPacket } from '../decode/dissectPacket';
import { PacketFields } from '../decode/packetFields';
import { ipv4Text, macText } from '../decode/addressText';
import type { NwfilterFrame } from './nwfilterVerdict';

const LINKTYPE_ETHERNET = 1;

export function nwfilterFrameFromPacket(data: Uint8Array, caplen: number, linkType: number, direction: 'in' | 'out'): NwfilterFrame {
  if (linkType !== LINKTYPE_ETHERNET) throw new Error(`the packet is not an Ethernet frame (link type ${linkType}): nwfilter rules match on MAC addresses`);
  const f = dissectPacket(data, caplen, linkType, new PacketFields());
  if (f.srcMacOffset < 0 || f.etherType < 0) throw new Error('the packet is too short for an Ethernet header');
  const frame: NwfilterFrame = { direction, srcMac: macText(data, f.srcMacOffset), etherType: f.etherType };
  if (f.dstMacOffset >= 0) frame.dstMac = macText(data, f.dstMacOffset);
  if (f.ipVersion === 4 && f.ipSrcOffset >= 0 && f.ipDstOffset >= 0) {
    frame.srcIp = ipv4Text(data, f.ipSrcOffset);
    frame.dstIp = ipv4Text(data, f.ipDstOffset);
    if (f.ipProto >= 0) frame.ipProtocol = f.ipProto;
  }
  if (f.arpOp >= 0) {
    frame.arpOpcode = f.arpOp;
    if (f.arpSenderMacOffset >= 0) frame.arpSenderMac = macText(data, f.arpSenderMacOffset);
    if (f.arpSenderIpOffset >= 0) frame.arpSenderIp = ipv4Text(data, f.arpSenderIpOffset);
    if (f.arpTargetIpOffset >= 0) frame.arpTargetIp = ipv4Text(data, f.arpTargetIpOffset);
  }
  return frame;
}

/** The frame of packet number `packetNumber` (1-based, as tcpdump -# and Wireshark count) in a capture file. */
export function nwfilterFrameFromCaptureFile(path: string, packetNumber: number, direction: 'in' | 'out'): NwfilterFrame {
  if (!Number.isInteger(packetNumber) || packetNumber < 1) throw new Error(`bad packet number ${packetNumber}`);
  let frame: NwfilterFrame | undefined;
  let error: unknown;
  try {
    readCaptureFileSync(path, {
      onRecord: (rec) => {
        if (frame || error || rec.index !== packetNumber - 1) return;
        try { frame = nwfilterFrameFromPacket(rec.data, rec.caplen, rec.linkType, direction); } catch (e) { error = e; }
      },
    });
  } catch (e) {
    if (!frame) throw e;
  }
  if (error) throw error instanceof Error ? error : new Error(String(error));
  if (!frame) throw new Error(`${path} has no packet ${packetNumber}`);
  return frame;
}
