/**
 * Parses `ovs-vsctl show`: an indented outline (uuid; Manager / Bridge at 4 spaces; Controller,
 * fail_mode, datapath_type, Port at 8; tag, trunks, Interface at 12; type, options, error at 16;
 * ovs_version at 4). Names containing special characters are printed in double quotes.
 */
import type { OvsBridge, OvsInterface, OvsPort, OvsShow } from './hostInventory';
import { DiscoveryParseError } from './discoveryParseError';

export function parseOvsVsctlShow(text: string): OvsShow {
  const show: OvsShow = { bridges: [] };
  let bridge: OvsBridge | undefined;
  let port: OvsPort | undefined;
  let iface: OvsInterface | undefined;
  let inManager = false;
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  for (const [i, line] of lines.entries()) {
    const indent = line.length - line.trimStart().length;
    const body = line.trim();
    if (i === 0 && indent === 0 && /^[0-9a-f-]{36}$/.test(body)) { show.uuid = body; continue; }
    const kv = /^([A-Za-z_]+)(?::\s*|\s+)(.*)$/.exec(body);
    if (!kv || indent % 4 !== 0 || indent === 0) throw new DiscoveryParseError('ovs-vsctl-show', 'unexpected line', line);
    const [, key, rawValue] = kv;
    const value = unquote(rawValue);
    const level = indent / 4;
    if (level === 1) {
      inManager = key === 'Manager';
      bridge = port = iface = undefined;
      if (key === 'Bridge') {
        bridge = { name: value, controllers: [], ports: [] };
        show.bridges.push(bridge);
      } else if (key === 'ovs_version') {
        show.version = value;
      }
    } else if (inManager) {
      continue; // Manager details (is_connected) are not part of the model.
    } else if (level === 2 && bridge) {
      port = iface = undefined;
      if (key === 'Port') { port = { name: value, interfaces: [] }; bridge.ports.push(port); }
      else if (key === 'Controller') bridge.controllers.push(value);
      else if (key === 'fail_mode') bridge.failMode = value;
      else if (key === 'datapath_type') bridge.datapathType = value;
    } else if (level === 3 && port) {
      iface = undefined;
      if (key === 'Interface') { iface = { name: value }; port.interfaces.push(iface); }
      else if (key === 'tag' && /^\d+$/.test(value)) port.tag = Number(value);
    } else if (level === 4 && iface) {
      if (key === 'type') iface.type = value;
      else if (key === 'error') iface.error = value;
      else if (key === 'options') iface.options = parseBraceMap(value);
    } else if (level > 4 || (level >= 2 && bridge === undefined)) {
      throw new DiscoveryParseError('ovs-vsctl-show', 'line outside any bridge/port/interface', line);
    }
  }
  if (show.uuid === undefined && show.bridges.length === 0 && lines.length > 0) {
    throw new DiscoveryParseError('ovs-vsctl-show', 'no Open vSwitch uuid or bridge', lines[0]);
  }
  return show;
}

function unquote(v: string): string {
  const t = v.trim();
  if (t.length >= 2 && t.startsWith('"') && t.endsWith('"')) return t.slice(1, -1).replace(/\\(.)/g, '$1');
  return t;
}

/** `{peer=patch-int, remote_ip="10.0.0.2"}` → record. */
function parseBraceMap(v: string): Record<string, string> {
  const out: Record<string, string> = {};
  const inner = v.replace(/^\{|\}$/g, '');
  for (const m of inner.matchAll(/([\w:-]+)=("(?:[^"\\]|\\.)*"|[^,]*)/g)) out[m[1]] = unquote(m[2]);
  return out;
}
