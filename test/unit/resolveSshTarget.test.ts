import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseWorkspaceHostsFile } from '../../src/core/hosts/workspaceHostsFile';
import { resolveSshTarget } from '../../src/remote/resolveSshTarget';

const yaml = `hosts:
  - { alias: bastion, address: 203.0.113.1, user: ops }
  - { alias: hv, address: 10.0.0.2, jumpHost: "bastion,cap@gw:2200", identityFile: /k }
  - { alias: loop1, address: a, jumpHost: loop2 }
  - { alias: loop2, address: b, jumpHost: loop1 }
`;
const hosts = new Map(parseWorkspaceHostsFile(yaml, 'f', '/h').hosts.map((h) => [h.alias, h]));
const defaults = { localUser: 'me', defaultIdentityFiles: ['/h/.ssh/id_ed25519'] };

test('resolveSshTarget: chain nearest hop first becomes the innermost jump', () => {
  const t = resolveSshTarget('hv', hosts, defaults);
  assert.equal(t.host, '10.0.0.2');
  assert.equal(t.user, 'me');
  assert.deepEqual(t.identityFiles, ['/k']);
  assert.equal(t.jump?.host, 'gw');
  assert.equal(t.jump?.port, 2200);
  assert.equal(t.jump?.user, 'cap');
  assert.equal(t.jump?.jump?.alias, 'bastion');
  assert.equal(t.jump?.jump?.user, 'ops');
  assert.equal(t.jump?.jump?.jump, undefined);
});

test('resolveSshTarget: loops and unknown aliases are clear errors', () => {
  assert.throws(() => resolveSshTarget('loop1', hosts, defaults), /ProxyJump loop: loop1 -> loop2 -> loop1/);
  assert.throws(() => resolveSshTarget('nope', hosts, defaults), /Unknown host "nope"/);
});
