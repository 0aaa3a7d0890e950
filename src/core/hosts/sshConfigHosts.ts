// Hosts from ~/.ssh/config: every concrete `Host` name, computed like `ssh -G` would (without ever running
// `Match exec`), with `Include` expanded here because the ssh-config package does not do it.
import SSHConfig, { LineType } from 'ssh-config';
import { isAbsolute, join } from 'node:path';
import { parseJumpList, type HostEntry } from './hostEntry';
import { expandHome } from './workspaceHostsFile';

/** The little file access this needs, injected so tests and the extension can supply their own. */
export interface ConfigFileAccess {
  readFile(path: string): string | undefined;
  /** Entries of a directory (names only), or [] when it does not exist. */
  listDir(path: string): string[];
}

export interface SshConfigHostsResult { readonly hosts: HostEntry[]; readonly problems: string[] }

const globChars = /[*?]/;

function globToRegExp(pattern: string): RegExp {
  let re = '^';
  for (const c of pattern) re += c === '*' ? '[^/]*' : c === '?' ? '[^/]' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`${re}$`);
}

/** Expands `*` and `?` segment by segment, sorted like glob(3). */
export function expandConfigGlob(pattern: string, fs: ConfigFileAccess): string[] {
  const parts = pattern.split('/');
  let prefixes = [parts[0] === '' ? '/' : parts[0]];
  for (const part of parts.slice(1)) {
    if (part === '') continue;
    const next: string[] = [];
    for (const p of prefixes) {
      if (!globChars.test(part)) { next.push(join(p, part)); continue; }
      const re = globToRegExp(part);
      for (const name of fs.listDir(p).sort()) if (!name.startsWith('.') && re.test(name)) next.push(join(p, name));
    }
    prefixes = next;
  }
  return globChars.test(pattern) ? prefixes : prefixes.filter((p) => fs.readFile(p) !== undefined);
}

/** Inlines `Include` lines recursively (relative paths are under ~/.ssh); cycles and depth > 16 are cut. */
export function expandSshConfigIncludes(path: string, fs: ConfigFileAccess, homeDir: string, problems: string[], stack: string[] = []): string {
  if (stack.includes(path)) { problems.push(`Include cycle: ${[...stack, path].join(' -> ')} (skipped)`); return ''; }
  if (stack.length > 16) { problems.push(`Include nesting deeper than 16 at ${path} (skipped)`); return ''; }
  const text = fs.readFile(path);
  if (text === undefined) { if (stack.length > 0) problems.push(`Included file ${path} cannot be read`); return ''; }
  const out: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*include(?:\s*=\s*|\s+)(.+?)\s*$/i.exec(line);
    if (!m) { out.push(line); continue; }
    for (const word of m[1].match(/"[^"]*"|\S+/g) ?? []) {
      let p = expandHome(word.replace(/^"|"$/g, ''), homeDir);
      if (!isAbsolute(p)) p = join(homeDir, '.ssh', p);
      for (const f of expandConfigGlob(p, fs)) out.push(expandSshConfigIncludes(f, fs, homeDir, problems, [...stack, path]));
    }
  }
  return out.join('\n');
}

function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

function expandTokens(p: string, homeDir: string, host: string, user: string | undefined, localUser: string): string {
  return expandHome(p, homeDir).replace(/%([%dhru])/g, (_, t: string) => ({ '%': '%', d: homeDir, h: host, r: user ?? localUser, u: localUser })[t] ?? '');
}

export function loadSshConfigHosts(configPath: string, fs: ConfigFileAccess, homeDir: string, localUser: string): SshConfigHostsResult {
  const problems: string[] = [];
  const text = expandSshConfigIncludes(configPath, fs, homeDir, problems);
  let config: SSHConfig;
  try { config = SSHConfig.parse(text); } catch (e) {
    return { hosts: [], problems: [...problems, `${configPath}: ${(e as Error).message}`] };
  }
  const names: string[] = [];
  const visit = (lines: SSHConfig): void => {
    for (const line of lines) {
      if (line.type !== LineType.DIRECTIVE || line.param.toLowerCase() !== 'host') continue;
      const vals = typeof line.value === 'string' ? line.value.split(/\s+/) : line.value.map((v) => v.val);
      for (const v of vals) if (v && !globChars.test(v) && !v.startsWith('!') && !names.includes(v)) names.push(v);
    }
  };
  visit(config);
  const hosts: HostEntry[] = names.map((alias) => {
    const c = config.compute(alias, { matchExec: false, ignoreCase: true });
    const get = (k: string): string | string[] | undefined => c[k];
    const user = first(get('user'));
    const portText = first(get('port'));
    const port = portText && /^\d+$/.test(portText) ? Number(portText) : undefined;
    const address = first(get('hostname'))?.replace(/%h/g, alias) ?? alias;
    const ids = get('identityfile');
    const identityFiles = (Array.isArray(ids) ? ids : ids ? [ids] : []).map((p) => expandTokens(p, homeDir, address, user, localUser));
    return {
      alias, address, port, user, identityFiles, jump: parseJumpList(first(get('proxyjump'))), sudo: 'auto',
      groups: [], tags: [], source: { kind: 'ssh-config', file: configPath },
    };
  });
  return { hosts, problems };
}
