import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Lab } from '../../lab/support/hypervisorLab';

export type LabHostAlias = 'hv1' | 'jump' | 'hv2';

/**
 * The workspace's `.hopscope/hosts.yaml` for a lab, with the lab key: by default hv1, jump, and hv2
 * behind the jump host; `aliases` picks fewer (hv2 keeps `jumpHost: jump`).
 */
export function writeLabHostsYaml(workspace: string, lab: Lab, aliases: readonly LabHostAlias[] = ['hv1', 'jump', 'hv2']): void {
  const entry = (alias: LabHostAlias): string[] => {
    const h = alias === 'jump' ? lab.jump : lab.host(alias);
    return [`  - alias: ${alias}`, `    address: ${h.sshAddress}`, `    port: ${h.sshPort}`, '    user: root', `    identityFile: ${lab.privateKeyPath}`,
      ...(alias === 'hv2' ? ['    jumpHost: jump'] : [])];
  };
  mkdirSync(join(workspace, '.hopscope'), { recursive: true });
  writeFileSync(join(workspace, '.hopscope', 'hosts.yaml'), ['hosts:', ...aliases.flatMap(entry), ''].join('\n'));
}
