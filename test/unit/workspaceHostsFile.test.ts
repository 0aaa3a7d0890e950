import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseWorkspaceHostsYaml } from '../../src/extension/workspaceHostsFile';

describe('parseWorkspaceHostsYaml', () => {
  it('reads a hosts: list with alias, address, port and user', () => {
    const { hosts, problems } = parseWorkspaceHostsYaml(
      'hosts:\n  - alias: compute-a\n    address: 10.0.0.1\n    user: root\n  - address: 10.0.0.2\n    port: 2222\n');
    assert.deepEqual(problems, []);
    assert.deepEqual(hosts, [
      { alias: 'compute-a', address: '10.0.0.1', user: 'root' },
      { alias: '10.0.0.2', address: '10.0.0.2', port: 2222 },
    ]);
  });

  it('accepts a top-level list and an empty file', () => {
    assert.deepEqual(parseWorkspaceHostsYaml('- alias: a\n  address: h\n').hosts, [{ alias: 'a', address: 'h' }]);
    assert.deepEqual(parseWorkspaceHostsYaml(''), { hosts: [], problems: [] });
  });

  it('skips bad entries with a reason and keeps the good ones', () => {
    const { hosts, problems } = parseWorkspaceHostsYaml(
      'hosts:\n  - alias: no-address\n  - address: h\n    port: 70000\n  - 42\n  - alias: ok\n    address: h2\n');
    assert.deepEqual(hosts, [{ alias: 'ok', address: 'h2' }]);
    assert.deepEqual(problems, ['entry 1: "address" is missing', 'entry 2: "port" must be 1–65535', 'entry 3: not a mapping']);
  });

  it('reports invalid YAML instead of throwing', () => {
    const { hosts, problems } = parseWorkspaceHostsYaml('hosts: [unclosed');
    assert.deepEqual(hosts, []);
    assert.match(problems[0] ?? '', /^not valid YAML/);
  });
});
