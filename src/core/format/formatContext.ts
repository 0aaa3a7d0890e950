/** What the per-protocol text functions share while printing one packet. */
import type { DecodedLayer } from '../decode/decodedLayer';
import type { TcpSequenceTracker } from './tcpSequenceTracker';

export interface FormatContext {
  /** tcpdump `-e`: link-level headers (and no `IP `/`ARP, ` prefixes, as tcpdump does). */
  eflag: boolean;
  data: Uint8Array;
  layers: DecodedLayer[];
  tcp: TcpSequenceTracker;
  /** Prints layer `i` and what follows (an Ethernet frame, or an IP/ARP packet) of `wireLength` bytes on the wire. */
  dispatch(i: number, wireLength: number): string;
}
