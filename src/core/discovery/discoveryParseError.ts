import type { DiscoverySource } from './hostInventory';

/** Thrown by a discovery parser when its input is not the output it expects. */
export class DiscoveryParseError extends Error {
  override readonly name = 'DiscoveryParseError';
  constructor(readonly source: DiscoverySource, detail: string, readonly excerpt?: string) {
    super(`${source}: ${detail}${excerpt === undefined ? '' : ` (near: ${JSON.stringify(excerpt.slice(0, 80))})`}`);
  }
}
