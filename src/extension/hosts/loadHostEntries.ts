// The host list of the Hosts view: each workspace folder's `.hopscope/hosts.yaml`, the user's
// ~/.ssh/config (concrete Host names only) and "This machine", merged by src/core/hosts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HostEntry } from '../../core/hosts/hostEntry';
import { mergeHostSources } from '../../core/hosts/mergeHosts';
import { nodeConfigFileAccess } from '../../core/hosts/nodeConfigFileAccess';
import { loadSshConfigHosts } from '../../core/hosts/sshConfigHosts';
import { parseWorkspaceHostsFile } from '../../core/hosts/workspaceHostsFile';

export const HOSTS_FILE = '.hopscope/hosts.yaml';

export interface HostEntriesResult {
  readonly hosts: HostEntry[];
  /** One line per problem, naming the file (and line for hosts.yaml). */
  readonly problems: string[];
}

export interface HostSourcePaths {
  readonly workspaceFolders: readonly string[];
  readonly sshConfigPath: string | undefined;
  readonly homeDir: string;
  readonly localUser: string;
}

export function loadHostEntries(p: HostSourcePaths): HostEntriesResult {
  const problems: string[] = [];
  const workspace: HostEntry[] = [];
  for (const folder of p.workspaceFolders) {
    const file = join(folder, HOSTS_FILE);
    let text: string;
    try { text = readFileSync(file, 'utf8'); } catch { continue; }
    const r = parseWorkspaceHostsFile(text, file, p.homeDir);
    workspace.push(...r.hosts);
    problems.push(...r.problems.map((x) => `${file}:${x.line}: ${x.message}`));
  }
  let sshConfig: HostEntry[] = [];
  if (p.sshConfigPath) {
    const r = loadSshConfigHosts(p.sshConfigPath, nodeConfigFileAccess, p.homeDir, p.localUser);
    sshConfig = r.hosts;
    problems.push(...r.problems);
  }
  return { hosts: mergeHostSources(workspace, sshConfig), problems };
}
