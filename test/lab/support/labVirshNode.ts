/**
 * libvirt test-driver node files: one per lab host, `<node>` of `<domain type='test'>` elements,
 * read by `virsh -c test:///<abs path>`. Target dev names must not start with vnet/macvtap
 * (the test driver replaces those).
 */

export interface VirshNodeDomain {
  name: string;
  uuid: string;
  memoryKiB: number;
  vcpu: number;
  running: boolean;
  interfaces: {
    mac: string;
    bridge: string;
    /** Omitted for shut-off domains: a target dev exists only in live XML. */
    targetDev?: string;
    /** clean-traffic filter with this IP, as in the KVM + nwfilter field reports. */
    cleanTrafficIp?: string;
  }[];
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/'/g, '&apos;').replace(/"/g, '&quot;');
}

export function virshNodeXml(domains: readonly VirshNodeDomain[]): string {
  const out = ['<node>'];
  for (const d of domains) {
    out.push("  <domain type='test' xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>",
      `    <name>${esc(d.name)}</name>`,
      `    <uuid>${esc(d.uuid)}</uuid>`,
      `    <memory unit='KiB'>${d.memoryKiB}</memory>`,
      `    <vcpu>${d.vcpu}</vcpu>`,
      "    <os><type arch='x86_64'>hvm</type></os>",
      // 5 = VIR_DOMAIN_SHUTOFF; the test driver starts every other domain running.
      ...(d.running ? [] : ['    <test:runstate>5</test:runstate>']),
      '    <devices>');
    for (const i of d.interfaces) {
      out.push("      <interface type='bridge'>",
        `        <mac address='${esc(i.mac)}'/>`,
        `        <source bridge='${esc(i.bridge)}'/>`,
        ...(i.targetDev ? [`        <target dev='${esc(i.targetDev)}'/>`] : []),
        "        <model type='virtio'/>",
        ...(i.cleanTrafficIp
          ? ["        <filterref filter='clean-traffic'>", `          <parameter name='IP' value='${esc(i.cleanTrafficIp)}'/>`, '        </filterref>']
          : []),
        '      </interface>');
    }
    out.push('    </devices>', '  </domain>');
  }
  out.push('</node>');
  return out.join('\n') + '\n';
}
