/** Parses `virsh dumpxml <domain>` (live or inactive XML) into a VM with its vNICs. */
import type { FilterRef, VmDomain, Vnic, VnicType } from './hostInventory';
import { DiscoveryParseError } from './discoveryParseError';
import { attr, child, children, parseLibvirtXml, text } from './libvirtXmlDocument';
import { isObject, type JsonObject } from './jsonFieldReaders';

const REPEATED = new Set(['interface', 'parameter', 'nova:port', 'nova:ip']);
const VNIC_TYPES: ReadonlySet<string> = new Set(['bridge', 'network', 'direct', 'ethernet', 'vhostuser']);

export function parseVirshDomainXml(xml: string): VmDomain {
  const doc = parseLibvirtXml('virsh-dumpxml', xml, 'domain', REPEATED) as JsonObject;
  const domain = doc.domain as JsonObject;
  const name = text(domain, 'name');
  if (name === undefined || name === '') throw new DiscoveryParseError('virsh-dumpxml', '<domain> has no <name>', xml.trim());
  const idText = attr(domain, 'id');
  const id = idText !== undefined && /^\d+$/.test(idText) ? Number(idText) : undefined;
  const vm: VmDomain = {
    name,
    // libvirt writes the id attribute only for a running (active) domain.
    active: id !== undefined,
    vnics: children(child(domain, 'devices'), 'interface').map(toVnic),
  };
  if (id !== undefined) vm.id = id;
  const uuid = text(domain, 'uuid');
  if (uuid !== undefined) vm.uuid = uuid;
  const nova = novaInstance(child(domain, 'metadata'));
  if (nova !== undefined) {
    const displayName = text(nova.instance, `${nova.prefix}name`);
    if (displayName !== undefined) vm.displayName = displayName;
    const ports = children(child(nova.instance, `${nova.prefix}ports`), `${nova.prefix}port`).flatMap((p) => {
      const uuid = attr(p, 'uuid');
      if (uuid === undefined) return [];
      const ips = children(p, `${nova.prefix}ip`).map((ip) => attr(ip, 'address')).filter((a): a is string => a !== undefined);
      return [{ uuid, ips }];
    });
    if (ports.length > 0) vm.novaPorts = ports;
  }
  return vm;
}

function toVnic(i: JsonObject): Vnic {
  const t = attr(i, 'type') ?? 'other';
  const vnic: Vnic = { type: VNIC_TYPES.has(t) ? (t as VnicType) : 'other' };
  const set = <K extends keyof Vnic>(key: K, value: Vnic[K] | undefined): void => {
    if (value !== undefined) vnic[key] = value;
  };
  set('mac', attr(child(i, 'mac'), 'address')?.toLowerCase());
  const source = child(i, 'source');
  set('sourceBridge', attr(source, 'bridge'));
  set('sourceNetwork', attr(source, 'network'));
  set('sourceDev', attr(source, 'dev'));
  set('sourceMode', attr(source, 'mode'));
  set('targetDev', attr(child(i, 'target'), 'dev'));
  set('model', attr(child(i, 'model'), 'type'));
  set('alias', attr(child(i, 'alias'), 'name'));
  const linkState = attr(child(i, 'link'), 'state');
  if (linkState === 'up' || linkState === 'down') vnic.linkState = linkState;
  const mtu = attr(child(i, 'mtu'), 'size');
  if (mtu !== undefined && /^\d+$/.test(mtu)) vnic.mtu = Number(mtu);
  const filterref = child(i, 'filterref');
  const filter = attr(filterref, 'filter');
  if (filter !== undefined) {
    const ref: FilterRef = { filter, parameters: [] };
    for (const p of children(filterref, 'parameter')) {
      const pn = attr(p, 'name');
      const pv = attr(p, 'value');
      if (pn !== undefined && pv !== undefined) ref.parameters.push({ name: pn, value: pv });
    }
    vnic.filterRef = ref;
  }
  const vp = child(i, 'virtualport');
  const vpType = attr(vp, 'type');
  if (vpType !== undefined) {
    const params = child(vp, 'parameters');
    vnic.virtualPort = { type: vpType };
    const interfaceId = attr(params, 'interfaceid');
    if (interfaceId !== undefined) vnic.virtualPort.interfaceId = interfaceId;
    const profileId = attr(params, 'profileid');
    if (profileId !== undefined) vnic.virtualPort.profileId = profileId;
  }
  return vnic;
}

/**
 * `<metadata><nova:instance>` as OpenStack Nova writes it, found by its namespace URI whatever the
 * prefix; returns the element and the prefix (with its colon) its children use.
 */
function novaInstance(metadata: JsonObject | undefined): { instance: JsonObject; prefix: string } | undefined {
  if (metadata === undefined) return undefined;
  for (const [key, value] of Object.entries(metadata)) {
    if (!isObject(value)) continue;
    const colon = key.indexOf(':');
    const prefix = colon < 0 ? '' : key.slice(0, colon);
    const ns = attr(value, prefix === '' ? 'xmlns' : `xmlns:${prefix}`);
    if (ns !== undefined && ns.startsWith('http://openstack.org/xmlns/libvirt/nova/')) {
      return { instance: value, prefix: prefix === '' ? '' : `${prefix}:` };
    }
  }
  return undefined;
}
