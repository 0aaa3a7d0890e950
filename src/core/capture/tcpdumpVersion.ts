/**
 * The remote tcpdump's version, from `tcpdump --version` (4.x) or `tcpdump -h` (3.x prints its version
 * in the usage text and has no --version), and what kind of ring buffer it can keep: `-G` (time
 * rotation with strftime names) arrived in 4.0; older ones only rotate by size (`-C` with `-W`).
 */
import { quoteShellArg } from './shellQuote';

export interface TcpdumpVersion {
  major: number;
  minor: number;
  patch: number;
  text: string;
  libpcap?: string;
}

export type RingRotation = 'time' | 'size';

const SCRIPT = [
  't=$(PATH="$PATH:/usr/sbin:/sbin:/usr/local/sbin" command -v tcpdump) || { echo "ring-error tcpdump-missing" >&2; exit 127; }',
  '{ "$t" --version 2>&1 || "$t" -h 2>&1; } | head -n 5',
].join('\n');

export function buildTcpdumpVersionCommand(): string {
  return `exec /bin/sh -c ${quoteShellArg(SCRIPT)} ring-version`;
}

export function parseTcpdumpVersion(output: string): TcpdumpVersion | undefined {
  const m = /tcpdump version (\d+)\.(\d+)(?:\.(\d+))?\S*/.exec(output);
  if (!m) return undefined;
  const lib = /libpcap version (\S+)/.exec(output);
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3] ?? 0), text: m[0].replace(/^tcpdump version /, ''), libpcap: lib?.[1] };
}

/** 'time' when tcpdump has -G (4.0+), else 'size' (-C/-W only). */
export function ringRotationFor(v: TcpdumpVersion): RingRotation {
  return v.major >= 4 ? 'time' : 'size';
}
