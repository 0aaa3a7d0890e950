/** Runs the real tcpdump (TZ=UTC) on a file and returns its text lines, and this host's ifindex → name map. */
import { spawnSync } from 'node:child_process';

export function tcpdumpLines(flags: string[], file: string): string[] {
  const r = spawnSync('tcpdump', [...flags, '-r', file], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
  if (r.status !== 0) throw new Error(`tcpdump ${flags.join(' ')} -r ${file}: ${r.stderr}`);
  return r.stdout.split('\n').slice(0, -1);
}

/** tcpdump names SLL2 interfaces with the reading host's if_indextoname: the formatter needs the same map. */
export function localInterfaceNames(): Map<number, string> {
  const r = spawnSync('ip', ['-j', 'link'], { encoding: 'utf8' });
  const links = JSON.parse(r.stdout) as { ifindex: number; ifname: string }[];
  return new Map(links.map((l) => [l.ifindex, l.ifname]));
}
