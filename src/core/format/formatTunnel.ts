/** VXLAN, GENEVE and GRE headers, then the inner frame or packet printed through the context. */
import type { FormatContext } from './formatContext';
import { etherTypeText } from './protocolNames';

function innerWireLength(ctx: FormatContext, i: number, wireEndOfOuter: number): number {
  const inner = ctx.layers[i + 1];
  return inner ? wireEndOfOuter - inner.offset : 0;
}

/** `wireEnd` of the packet: derived from the outer UDP / IP claimed lengths. */
function outerWireEnd(ctx: FormatContext, i: number): number {
  for (let k = i - 1; k >= 0; k--) {
    const l = ctx.layers[k];
    if (l.kind === 'udp') return l.offset + l.udpLength;
    if (l.kind === 'ipv4') return l.offset + l.totalLength;
    if (l.kind === 'ipv6') return l.offset + 40 + l.payloadLength;
  }
  return ctx.data.length;
}

export function tunnelText(ctx: FormatContext, i: number): string {
  const l = ctx.layers[i];
  const wireEnd = outerWireEnd(ctx, i);
  const inner = ctx.layers[i + 1] ? ctx.dispatch(i + 1, innerWireLength(ctx, i, wireEnd)) : '';
  if (l.kind === 'vxlan') {
    if (l.truncated) return 'VXLAN [|vxlan]';
    return `VXLAN, flags [${l.flags & 0x08 ? 'I' : '.'}] (0x${l.flags.toString(16).padStart(2, '0')}), vni ${l.vni}\n${inner}`;
  }
  if (l.kind === 'geneve') {
    if (l.truncated) return 'Geneve [|geneve]';
    const flags = l.oam || l.critical ? `${l.oam ? 'O' : ''}${l.critical ? 'C' : ''}` : 'none';
    const proto = ctx.eflag ? `, proto ${etherTypeText(l.protocol)}` : '';
    return `Geneve, Flags [${flags}], vni 0x${l.vni.toString(16)}${proto}${l.optionsLength > 0 ? `, options [${l.optionsLength} bytes]` : ''}: ${inner}`;
  }
  if (l.kind === 'gre') {
    if (l.truncated) return 'GREv0 [|gre]';
    let s = `GREv${l.version}`;
    if (l.key >= 0) s += `, key=0x${l.key.toString(16)}`;
    if (l.sequence >= 0) s += `, seq ${l.sequence}`;
    if (ctx.eflag) s += `, proto ${etherTypeText(l.protocol)}`;
    return `${s}, length ${l.payloadLength + (l.length)}: ${inner}`;
  }
  return '';
}
