/**
 * Turns a failed discovery command (exit status, stderr) into a message and, when recognised,
 * what the user can do about it. Patterns are the messages sh, sudo, virsh and ovs-vsctl print.
 */
import type { DiscoveryError, DiscoverySource } from './hostInventory';

const PACKAGE_OF: Record<DiscoverySource, string> = {
  'ip-link': 'iproute2', 'ip-addr': 'iproute2', 'bridge-link': 'iproute2', brctl: 'bridge-utils',
  'virsh-list': 'libvirt-clients', 'virsh-dumpxml': 'libvirt-clients', 'virsh-nwfilter': 'libvirt-clients',
  'ovs-vsctl-show': 'openvswitch-switch', 'ovs-list-br': 'openvswitch-switch', 'ovs-list-ports': 'openvswitch-switch',
  'ovs-fdb': 'openvswitch-switch', 'ovs-interface': 'openvswitch-switch',
};

export function describeDiscoveryFailure(source: DiscoverySource, stderr: string, exitCode: number | undefined): DiscoveryError {
  const firstLines = stderr.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
  const message = firstLines.slice(0, 3).join(' / ') || `exited with status ${exitCode ?? 'unknown'}`;
  const error: DiscoveryError = { source, message };
  const hint = hintFor(source, stderr, exitCode);
  if (hint !== undefined) error.hint = hint;
  return error;
}

function hintFor(source: DiscoverySource, stderr: string, exitCode: number | undefined): string | undefined {
  if (exitCode === 127 || /command not found|: not found/i.test(stderr)) {
    return `install ${PACKAGE_OF[source]} on the host`;
  }
  if (/sudo: a (terminal|password) is required|sudo: .*password/i.test(stderr)) {
    return 'sudo needs a password: allow these read-only commands with NOPASSWD, or connect as a user that may run them';
  }
  if (source.startsWith('virsh')) {
    if (/authentication (unavailable|failed)|Permission denied|polkit|access denied/i.test(stderr)) {
      return 'needs sudo or membership of the libvirt group';
    }
    if (/failed to connect to the hypervisor|Failed to connect socket/i.test(stderr)) {
      return 'libvirtd is not reachable at this URI: check that it runs, and use -c qemu:///system (non-root virsh defaults to qemu:///session)';
    }
    if (/not supported by the connection driver/i.test(stderr)) return 'this libvirt driver does not support the request';
  }
  if (source.startsWith('ovs')) {
    if (/database connection failed|Permission denied/i.test(stderr)) {
      return 'ovsdb-server is not running or its socket needs root: run with sudo';
    }
    if (/no bridge named/i.test(stderr)) return 'the bridge does not exist on this host';
  }
  if (/Operation not permitted|Permission denied/i.test(stderr)) return 'needs root (sudo)';
  return undefined;
}
