/** Runs the real tcpdump (TZ=UTC) on a file and returns its text lines, and this host's ifindex → name map. */
import { spawnSync } from 'node:child_process';
import { TcpdumpFormatter, type TcpdumpFormatOptions } from '../../src/core/format/tcpdumpFormatter';
import { readCaptureFile } from '../../src/core/pcap/captureStreamReader';

export function tcpdumpLines(flags: string[], file: string): string[] {
  const r = spawnSync('tcpdump', [...flags, '-r', file], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
  if (r.status !== 0) throw new Error(`tcpdump ${flags.join(' ')} -r ${file}: ${r.stderr}`);
  return r.stdout.split('\n').slice(0, -1);
}

/** tcpdump names SLL2 interfaces with the reading host's if_indextoname: the formatter needs the same map. */
export function localInterfaceNames(): Map<number, string> {
  const r = spawnSync('ip', ['-j', 'link'], { encoding: 'utf8' });
  const links = JSON.parse(r.stdout) as { ifindex: number; ifname: string }[];
  const names = new Map(links.map((l) => [l.ifindex, l.ifname]));
  // tcpdump prints '?' for an index this host does not have
  for (let i = 0; i < 1024; i++) if (!names.has(i)) names.set(i, '?');
  return names;
}

/** Our text for a file, split into lines the way tcpdump's output splits (tunnels print two lines). */
export async function formatterLines(file: string, options: TcpdumpFormatOptions): Promise<string[]> {
  const f = new TcpdumpFormatter(options);
  const lines: string[] = [];
  await readCaptureFile(file, { onRecord: (r) => { lines.push(f.format(r)); } });
  return lines.join('\n').split('\n');
}

/** The three modes compared: tcpdump flags and the matching formatter options. */
export const TCPDUMP_MODES: { flags: string[]; options: TcpdumpFormatOptions }[] = [
  { flags: ['-nn'], options: {} },
  { flags: ['-nn', '-tttt'], options: { time: 'date' } },
  { flags: ['-nn', '-e'], options: { linkHeaders: true } },
];
