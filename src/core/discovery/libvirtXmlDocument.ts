/**
 * Validates and parses libvirt XML with fast-xml-parser. Attributes keep their names under `@_`;
 * namespace prefixes are kept (OpenStack's `<nova:…>` metadata stays apart from libvirt's own
 * elements); values stay strings (a MAC like `52:54:00:…` or a UUID must never become a number).
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { DiscoverySource } from './hostInventory';
import { DiscoveryParseError } from './discoveryParseError';
import { isObject, type JsonObject } from './jsonFieldReaders';

export function parseLibvirtXml(
  source: DiscoverySource, text: string, rootName: string, repeated: ReadonlySet<string>, preserveOrder = false,
): unknown {
  const trimmed = text.trim();
  if (trimmed === '') throw new DiscoveryParseError(source, 'empty output, expected XML');
  const valid = XMLValidator.validate(trimmed);
  if (valid !== true) {
    throw new DiscoveryParseError(source, `invalid XML at line ${valid.err.line}: ${valid.err.msg}`, trimmed);
  }
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    parseAttributeValue: false,
    parseTagValue: false,
    ignoreDeclaration: true,
    ignorePiTags: true,
    preserveOrder,
    isArray: (tagName) => repeated.has(tagName),
  });
  const doc: unknown = parser.parse(trimmed);
  const hasRoot = preserveOrder
    ? Array.isArray(doc) && doc.some((n) => isObject(n) && rootName in n)
    : isObject(doc) && isObject(doc[rootName]);
  if (!hasRoot) throw new DiscoveryParseError(source, `no <${rootName}> root element`, trimmed);
  return doc;
}

export function attr(o: JsonObject | undefined, name: string): string | undefined {
  if (o === undefined) return undefined;
  const v = o[`@_${name}`];
  return typeof v === 'string' ? v : undefined;
}

/** The first element child named `name` (elements may be arrays when declared repeated). */
export function child(o: JsonObject | undefined, name: string): JsonObject | undefined {
  if (o === undefined) return undefined;
  const v = o[name];
  if (Array.isArray(v)) return v.find(isObject);
  return isObject(v) ? v : undefined;
}

export function children(o: JsonObject | undefined, name: string): JsonObject[] {
  if (o === undefined) return [];
  const v = o[name];
  if (Array.isArray(v)) return v.filter(isObject);
  return isObject(v) ? [v] : [];
}

/** Text content of a simple element (`<name>x</name>` parses to "x", or to {#text} with attributes). */
export function text(o: JsonObject | undefined, name: string): string | undefined {
  if (o === undefined) return undefined;
  const v = o[name];
  const first: unknown = Array.isArray(v) ? v[0] : v;
  if (typeof first === 'string') return first.trim();
  if (isObject(first) && typeof first['#text'] === 'string') return first['#text'].trim();
  return undefined;
}
