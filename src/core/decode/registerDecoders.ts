/** Fills the decoder table once: every protocol file is listed here and nowhere else. */
import { registerEtherType, registerIpProtocol, registerLinkType, registerUdpPort } from './decoderTable';
import { ethernetDecoder, vlanDecoder } from './ethernet';
import { linuxSll2Decoder, linuxSllDecoder } from './linuxSll';
import { nullLoopbackDecoder, rawIpDecoder } from './nullLoopback';
import { arpDecoder } from './arp';
import { ipv4Decoder } from './ipv4';
import { ipv6Decoder } from './ipv6';
import { icmpDecoder } from './icmp';
import { icmpv6Decoder } from './icmpv6';
import { tcpDecoder } from './tcp';
import { udpDecoder } from './udp';
import { dnsDecoder } from './dns';
import { dhcpDecoder } from './dhcp';
import { vxlanDecoder } from './vxlan';
import { geneveDecoder } from './geneve';
import { greDecoder } from './gre';
import * as L from './linkTypes';

let registered = false;

export function registerDecoders(): void {
  if (registered) return;
  registered = true;
  registerLinkType(L.LINKTYPE_ETHERNET, ethernetDecoder);
  registerLinkType(L.LINKTYPE_LINUX_SLL, linuxSllDecoder);
  registerLinkType(L.LINKTYPE_LINUX_SLL2, linuxSll2Decoder);
  registerLinkType(L.LINKTYPE_NULL, nullLoopbackDecoder);
  registerLinkType(L.LINKTYPE_LOOP, nullLoopbackDecoder);
  registerLinkType(L.LINKTYPE_RAW, rawIpDecoder);
  registerLinkType(L.LINKTYPE_IPV4, rawIpDecoder);
  registerLinkType(L.LINKTYPE_IPV6, rawIpDecoder);
  registerEtherType(L.ETHERTYPE_IPV4, ipv4Decoder);
  registerEtherType(L.ETHERTYPE_IPV6, ipv6Decoder);
  registerEtherType(L.ETHERTYPE_ARP, arpDecoder);
  registerEtherType(L.ETHERTYPE_VLAN, vlanDecoder);
  registerEtherType(L.ETHERTYPE_QINQ, vlanDecoder);
  registerEtherType(L.ETHERTYPE_QINQ_OLD, vlanDecoder);
  registerEtherType(L.ETHERTYPE_TEB, ethernetDecoder);
  registerIpProtocol(1, icmpDecoder);
  registerIpProtocol(6, tcpDecoder);
  registerIpProtocol(17, udpDecoder);
  registerIpProtocol(47, greDecoder);
  registerIpProtocol(58, icmpv6Decoder);
  registerUdpPort(53, dnsDecoder);
  registerUdpPort(67, dhcpDecoder);
  registerUdpPort(68, dhcpDecoder);
  registerUdpPort(4789, vxlanDecoder);
  registerUdpPort(6081, geneveDecoder);
}
