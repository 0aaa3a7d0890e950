// Parses `.hopscope/hosts.yaml` (schema: schemas/hosts.schema.json) with errors that carry line numbers.
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode, type YAMLMap } from 'yaml';
import { parseJumpList, parseJumpSpec, type HostEntry, type HostSudoMode } from './hostEntry';

export interface HostsFileProblem { readonly line: number; readonly message: string }
export interface HostsFileResult { readonly hosts: HostEntry[]; readonly problems: HostsFileProblem[] }

const knownKeys = new Set(['alias', 'address', 'port', 'user', 'identityFile', 'jumpHost', 'sudo', 'libvirtUri', 'groups', 'tags']);
const aliasPattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function parseWorkspaceHostsFile(text: string, file: string, homeDir: string): HostsFileResult {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: true });
  const problems: HostsFileProblem[] = [];
  const lineOf = (n: YamlNode | null | undefined): number => (n?.range ? lc.linePos(n.range[0]).line : 1);
  for (const e of doc.errors) problems.push({ line: e.linePos?.[0].line ?? 1, message: e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '') });
  if (doc.errors.length > 0) return { hosts: [], problems };

  const root = doc.contents;
  let list: YamlNode | null | undefined = root;
  if (isMap(root)) {
    for (const item of root.items) {
      const k = isScalar(item.key) ? String(item.key.value) : '';
      if (k !== 'hosts') problems.push({ line: lineOf(item.key as YamlNode), message: `unknown top-level key "${k}" (expected "hosts")` });
    }
    list = root.get('hosts', true) as YamlNode | undefined;
  }
  if (root === null || list === undefined || list === null) return { hosts: [], problems };
  if (!isSeq(list)) { problems.push({ line: lineOf(list), message: '"hosts" must be a list of host entries' }); return { hosts: [], problems }; }

  const hosts: HostEntry[] = [];
  const seen = new Map<string, number>();
  for (const item of list.items) {
    const line = lineOf(item as YamlNode);
    if (!isMap(item)) { problems.push({ line, message: 'each host must be a mapping (alias: ..., address: ...)' }); continue; }
    const entry = parseHost(item, line, file, homeDir, lineOf, problems);
    if (!entry) continue;
    const prev = seen.get(entry.alias);
    if (prev !== undefined) { problems.push({ line, message: `duplicate alias "${entry.alias}" (first on line ${prev})` }); continue; }
    seen.set(entry.alias, line);
    hosts.push(entry);
  }
  for (const h of hosts) {
    for (const j of h.jump) {
      if (!seen.has(j) && !parseJumpSpec(j)) problems.push({ line: seen.get(h.alias) ?? 1, message: `host "${h.alias}": jumpHost "${j}" is neither an alias nor user@host:port` });
    }
  }
  problems.sort((a, b) => a.line - b.line);
  return { hosts, problems };
}

function parseHost(map: YAMLMap, line: number, file: string, homeDir: string, lineOf: (n: YamlNode | null | undefined) => number, problems: HostsFileProblem[]): HostEntry | undefined {
  const before = problems.length;
  const fail = (n: YamlNode | null | undefined, message: string): void => { problems.push({ line: n ? lineOf(n) : line, message }); };
  const values = new Map<string, { node: YamlNode | null; value: unknown }>();
  for (const pair of map.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    if (!knownKeys.has(key)) { fail(pair.key as YamlNode, `unknown key "${key}" (allowed: ${[...knownKeys].join(', ')})`); continue; }
    const node = pair.value as YamlNode | null;
    values.set(key, { node, value: isScalar(node) ? node.value : node ? (node as YamlNode).toJSON() : null });
  }
  const str = (k: string, required = false): string | undefined => {
    const v = values.get(k);
    if (!v) { if (required) fail(undefined, `host entry is missing "${k}"`); return undefined; }
    if (typeof v.value !== 'string' || v.value.trim() === '') { fail(v.node, `"${k}" must be a non-empty string`); return undefined; }
    return v.value.trim();
  };
  const list = (k: string): string[] => {
    const v = values.get(k);
    if (!v) return [];
    if (typeof v.value === 'string') return [v.value];
    if (Array.isArray(v.value) && v.value.every((x) => typeof x === 'string')) return v.value as string[];
    fail(v.node, `"${k}" must be a string or a list of strings`);
    return [];
  };
  const alias = str('alias', true);
  if (alias !== undefined && !aliasPattern.test(alias)) fail(values.get('alias')?.node, `alias "${alias}" may contain only letters, digits, ".", "_" and "-"`);
  const address = str('address', true);
  if (address !== undefined && !/^[A-Za-z0-9._:%-]+$/.test(address)) fail(values.get('address')?.node, `address "${address}" is not a host name or IP address`);
  let port: number | undefined;
  const pv = values.get('port');
  if (pv) {
    if (typeof pv.value === 'number' && Number.isInteger(pv.value) && pv.value >= 1 && pv.value <= 65535) port = pv.value;
    else fail(pv.node, '"port" must be an integer from 1 to 65535');
  }
  const user = str('user');
  let sudo: HostSudoMode = 'auto';
  const sv = str('sudo');
  if (sv !== undefined) {
    if (sv === 'auto' || sv === 'always' || sv === 'never') sudo = sv;
    else fail(values.get('sudo')?.node, '"sudo" must be auto, always or never');
  }
  const jumpRaw = str('jumpHost');
  const identityFiles = list('identityFile').map((p) => expandHome(p, homeDir));
  const groups = list('groups');
  const tags = list('tags');
  const libvirtUri = str('libvirtUri');
  if (problems.length > before || alias === undefined || address === undefined) return undefined;
  return { alias, address, port, user, identityFiles, jump: parseJumpList(jumpRaw), sudo, libvirtUri, groups, tags, source: { kind: 'workspace', file, line } };
}

export function expandHome(p: string, homeDir: string): string {
  return p === '~' ? homeDir : p.startsWith('~/') ? `${homeDir}${p.slice(1)}` : p;
}
