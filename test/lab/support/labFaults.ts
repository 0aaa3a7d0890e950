/**
 * Fault injection inside lab namespaces with nft (no netem in this kernel): drop matching frames on
 * an interface, cut an SSH port both ways silently (drop, no RST), take a link down.
 */
import { execIn, run } from './labProcess';

export type DropDirection = 'in' | 'out' | 'both';

export interface InstalledDrop {
  /** nft table (family netdev) holding the rule, inside `namespace`. */
  table: string;
  namespace: string;
  /** Frames dropped so far (nft counters, both directions). */
  dropped(): Promise<number>;
  /** Removes the rule; idempotent. */
  remove(): Promise<void>;
}

let tableSeq = 0;

/** One nft rule expression (e.g. `ip protocol icmp`), never a script: no newlines, `;`, braces or `#`. */
export function checkNftMatch(match: string): string {
  if (/[\n\r;{}#]/.test(match) || match.length > 500) throw new Error(`lab: nft match must be one expression: ${JSON.stringify(match)}`);
  return match;
}

function checkIface(iface: string): string {
  if (!/^[A-Za-z0-9_.:@-]{1,15}$/.test(iface)) throw new Error(`lab: bad interface name ${JSON.stringify(iface)}`);
  return iface;
}

async function nft(namespace: string, script: string): Promise<void> {
  await run(['ip', 'netns', 'exec', namespace, 'nft', '-f', '-'], script);
}

async function counterSum(namespace: string, family: string, table: string): Promise<number> {
  const r = await execIn(namespace, ['nft', '-j', 'list', 'table', family, table]);
  if (r.code !== 0) return 0;
  const doc = JSON.parse(r.stdout) as { nftables: { rule?: { expr: { counter?: { packets: number } }[] } }[] };
  let sum = 0;
  for (const item of doc.nftables) for (const e of item.rule?.expr ?? []) sum += e.counter?.packets ?? 0;
  return sum;
}

/**
 * Drops frames matching `nftMatch` on `iface` (netdev family). 'in' drops after AF_PACKET taps (tcpdump
 * on iface still sees the frame, as on a real host dropping it); 'out' drops before them (never seen).
 */
export async function installDrop(namespace: string, iface: string, direction: DropDirection, nftMatch: string): Promise<InstalledDrop> {
  checkIface(iface);
  checkNftMatch(nftMatch);
  const table = `hsl_drop_${process.pid}_${++tableSeq}`;
  const hooks = direction === 'both' ? ['ingress', 'egress'] : [direction === 'in' ? 'ingress' : 'egress'];
  const chains = hooks.map((h) =>
    `  chain ${h} { type filter hook ${h} device "${iface}" priority -500; policy accept; ${nftMatch} counter drop; }`);
  await nft(namespace, `table netdev ${table} {\n${chains.join('\n')}\n}\n`);
  let removed = false;
  return {
    table, namespace,
    dropped: () => counterSum(namespace, 'netdev', table),
    remove: async () => {
      if (removed) return;
      removed = true;
      await execIn(namespace, ['nft', 'delete', 'table', 'netdev', table]);
    },
  };
}

export interface SshCut {
  namespace: string;
  /** Packets dropped so far. */
  dropped(): Promise<number>;
  restore(): Promise<void>;
}

/** Silently drops TCP to and from `port` in the namespace (no FIN, no RST): a dead link for SSH. */
export async function cutTcpPort(namespace: string, port: number): Promise<SshCut> {
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`lab: bad port ${port}`);
  const table = `hsl_cut_${process.pid}_${++tableSeq}`;
  await nft(namespace, [
    `table inet ${table} {`,
    `  chain input { type filter hook input priority -500; policy accept; tcp dport ${port} counter drop; }`,
    `  chain output { type filter hook output priority -500; policy accept; tcp sport ${port} counter drop; }`,
    '}', ''].join('\n'));
  let restored = false;
  return {
    namespace,
    dropped: () => counterSum(namespace, 'inet', table),
    restore: async () => {
      if (restored) return;
      restored = true;
      await execIn(namespace, ['nft', 'delete', 'table', 'inet', table]);
    },
  };
}

export async function setLinkState(namespace: string, iface: string, state: 'up' | 'down'): Promise<void> {
  await run(['ip', '-n', namespace, 'link', 'set', 'dev', checkIface(iface), state]);
}
