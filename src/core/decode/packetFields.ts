/**
 * The flat, allocation-free result of dissecting one packet: numbers and byte offsets into the
 * record's data. The hot paths (alignment, statistics, the bench) fill one reused instance per
 * stream; richer views (layer tree, JSON, tcpdump text) are built from it and the bytes on demand.
 *
 * Convention: -1 means "absent" for offsets and numeric fields that can legitimately be 0.
 * When a tunnel (VXLAN, GENEVE, GRE) is decapsulated, the L3/L4 fields describe the innermost
 * packet and the `outer*` / `tunnel*` fields keep what identifies the underlay.
 */
export class PacketFields {
  linkType = -1;
  /**
   * Where the packet starts in the bytes the offsets below index: 0 after dissectPacket(data, ...),
   * the record's offset in the reader's buffer after dissectPacketAt(bytes, start, ...).
   */
  packetOffset = 0;
  /** Bytes available for dissection (= caplen). */
  capLength = 0;

  // ---- Link layer (innermost Ethernet if tunnelled) ----
  /** Offset of the Ethernet header, -1 when the link has none (raw IP, SLL, null). */
  ethOffset = -1;
  /** Offsets of the 6-byte destination and source MAC addresses (Ethernet or SLL/SLL2 source). */
  dstMacOffset = -1;
  srcMacOffset = -1;
  /** 802.1Q / QinQ tags seen (outermost first); -1 when absent. */
  vlanCount = 0;
  vlanId0 = -1;
  vlanId1 = -1;
  vlanPcp0 = -1;
  vlanPcp1 = -1;
  /** Final EtherType after VLAN tags (0x0800, 0x86dd, 0x0806, ...), -1 if none. */
  etherType = -1;
  /** LINUX_SLL/SLL2 packet type (0 host, 1 broadcast, 2 multicast, 3 otherhost, 4 outgoing). */
  sllPacketType = -1;
  /** LINUX_SLL2 interface index (on the capturing host). */
  sllIfIndex = -1;

  // ---- ARP ----
  arpOp = -1;
  arpSenderMacOffset = -1;
  arpSenderIpOffset = -1;
  arpTargetMacOffset = -1;
  arpTargetIpOffset = -1;

  // ---- Network layer ----
  /** 4 or 6; 0 when there is no IP layer. */
  ipVersion = 0;
  ipOffset = -1;
  ipHeaderLength = 0;
  /** IPv4 total length / IPv6 40 + payload length, as the header says. */
  ipTotalLength = 0;
  ipSrcOffset = -1;
  ipDstOffset = -1;
  ipTtl = -1;
  /** IPv4 identification, or the IPv6 fragment header identification; -1 when absent. */
  ipId = -1;
  /** DSCP (6 bits) and ECN (2 bits). */
  ipDscp = -1;
  ipEcn = -1;
  ipFlowLabel = -1;
  /** Final upper-layer protocol (after IPv6 extension headers): 1 ICMP, 6 TCP, 17 UDP, 58 ICMPv6... */
  ipProto = -1;
  /** Fragment offset in bytes; -1 when the packet is not a fragment. */
  ipFragOffset = -1;
  ipMoreFragments = false;
  ipDontFragment = false;
  ipHasOptions = false;
  ipChecksum = -1;

  // ---- Transport layer ----
  l4Offset = -1;
  srcPort = -1;
  dstPort = -1;
  tcpSeq = -1;
  tcpAck = -1;
  /** TCP flags byte (FIN 0x01, SYN 0x02, RST 0x04, PSH 0x08, ACK 0x10, URG 0x20, ECE 0x40, CWR 0x80). */
  tcpFlags = -1;
  tcpWindow = -1;
  tcpHeaderLength = 0;
  tcpOptionsOffset = -1;
  tcpOptionsLength = 0;
  tcpTsVal = -1;
  tcpTsEcr = -1;
  tcpMss = -1;
  tcpWscale = -1;
  tcpSackPermitted = false;
  udpLength = -1;
  icmpType = -1;
  icmpCode = -1;
  /** Echo / echo-reply identifier and sequence number (ICMP and ICMPv6). */
  icmpId = -1;
  icmpSeq = -1;
  /** Offset of the embedded IP header in ICMP errors (unreachable, time exceeded), -1 if none. */
  icmpInnerOffset = -1;
  /** Start and length of the L4 payload as present in the capture (length is the captured part). */
  payloadOffset = -1;
  payloadLength = 0;
  /** Payload length as the headers claim it (may exceed payloadLength when truncated). */
  payloadClaimedLength = 0;

  // ---- Tunnels (the outermost tunnel; inner fields above) ----
  /** 0 none, or TunnelKind. */
  tunnelKind = 0;
  /** VXLAN/GENEVE VNI or GRE key; -1 when absent. */
  tunnelId = -1;
  outerIpVersion = 0;
  outerIpSrcOffset = -1;
  outerIpDstOffset = -1;
  /** Offset where the inner (decapsulated) frame or packet starts. */
  innerOffset = -1;

  /** Outer UDP ports of a VXLAN/GENEVE tunnel; -1 when absent. */
  outerSrcPort = -1;
  outerDstPort = -1;

  // ---- Application summaries (port-based) ----
  /** AppKind of a recognised application payload (DNS, DHCP, ...), 0 when none. */
  appKind = 0;
  /** Offset of the application message (DNS header, BOOTP op byte), -1 when none. */
  appOffset = -1;
  dnsId = -1;
  /** DNS flags word (QR, opcode, AA, TC, RD, RA, rcode). */
  dnsFlags = -1;
  /** DHCP message type (option 53); -1 for plain BOOTP or when absent. */
  dhcpMessageType = -1;
  /** BOOTP op: 1 request, 2 reply. */
  bootpOp = -1;

  /** Name of the first layer that ran out of bytes ('tcp', 'ip', ...) like tcpdump's [|tcp]; '' when complete. */
  truncatedAt = '';
  /** Name of a layer whose header was malformed (bad length/version), '' when none. */
  malformedAt = '';

  /**
   * Resets every field so the instance can be reused for the next packet. Written out by hand:
   * Object.assign from a frozen defaults object measured ~7 µs per call, this ~10 ns.
   * Keep it in step with the fields above (test/unit/packetFieldsReset.test.ts checks).
   */
  reset(): void {
    this.linkType = -1;
    this.packetOffset = 0;
    this.capLength = 0;
    this.ethOffset = -1;
    this.dstMacOffset = -1;
    this.srcMacOffset = -1;
    this.vlanCount = 0;
    this.vlanId0 = -1;
    this.vlanId1 = -1;
    this.vlanPcp0 = -1;
    this.vlanPcp1 = -1;
    this.etherType = -1;
    this.sllPacketType = -1;
    this.sllIfIndex = -1;
    this.arpOp = -1;
    this.arpSenderMacOffset = -1;
    this.arpSenderIpOffset = -1;
    this.arpTargetMacOffset = -1;
    this.arpTargetIpOffset = -1;
    this.clearNetworkLayers();
    this.tcpSeq = -1;
    this.tcpAck = -1;
    this.tcpFlags = -1;
    this.tcpWindow = -1;
    this.tcpHeaderLength = 0;
    this.tcpOptionsOffset = -1;
    this.tcpOptionsLength = 0;
    this.tcpTsVal = -1;
    this.tcpTsEcr = -1;
    this.tcpMss = -1;
    this.tcpWscale = -1;
    this.tcpSackPermitted = false;
    this.icmpType = -1;
    this.icmpCode = -1;
    this.icmpId = -1;
    this.icmpSeq = -1;
    this.icmpInnerOffset = -1;
    this.dnsId = -1;
    this.dnsFlags = -1;
    this.dhcpMessageType = -1;
    this.bootpOp = -1;
    this.tunnelKind = 0;
    this.tunnelId = -1;
    this.outerIpVersion = 0;
    this.outerIpSrcOffset = -1;
    this.outerIpDstOffset = -1;
    this.innerOffset = -1;
    this.outerSrcPort = -1;
    this.outerDstPort = -1;
    this.truncatedAt = '';
    this.malformedAt = '';
  }

  /**
   * Clears the IP, port, payload and application-kind fields: reset() (every packet) and entering a
   * tunnel (tunnelFields.ts: the inner packet's layers start afresh) both use it. The TCP, ICMP and
   * DNS/DHCP details stay in reset(): a tunnel's outer headers (IP + UDP, or GRE) never set them, so
   * entering one need not pay for clearing them again. Written out by hand like reset().
   */
  clearNetworkLayers(): void {
    this.ipVersion = 0;
    this.ipOffset = -1;
    this.ipHeaderLength = 0;
    this.ipTotalLength = 0;
    this.ipSrcOffset = -1;
    this.ipDstOffset = -1;
    this.ipTtl = -1;
    this.ipId = -1;
    this.ipDscp = -1;
    this.ipEcn = -1;
    this.ipFlowLabel = -1;
    this.ipProto = -1;
    this.ipFragOffset = -1;
    this.ipMoreFragments = false;
    this.ipDontFragment = false;
    this.ipHasOptions = false;
    this.ipChecksum = -1;
    this.l4Offset = -1;
    this.srcPort = -1;
    this.dstPort = -1;
    this.udpLength = -1;
    this.payloadOffset = -1;
    this.payloadLength = 0;
    this.payloadClaimedLength = 0;
    this.appKind = 0;
    this.appOffset = -1;
  }
}

export const enum TunnelKind { None = 0, Vxlan = 1, Geneve = 2, Gre = 3 }
export const enum AppKind { None = 0, Dns = 1, Dhcp = 2, Vxlan = 3, Geneve = 4, Ntp = 5, Mdns = 6 }
