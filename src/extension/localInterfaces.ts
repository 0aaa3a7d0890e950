import { execFile } from 'node:child_process';

/** A network interface of the machine the extension host runs on, from `ip -j link`. */
export interface LocalInterface {
  name: string;
  /** `ip -d` link kind (bridge, veth, tun, …) or "device" for a plain NIC, "loopback" for lo. */
  kind: string;
  /** Operational state as the kernel reports it (UP, DOWN, UNKNOWN, …). */
  state: string;
}

interface IpLinkEntry {
  ifname?: unknown;
  operstate?: unknown;
  link_type?: unknown;
  linkinfo?: { info_kind?: unknown };
}

/** Parses the JSON of `ip -d -j link show`. */
export function parseIpLinkJson(json: string): LocalInterface[] {
  const entries = JSON.parse(json) as unknown;
  if (!Array.isArray(entries)) throw new Error('ip -j link: expected a JSON array');
  return (entries as IpLinkEntry[])
    .filter((e) => typeof e.ifname === 'string')
    .map((e) => ({
      name: e.ifname as string,
      kind: typeof e.linkinfo?.info_kind === 'string'
        ? e.linkinfo.info_kind
        : e.link_type === 'loopback' ? 'loopback' : 'device',
      state: typeof e.operstate === 'string' ? e.operstate : 'UNKNOWN',
    }));
}

/** Lists this machine's interfaces (no shell: `ip` is started with an argument vector). */
export function listLocalInterfaces(): Promise<LocalInterface[]> {
  return new Promise((resolve, reject) => {
    execFile('ip', ['-d', '-j', 'link', 'show'], { timeout: 10_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout) => {
      if (error) {
        reject(new Error(`ip -j link failed: ${error.message}`));
        return;
      }
      try {
        resolve(parseIpLinkJson(stdout));
      } catch (parseError) {
        reject(parseError instanceof Error ? parseError : new Error(String(parseError)));
      }
    });
  });
}
