import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Lab } from '../../lab/support/hypervisorLab';

/** The workspace's `.hopscope/hosts.yaml` for a lab: hv1, jump, and hv2 behind the jump host, with the lab key. */
export function writeLabHostsYaml(workspace: string, lab: Lab): void {
  const entry = (alias: string, extra: string[] = []): string[] => {
    const h = alias === 'jump' ? lab.jump : lab.host(alias);
    return [`  - alias: ${alias}`, `    address: ${h.sshAddress}`, `    port: ${h.sshPort}`, '    user: root', `    identityFile: ${lab.privateKeyPath}`, ...extra];
  };
  mkdirSync(join(workspace, '.hopscope'), { recursive: true });
  writeFileSync(join(workspace, '.hopscope', 'hosts.yaml'), ['hosts:', ...entry('hv1'), ...entry('jump'), ...entry('hv2', ['    jumpHost: jump']), ''].join('\n'));
}
