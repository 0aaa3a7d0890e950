/** Thrown by the host-check parsers when the text is not the command output they expect. */
export class HostCheckParseError extends Error {
  override readonly name = 'HostCheckParseError';
  constructor(readonly source: 'ip-stats' | 'ebtables', detail: string, readonly excerpt?: string) {
    super(`${source}: ${detail}${excerpt === undefined ? '' : ` (near: ${JSON.stringify(excerpt.slice(0, 80))})`}`);
  }
}
