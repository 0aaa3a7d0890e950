import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseWorkspaceHostsFile } from '../../src/core/hosts/workspaceHostsFile';
import { loadSshConfigHosts } from '../../src/core/hosts/sshConfigHosts';
import { nodeConfigFileAccess } from '../../src/core/hosts/nodeConfigFileAccess';
import { mergeHostSources } from '../../src/core/hosts/mergeHosts';
import { parseJumpSpec } from '../../src/core/hosts/hostEntry';

let home = '';
before(() => { home = mkdtempSync(join(tmpdir(), `hsr-hosts-${process.pid}-`)); mkdirSync(join(home, '.ssh', 'conf.d'), { recursive: true }); });
after(() => { if (home) rmSync(home, { recursive: true, force: true }); });

const goodYaml = `hosts:
  - alias: hv1
    address: 10.0.0.1
    user: root
    identityFile: ~/.ssh/id_hv
    sudo: never
    libvirtUri: qemu:///system
    groups: [compute]
  - alias: hv2
    address: hv2.lab
    port: 2222
    jumpHost: hv1,ops@bastion:2200
    identityFile: [~/.ssh/a, /etc/b]
    tags: [rack1]
`;

test('hosts.yaml: every field, ~ expanded, jump chain split, source line recorded', () => {
  const r = parseWorkspaceHostsFile(goodYaml, '/w/.hopscope/hosts.yaml', '/home/u');
  assert.deepEqual(r.problems, []);
  assert.deepEqual(r.hosts[0], {
    alias: 'hv1', address: '10.0.0.1', port: undefined, user: 'root', identityFiles: ['/home/u/.ssh/id_hv'], jump: [], sudo: 'never',
    libvirtUri: 'qemu:///system', groups: ['compute'], tags: [], source: { kind: 'workspace', file: '/w/.hopscope/hosts.yaml', line: 2 },
  });
  assert.deepEqual(r.hosts[1].jump, ['hv1', 'ops@bastion:2200']);
  assert.deepEqual(r.hosts[1].identityFiles, ['/home/u/.ssh/a', '/etc/b']);
  assert.equal(r.hosts[1].port, 2222);
  assert.equal(r.hosts[1].sudo, 'auto');
  assert.equal(r.hosts[1].source.kind === 'workspace' && r.hosts[1].source.line, 9);
});

test('hosts.yaml: bare top-level list is accepted', () => {
  const r = parseWorkspaceHostsFile('- alias: a\n  address: 1.2.3.4\n', 'f', '/h');
  assert.deepEqual(r.problems, []);
  assert.equal(r.hosts[0].alias, 'a');
});

test('hosts.yaml: validation errors carry the line of the offending node; good entries survive', () => {
  const text = `hosts:
  - alias: ok
    address: 10.0.0.9
  - alias: bad port
    address: x
    port: 70000
  - alias: b
    address: y
    sudo: sometimes
    colour: red
  - address: z
  - alias: ok
    address: dup
  - alias: j
    address: q
    jumpHost: "not a host!"
`;
  const r = parseWorkspaceHostsFile(text, 'f', '/h');
  assert.deepEqual(r.hosts.map((h) => h.alias), ['ok', 'j']);
  assert.deepEqual(r.problems.map((p) => p.line), [4, 6, 9, 10, 11, 12, 14]);
  assert.match(r.problems[1].message, /port.*1 to 65535/);
  assert.match(r.problems[2].message, /auto, always or never/);
  assert.match(r.problems[3].message, /unknown key "colour"/);
  assert.match(r.problems[4].message, /missing "alias"/);
  assert.match(r.problems[5].message, /duplicate alias "ok" \(first on line 2\)/);
  assert.match(r.problems[6].message, /jumpHost "not a host!"/);
});

test('hosts.yaml: YAML syntax errors are reported with their line, nothing else', () => {
  const r = parseWorkspaceHostsFile('hosts:\n  - alias: a\n    address: [unclosed\n', 'f', '/h');
  assert.equal(r.hosts.length, 0);
  assert.ok(r.problems.length > 0);
  assert.ok(r.problems[0].line >= 3, JSON.stringify(r.problems));
});

test('ssh config: concrete hosts, Host * defaults, Include (relative glob, cycle), ProxyJump chain, no Match exec', () => {
  const marker = join(home, 'match-exec-ran');
  writeFileSync(join(home, '.ssh', 'config'), [
    'Include conf.d/*.conf',
    'Host web1 web2',
    '  HostName %h.example.net',
    '  User deploy',
    'Host db',
    '  HostName 10.1.2.3',
    '  Port 2200',
    '  IdentityFile ~/.ssh/id_db',
    '  IdentityFile %d/.ssh/id_other',
    '  ProxyJump bastion,ops@gw:2022',
    `Match exec "touch ${marker}"`,
    '  User matched',
    'Host *.internal ?x !neg',
    '  User pattern',
    'Host *',
    '  User fallback',
    '  IdentityFile ~/.ssh/id_default',
  ].join('\n'));
  writeFileSync(join(home, '.ssh', 'conf.d', '10-bastion.conf'), 'Host bastion\n  HostName 192.0.2.1\n  Include ~/.ssh/config\n');
  writeFileSync(join(home, '.ssh', 'conf.d', 'ignored.txt'), 'Host notincluded\n');
  const r = loadSshConfigHosts(join(home, '.ssh', 'config'), nodeConfigFileAccess, home, 'me');
  assert.deepEqual(r.hosts.map((h) => h.alias), ['bastion', 'web1', 'web2', 'db']);
  assert.equal(r.problems.length, 1);
  assert.match(r.problems[0], /Include cycle/);
  const byAlias = new Map(r.hosts.map((h) => [h.alias, h]));
  assert.equal(byAlias.get('bastion')?.address, '192.0.2.1');
  assert.equal(byAlias.get('web2')?.address, 'web2.example.net');
  assert.equal(byAlias.get('web1')?.user, 'deploy');
  const db = byAlias.get('db');
  assert.equal(db?.address, '10.1.2.3');
  assert.equal(db?.port, 2200);
  assert.equal(db?.user, 'fallback');
  assert.deepEqual(db?.identityFiles, [join(home, '.ssh/id_db'), join(home, '.ssh/id_other'), join(home, '.ssh/id_default')]);
  assert.deepEqual(db?.jump, ['bastion', 'ops@gw:2022']);
  assert.equal(existsSync(marker), false, 'Match exec must never run');
});

test('ssh config: a missing file gives no hosts and no problem', () => {
  assert.deepEqual(loadSshConfigHosts(join(home, 'nope'), nodeConfigFileAccess, home, 'me'), { hosts: [], problems: [] });
});

test('merge: local first, workspace wins over ssh config with the same alias', () => {
  const ws = parseWorkspaceHostsFile('- alias: db\n  address: 10.9.9.9\n', 'f', '/h').hosts;
  writeFileSync(join(home, 'cfg2'), 'Host db\n  HostName 10.1.1.1\nHost other\n  HostName 10.2.2.2\n');
  const sc = loadSshConfigHosts(join(home, 'cfg2'), nodeConfigFileAccess, home, 'me').hosts;
  const m = mergeHostSources(ws, sc);
  assert.deepEqual(m.map((h) => [h.alias, h.address, h.source.kind]), [['local', undefined, 'local'], ['db', '10.9.9.9', 'workspace'], ['other', '10.2.2.2', 'ssh-config']]);
});

test('parseJumpSpec: user@host:port, [v6]:port, bad ports', () => {
  assert.deepEqual(parseJumpSpec('ops@gw:2022'), { user: 'ops', host: 'gw', port: 2022 });
  assert.deepEqual(parseJumpSpec('[fd00::1]:22'), { user: undefined, host: 'fd00::1', port: 22 });
  assert.equal(parseJumpSpec('gw:99999'), undefined);
  assert.equal(parseJumpSpec('a b'), undefined);
});
