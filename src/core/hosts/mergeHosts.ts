// The host list the user sees: this machine first, then workspace entries, then ssh config entries
// whose alias the workspace file does not define (the workspace file wins).
import { localHostAlias, localHostEntry, type HostEntry } from './hostEntry';

export function mergeHostSources(workspace: readonly HostEntry[], sshConfig: readonly HostEntry[]): HostEntry[] {
  const out: HostEntry[] = [localHostEntry];
  const taken = new Set([localHostAlias]);
  for (const h of [...workspace, ...sshConfig]) {
    if (taken.has(h.alias)) continue;
    taken.add(h.alias);
    out.push(h);
  }
  return out;
}
