/** Typed reads of untrusted JSON values: a wrong type reads as undefined instead of leaking `unknown`. */
import type { DiscoverySource } from './hostInventory';
import { DiscoveryParseError } from './discoveryParseError';

export type JsonObject = Record<string, unknown>;

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function readString(o: JsonObject, key: string): string | undefined {
  const v = o[key];
  return typeof v === 'string' ? v : undefined;
}

export function readNumber(o: JsonObject, key: string): number | undefined {
  const v = o[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

export function readStringArray(o: JsonObject, key: string): string[] {
  const v = o[key];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

export function readObject(o: JsonObject, key: string): JsonObject | undefined {
  const v = o[key];
  return isObject(v) ? v : undefined;
}

/** JSON.parse of a command's (trimmed, non-empty) output; text that is not JSON is a DiscoveryParseError. */
export function parseJsonOutput(source: DiscoverySource, trimmed: string): unknown {
  try {
    return JSON.parse(trimmed);
  } catch (e) {
    throw new DiscoveryParseError(source, `not JSON: ${(e as Error).message}`, trimmed);
  }
}

/**
 * Parses the JSON array that `ip -j` / `bridge -j` print. Empty output (no links, or a filter that
 * matched nothing) is an empty list; anything else that is not an array of objects is an error.
 */
export function parseJsonArray(source: DiscoverySource, text: string): JsonObject[] {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  const value = parseJsonOutput(source, trimmed);
  if (!Array.isArray(value)) throw new DiscoveryParseError(source, 'expected a JSON array', trimmed);
  return value.map((item, i) => {
    if (!isObject(item)) throw new DiscoveryParseError(source, `entry ${i} is not an object`, JSON.stringify(item));
    return item;
  });
}
