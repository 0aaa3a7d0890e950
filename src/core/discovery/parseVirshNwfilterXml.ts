/** Parses `virsh nwfilter-dumpxml <filter>`: rules and `<filterref>` children in document order. */
import type { NwfilterDefinition, NwfilterRule } from './hostInventory';
import { DiscoveryParseError } from './discoveryParseError';
import { parseLibvirtXml } from './libvirtXmlDocument';
import { isObject, type JsonObject } from './jsonFieldReaders';

// preserveOrder shape: each node is { tagName: childNodes[], ':@'?: { '@_attr': value } }.
type OrderedNode = JsonObject;

export function parseVirshNwfilterXml(xml: string): NwfilterDefinition {
  const doc = parseLibvirtXml('virsh-nwfilter', xml, 'filter', new Set(), true) as OrderedNode[];
  const filterNode = doc.find((n) => 'filter' in n) as OrderedNode;
  const attrs = attributesOf(filterNode);
  const name = attrs.name;
  if (name === undefined) throw new DiscoveryParseError('virsh-nwfilter', '<filter> has no name', xml.trim());
  const def: NwfilterDefinition = { name, entries: [] };
  if (attrs.chain !== undefined) def.chain = attrs.chain;
  const prio = toInt(attrs.priority);
  if (prio !== undefined) def.priority = prio;
  for (const node of childNodes(filterNode, 'filter')) {
    const tag = tagOf(node);
    if (tag === 'uuid') {
      const t = childNodes(node, 'uuid').find((c) => typeof c['#text'] === 'string');
      if (t) def.uuid = String(t['#text']).trim();
    } else if (tag === 'filterref') {
      const f = attributesOf(node).filter;
      if (f !== undefined) def.entries.push({ kind: 'filterref', filter: f });
    } else if (tag === 'rule') {
      def.entries.push({ kind: 'rule', rule: toRule(node) });
    }
  }
  return def;
}

function toRule(node: OrderedNode): NwfilterRule {
  const a = attributesOf(node);
  const rule: NwfilterRule = {
    action: a.action ?? '',
    direction: a.direction ?? '',
    matches: childNodes(node, 'rule')
      .filter((c) => tagOf(c) !== undefined)
      .map((c) => ({ protocol: tagOf(c) as string, attributes: attributesOf(c) })),
  };
  const prio = toInt(a.priority);
  if (prio !== undefined) rule.priority = prio;
  return rule;
}

function tagOf(node: OrderedNode): string | undefined {
  return Object.keys(node).find((k) => k !== ':@' && k !== '#text' && k !== '#comment');
}

function childNodes(node: OrderedNode, tag: string): OrderedNode[] {
  const v = node[tag];
  return Array.isArray(v) ? v.filter(isObject) : [];
}

function attributesOf(node: OrderedNode): Record<string, string> {
  const raw = node[':@'];
  const out: Record<string, string> = {};
  if (!isObject(raw)) return out;
  for (const [k, v] of Object.entries(raw)) if (typeof v === 'string') out[k.replace(/^@_/, '')] = v;
  return out;
}

function toInt(s: string | undefined): number | undefined {
  return s !== undefined && /^-?\d+$/.test(s) ? Number(s) : undefined;
}
