import { parse } from 'yaml';

/** One host as declared in the workspace's `.hopscope/hosts.yaml` (minimal form; src/core/hosts owns the full one). */
export interface WorkspaceHost {
  alias: string;
  address: string;
  port?: number;
  user?: string;
}

export interface WorkspaceHostsParseResult {
  hosts: WorkspaceHost[];
  /** One message per entry that was skipped, saying why; the other entries still load. */
  problems: string[];
}

/**
 * Parses `.hopscope/hosts.yaml`: either `hosts: [ … ]` or a top-level list of
 * `{ alias, address, port?, user? }`. Bad entries are reported and skipped, never fatal.
 */
export function parseWorkspaceHostsYaml(text: string): WorkspaceHostsParseResult {
  const problems: string[] = [];
  let document: unknown;
  try {
    document = parse(text);
  } catch (error) {
    return { hosts: [], problems: [`not valid YAML: ${error instanceof Error ? error.message : String(error)}`] };
  }
  if (document === null || document === undefined) return { hosts: [], problems };
  const entries = Array.isArray(document) ? document : (document as { hosts?: unknown }).hosts;
  if (!Array.isArray(entries)) {
    return { hosts: [], problems: ['expected a list of hosts or a "hosts:" list'] };
  }
  const hosts: WorkspaceHost[] = [];
  entries.forEach((entry: unknown, index) => {
    if (typeof entry !== 'object' || entry === null) {
      problems.push(`entry ${index + 1}: not a mapping`);
      return;
    }
    const { alias, address, port, user } = entry as Record<string, unknown>;
    if (typeof address !== 'string' || address.trim() === '') {
      problems.push(`entry ${index + 1}: "address" is missing`);
      return;
    }
    if (port !== undefined && !(Number.isInteger(port) && (port as number) > 0 && (port as number) < 65536)) {
      problems.push(`entry ${index + 1}: "port" must be 1–65535`);
      return;
    }
    hosts.push({
      alias: typeof alias === 'string' && alias.trim() !== '' ? alias : address,
      address,
      ...(port === undefined ? {} : { port: port as number }),
      ...(typeof user === 'string' ? { user } : {}),
    });
  });
  return { hosts, problems };
}
