// parseIpLinkJson on the real `ip -d -j link show` output of a private namespace holding a bridge,
// a veth pair and lo (the kernel's own words, not hand-written JSON).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { parseIpLinkJson } from '../../src/extension/localInterfaces';

const ns = `hse${process.pid}if`;
const ip = (...args: string[]): string => execFileSync('ip', ['-n', ns, ...args]).toString();

describe('parseIpLinkJson (real ip -j link in a namespace)', () => {
  before(() => {
    execFileSync('ip', ['netns', 'add', ns]);
    ip('link', 'add', 'hsebr0', 'type', 'bridge');
    ip('link', 'add', 'hseva', 'type', 'veth', 'peer', 'name', 'hsevb');
    ip('link', 'set', 'hseva', 'master', 'hsebr0');
    ip('link', 'set', 'lo', 'up');
  });
  after(() => {
    execFileSync('ip', ['netns', 'del', ns]);
  });

  it('gives each interface its kind and operational state', () => {
    const byName = new Map(parseIpLinkJson(ip('-d', '-j', 'link', 'show')).map((i) => [i.name, i]));
    assert.deepEqual(byName.get('lo'), { name: 'lo', kind: 'loopback', state: 'UNKNOWN' });
    assert.deepEqual(byName.get('hsebr0'), { name: 'hsebr0', kind: 'bridge', state: 'DOWN' });
    assert.deepEqual(byName.get('hseva'), { name: 'hseva', kind: 'veth', state: 'DOWN' });
    assert.equal(byName.size, 4);
  });

  it('rejects output that is not a JSON array', () => {
    assert.throws(() => parseIpLinkJson('{}'), /expected a JSON array/);
  });
});
