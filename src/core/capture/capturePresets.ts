/**
 * Capture filter presets taken from what engineers type in the field reports (seeds): host of a VM,
 * one direction, ICMP echo only, DHCP, DNS, a TCP port, excluding a noisy host.
 */
export interface CapturePresetContext {
  /** Address of the VM or host of interest, when known (e.g. from the vNIC's lease). */
  address?: string;
  port?: number;
  excludeAddress?: string;
}

export interface CapturePreset {
  id: string;
  label: string;
  detail: string;
  /** Returns the BPF text, or undefined when the context lacks what the preset needs. */
  build(ctx: CapturePresetContext): string | undefined;
}

const IP_LIKE = /^[0-9A-Fa-f.:]{2,45}$/;
const ip = (a: string | undefined): string | undefined => (a && IP_LIKE.test(a) ? a : undefined);

export const CAPTURE_PRESETS: readonly CapturePreset[] = [
  { id: 'all', label: 'Everything', detail: 'no filter', build: () => '' },
  { id: 'host', label: 'Host', detail: 'host <address>', build: (c) => (ip(c.address) ? `host ${c.address}` : undefined) },
  { id: 'src', label: 'From host', detail: 'src host <address>', build: (c) => (ip(c.address) ? `src host ${c.address}` : undefined) },
  { id: 'dst', label: 'To host', detail: 'dst host <address>', build: (c) => (ip(c.address) ? `dst host ${c.address}` : undefined) },
  {
    id: 'icmp-echo', label: 'ICMP echo (ping)', detail: 'icmp[icmptype] == icmp-echo or icmp[icmptype] == icmp-echoreply',
    build: (c) => {
      const echo = '(icmp[icmptype] == icmp-echo or icmp[icmptype] == icmp-echoreply)';
      return ip(c.address) ? `host ${c.address} and ${echo}` : echo.slice(1, -1);
    },
  },
  { id: 'arp', label: 'ARP', detail: 'arp', build: (c) => (ip(c.address) ? `arp and host ${c.address}` : 'arp') },
  { id: 'dhcp', label: 'DHCP', detail: 'port 67 or port 68', build: () => 'udp and (port 67 or port 68)' },
  { id: 'dns', label: 'DNS', detail: 'udp port 53', build: (c) => (ip(c.address) ? `udp port 53 and host ${c.address}` : 'udp port 53') },
  {
    id: 'tcp-port', label: 'TCP port', detail: 'tcp port <port>',
    build: (c) => (c.port !== undefined && Number.isInteger(c.port) && c.port > 0 && c.port < 65536 ? `tcp port ${c.port}` : undefined),
  },
  {
    id: 'not-host', label: 'Exclude a host', detail: '… and not host <address>',
    build: (c) => {
      const ex = ip(c.excludeAddress);
      if (!ex) return undefined;
      return ip(c.address) ? `host ${c.address} and not host ${ex}` : `not host ${ex}`;
    },
  },
];
