/**
 * The Hosts tree's host checks over the real lab (real sshd, SSH pool, discovery), no VS Code API:
 * "Show nwfilter" for a VM configured like the LVS DR seed (clean-traffic with IP=<its address>),
 * "Show Counters" on an interface, and the clear errors when a tool is missing or needs a refused sudo.
 * virsh's test driver has no nwfilter API: the hypervisors' PATH starts with a virsh stand-in that answers
 * nwfilter-dumpxml from libvirt's stock filter files (support/labNwfilterVirsh.ts).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLab, type Lab } from './support/hypervisorLab';
import { writeNwfilterVirsh, type NwfilterVirsh } from './support/labNwfilterVirsh';
import { SshConnectionPool } from '../../src/remote/sshSession';
import { refusingPrompts } from '../../src/remote/sshPrompts';
import { HostsModel } from '../../src/extension/hosts/hostsModel';
import { loadHostEntries } from '../../src/extension/hosts/loadHostEntries';
import { hostCheckContext } from '../../src/extension/hostChecks/hostCheckContext';
import { buildVnicNwfilterReport } from '../../src/core/hostChecks/vnicNwfilterReport';
import { fetchInterfaceCounters } from '../../src/core/hostChecks/interfaceCountersReport';
import { diffInterfaceCounters } from '../../src/core/hostChecks/interfaceCounters';
import { HostToolError, runHostTool } from '../../src/core/hostChecks/runHostTool';
import { nwfilterFrameFromCaptureFile } from '../../src/core/hostChecks/nwfilterFrameFromPacket';
import { CaptureManager } from '../../src/extension/capture/captureManager';

let lab: Lab;
let shim: NwfilterVirsh;
let pool: SshConnectionPool;
let model: HostsModel;
const work = mkdtempSync(join(tmpdir(), 'hs2h-hcv-'));

before(async () => {
  shim = writeNwfilterVirsh();
  lab = await startLab({ sshdSetEnv: [shim.pathEnv] });
  mkdirSync(join(work, '.hopscope'));
  const hv1 = lab.host('hv1');
  writeFileSync(join(work, '.hopscope', 'hosts.yaml'), ['hosts:', '  - alias: hv1-nosudo', `    address: ${hv1.sshAddress}`, `    port: ${hv1.sshPort}`,
    `    user: ${lab.users.noSudo}`, `    identityFile: ${lab.privateKeyPath}`, ''].join('\n'));
  pool = new SshConnectionPool({ prompts: refusingPrompts, knownHostsFiles: [lab.knownHostsPath], readyTimeoutMs: 8000 });
  model = new HostsModel(pool, { localUser: 'root', defaultIdentityFiles: [lab.privateKeyPath] });
  model.setHosts(loadHostEntries({ workspaceFolders: [work], sshConfigPath: lab.sshConfigPath, homeDir: work, localUser: 'root' }).hosts);
});

after(async () => {
  await pool?.dispose(500);
  await lab?.stop();
  shim?.remove();
  rmSync(work, { recursive: true, force: true });
});

describe('Show nwfilter over SSH (virsh nwfilter stand-in: the test driver has none)', () => {
  it('vm1 configured like the seed (clean-traffic, IP=its address): no-ip-spoofing rules with $IP substituted, the VIP reply dropped by its last rule', async () => {
    const vm1 = lab.vm('vm1');
    const inv = await model.inventory('hv1');
    const vnic = inv.vms.find((v) => v.name === 'vm1')?.vnics[0];
    assert.equal(vnic?.backend, vm1.backendDevice);
    assert.deepEqual(vnic?.filterRef, { filter: 'clean-traffic', parameters: [{ name: 'IP', value: vm1.ip }] });
    const ctx = await hostCheckContext(model, 'hv1');
    const vip = vm1.ip.replace(/\.\d+$/, '.208');
    const report = await buildVnicNwfilterReport(ctx.run, { host: 'hv1', vm: 'vm1', device: vm1.backendDevice, filterRef: vnic.filterRef, mac: vnic.mac }, ctx.options, {
      direction: 'out', srcMac: vm1.mac, dstMac: lab.vm('vm2').mac, etherType: 0x0800, srcIp: vip, dstIp: '192.0.2.145', ipProtocol: 6,
    });
    const lines = report.text.split('\n');
    // The seed's ❹ and ❺: return for the VM's own address, then drop.
    const own = lines.findIndex((l) => /^\s+500\s+out\s+return\s+ip srcipaddr=(\S+)\s+no-ip-spoofing ← clean-traffic$/.test(l));
    assert.ok(own > 0, report.text);
    assert.ok(lines[own].includes(`srcipaddr=${vm1.ip} `), lines[own]);
    const drop = lines.findIndex((l) => /^\s+1000\s+out\s+drop\s+\(any\)\s+no-ip-spoofing ← clean-traffic$/.test(l));
    assert.ok(drop > own, report.text);
    assert.ok(lines.slice(0, drop).some((l) => /^chain ipv4-ip\s+\(priority -710\)$/.test(l)));
    // A source the VM does not own (LVS DR answering from the VIP) is dropped there.
    assert.equal(report.verdict?.verdict, 'drop');
    assert.equal(report.verdict?.rule?.filter, 'no-ip-spoofing');
    assert.equal(report.verdictRuleLine, drop);
    assert.match(report.text, new RegExp(`DROP by no-ip-spoofing \\[chain ipv4-ip\\] priority 1000: \\(any\\)   \\(line ${drop + 1}\\)`));
    // Every filter clean-traffic references is one of libvirt's stock filters: nothing unresolved.
    assert.doesNotMatch(report.text, /not readable/);
    assert.match(report.text, /no-arp-ip-spoofing/);
    // $MAC is bound to the vNIC's MAC as libvirt does (no-mac-spoofing's return rule).
    assert.match(report.text, new RegExp(`out\\s+return\\s+mac srcmacaddr=${vm1.mac}\\s+no-mac-spoofing ← clean-traffic`));
    if (process.env.HS_DUMP_REPORT) writeFileSync(process.env.HS_DUMP_REPORT, report.text);
    assert.match(report.text, /^nft list ruleset$/m);
  });

  it('the VM\'s own address is not dropped by no-ip-spoofing', async () => {
    const vm1 = lab.vm('vm1');
    const ctx = await hostCheckContext(model, 'hv1');
    const report = await buildVnicNwfilterReport(ctx.run, { host: 'hv1', vm: 'vm1', device: vm1.backendDevice, mac: vm1.mac,
      filterRef: { filter: 'clean-traffic', parameters: [{ name: 'IP', value: vm1.ip }] } }, ctx.options,
    { direction: 'out', srcMac: vm1.mac, etherType: 0x0800, srcIp: vm1.ip, dstIp: lab.vm('vm2').ip, ipProtocol: 1 });
    assert.notEqual(report.verdict?.rule?.filter, 'no-ip-spoofing');
    assert.equal(report.verdict?.verdict, 'accept');
  });

  it('a vNIC without a filterref and a filter the host does not define give clear errors', async () => {
    const ctx = await hostCheckContext(model, 'hv2');
    const vm2 = lab.vm('vm2');
    await assert.rejects(buildVnicNwfilterReport(ctx.run, { host: 'hv2', vm: 'vm2', device: vm2.backendDevice }, ctx.options),
      /vm2's interface .* on hv2 has no <filterref>: libvirt applies no nwfilter to it/);
    await assert.rejects(buildVnicNwfilterReport(ctx.run, { host: 'hv2', vm: 'vm2', device: vm2.backendDevice,
      filterRef: { filter: 'no-such-filter', parameters: [] } }, ctx.options), /nwfilter 'no-such-filter' not defined on hv2/);
  });
});

describe('the proof packet of a loss, from a real capture', () => {
  it('vm1 answers from a VIP (LVS DR): the packet captured on its backend is dropped by no-ip-spoofing', async () => {
    const vm1 = lab.vm('vm1');
    const vip = vm1.ip.replace(/\.\d+$/, '.208');
    await lab.exec('vm1', ['ip', 'addr', 'add', `${vip}/32`, 'dev', 'eth0']);
    const captures = new CaptureManager(model, () => work, () => 1000);
    try {
      const c = await captures.start('hv1', vm1.backendDevice, {
        filter: `icmp and src host ${vip}`, snaplen: 262144, maxPackets: 2, maxDurationSec: 60, maxFileBytes: 0, excludeOwnSsh: true, heartbeatTimeoutSec: 3,
      });
      const end = Date.now() + 10_000;
      while (c.session.state !== 'running' && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
      await lab.exec('vm1', ['ping', '-n', '-q', '-c', '2', '-i', '0.1', '-W', '1', '-I', vip, lab.vm('vm2').ip]);
      const result = await c.session.done;
      assert.equal(result.packets, 2);
      const frame = nwfilterFrameFromCaptureFile(c.file, 1, 'out');
      assert.deepEqual([frame.srcMac, frame.srcIp, frame.ipProtocol, frame.etherType], [vm1.mac, vip, 1, 0x0800]);
      const ctx = await hostCheckContext(model, 'hv1');
      const report = await buildVnicNwfilterReport(ctx.run, { host: 'hv1', vm: 'vm1', device: vm1.backendDevice, mac: vm1.mac,
        filterRef: { filter: 'clean-traffic', parameters: [{ name: 'IP', value: vm1.ip }] } }, ctx.options, frame);
      assert.deepEqual([report.verdict?.verdict, report.verdict?.rule?.filter, report.verdict?.rule?.priority], ['drop', 'no-ip-spoofing', 1000]);
      assert.match(report.text.split('\n')[report.verdictRuleLine ?? 0], /drop\s+\(any\)\s+no-ip-spoofing/);
    } finally {
      await captures.stopAll();
      await lab.exec('vm1', ['ip', 'addr', 'del', `${vip}/32`, 'dev', 'eth0']);
    }
  });
});

describe('tools missing or refused on a host', () => {
  it('nft as a user without sudo rights: "needs root …, sudo -n was refused"', async () => {
    const ctx = await hostCheckContext(model, 'hv1-nosudo');
    assert.equal(ctx.options.isRoot, false);
    await assert.rejects(runHostTool(ctx.run, ['nft', 'list', 'ruleset'], ctx.options), (e: unknown) => {
      assert.ok(e instanceof HostToolError);
      assert.equal(e.failure, 'refused');
      assert.match(e.message, /^nft needs root on hv1-nosudo \(.*Operation not permitted.*\), and sudo -n was refused: sudo: a password is required\./);
      return true;
    });
  });

  it('a tool absent from the host: "… is not installed on hv1; package: …" (iptables: this machine has none unless installed)', async () => {
    const ctx = await hostCheckContext(model, 'hv1');
    const present = (await ctx.run(['/bin/sh', '-c', 'command -v iptables'])).exitCode === 0;
    const vm1 = lab.vm('vm1');
    const report = await buildVnicNwfilterReport(ctx.run, { host: 'hv1', vm: 'vm1', device: vm1.backendDevice,
      filterRef: { filter: 'clean-traffic', parameters: [{ name: 'IP', value: vm1.ip }] } }, ctx.options);
    const section = report.text.split('\n\n').find((s) => s.startsWith('iptables -S'));
    if (present) assert.doesNotMatch(section ?? '', /not available/);
    else assert.match(section ?? '', /not available: iptables is not installed on hv1 \(or not on the login's PATH\); package: iptables/);
    await assert.rejects(runHostTool(ctx.run, ['ebtables-hs2h-absent', '-L'], ctx.options), /ebtables-hs2h-absent is not installed on hv1/);
  });
});

describe('Show Counters over SSH', () => {
  it('counters of vm1\'s backend before/after 5 pings: the difference counts them, no problems', async () => {
    const ctx = await hostCheckContext(model, 'hv1');
    const dev = lab.vm('vm1').backendDevice;
    const before = await fetchInterfaceCounters(ctx.run, dev, ctx.options);
    assert.equal(before.ifname, dev);
    assert.equal((await lab.ping('vm1', lab.vm('vm2').ip, 5)).received, 5);
    const d = diffInterfaceCounters(before, await fetchInterfaceCounters(ctx.run, dev, ctx.options));
    // The backend's rx is what the VM sent: 5 requests (+ ARP).
    assert.ok(d.delta.rxPackets >= 5 && d.delta.rxPackets <= 8, `rx ${d.delta.rxPackets}`);
    assert.ok(d.delta.txPackets >= 5 && d.delta.txPackets <= 8, `tx ${d.delta.txPackets}`);
    assert.deepEqual(d.problems, []);
    await assert.rejects(fetchInterfaceCounters(ctx.run, 'nosuchdev0', ctx.options), /ip on hv1 failed \(exit 1\): Device "nosuchdev0" does not exist/);
  });
});
