import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { quoteShellArg } from '../../src/core/capture/shellQuote';
import { CaptureInputError, validateFilterText, validateInterfaceName } from '../../src/core/capture/validateCaptureInput';
import { CAPTURE_PRESETS } from '../../src/core/capture/capturePresets';
import { buildFilterCheckCommand, buildRemoteCaptureCommand } from '../../src/core/capture/remoteCaptureCommand';
import { parseRemoteCaptureStderrLine } from '../../src/core/capture/remoteCaptureStderr';

const HOSTILE = ["a'b", "'", "''", '$(id)', '`id`', 'a;b', 'a\nb', '*', '~', '!!', 'a\\b', '"x"', '$HOME', 'a b  c', '-w/x', '&&', '|', '>f', '{a,b}', "it's a \"test\" $((1+1))"];

describe('quoteShellArg', () => {
  it('delivers every hostile string as one identical argv word through a real shell', () => {
    for (const s of HOSTILE) {
      const r = spawnSync('/bin/sh', ['-c', `printf '%s' ${quoteShellArg(s)}`], { encoding: 'utf8' });
      assert.equal(r.status, 0, s);
      assert.equal(r.stdout, s);
    }
  });
  it('refuses NUL', () => {
    assert.throws(() => quoteShellArg('a\0b'), /NUL/);
  });
});

describe('capture input validation', () => {
  it('accepts real interface names from the seeds and refuses injection attempts', () => {
    for (const n of ['eth0', 'vnet0', '021f00', 'br100', 'bond0.100', 'vif1.0', 'tap1a2b3c-4d', 'br-int', 'enp3s0f0@if2']) {
      assert.equal(validateInterfaceName(n), n);
    }
    for (const n of ['', '-i', 'eth0;id', 'a b', 'x'.repeat(16), 'eth0\n', '$(id)', "eth'0"]) {
      assert.throws(() => validateInterfaceName(n), CaptureInputError, JSON.stringify(n));
    }
  });
  it('refuses filters that would become options or carry control bytes', () => {
    assert.throws(() => validateFilterText('-w /tmp/x'), /may not start with "-"/);
    assert.throws(() => validateFilterText('  -z cmd'), /may not start/);
    assert.throws(() => validateFilterText('icmp\0'), /control character/);
    assert.equal(validateFilterText('host 10.0.0.1\n and icmp'), 'host 10.0.0.1 and icmp');
  });
});

describe('capture presets', () => {
  it('every preset compiles with the real tcpdump (tcpdump -d)', () => {
    for (const p of CAPTURE_PRESETS) {
      const f = p.build({ address: '192.168.128.251', port: 80, excludeAddress: '10.1.1.1' });
      assert.ok(f !== undefined, p.id);
      const r = spawnSync('tcpdump', ['-d', '-y', 'EN10MB', '--', f], { encoding: 'utf8' });
      assert.equal(r.status, 0, `${p.id}: ${f}: ${r.stderr}`);
    }
  });
  it('presets that need an address say so instead of guessing', () => {
    const host = CAPTURE_PRESETS.find((p) => p.id === 'host');
    assert.equal(host?.build({}), undefined);
    assert.equal(host?.build({ address: '1.2.3.4; rm -rf /' }), undefined);
  });
});

describe('remote capture command', () => {
  const base = { iface: 'vnet0', filter: 'icmp', snaplen: 96, maxPackets: 0, maxDurationSec: 60, maxFileBytes: 0, sudo: 'auto' as const, excludeOwnSsh: false };
  it('is refused for an invalid interface or filter before anything runs', () => {
    assert.throws(() => buildRemoteCaptureCommand({ ...base, iface: 'eth0 -z x' }), CaptureInputError);
    assert.throws(() => buildRemoteCaptureCommand({ ...base, filter: '-z /bin/sh' }), CaptureInputError);
    assert.throws(() => buildRemoteCaptureCommand({ ...base, maxDurationSec: 0 }), CaptureInputError);
  });
  it('a filter check command runs real tcpdump -d and fails on a bad filter', () => {
    const ok = spawnSync('/bin/sh', ['-c', buildFilterCheckCommand('host 10.0.0.1 and icmp')], { encoding: 'utf8' });
    assert.equal(ok.status, 0, ok.stderr);
    const bad = spawnSync('/bin/sh', ['-c', buildFilterCheckCommand('host and or')], { encoding: 'utf8' });
    assert.equal(bad.status, 1);
    const line = parseRemoteCaptureStderrLine(bad.stderr.trim().split('\n').pop() ?? '');
    assert.equal(line.kind, 'error');
    assert.equal(line.kind === 'error' && line.code, 'filter-syntax');
  });
});

describe('remote capture stderr', () => {
  it('classifies the lines tcpdump and sudo really print', () => {
    assert.deepEqual(parseRemoteCaptureStderrLine('rcap-pid 1234 1240'), { kind: 'pid', wrapperPid: 1234, timeoutPid: 1240 });
    assert.deepEqual(parseRemoteCaptureStderrLine('tcpdump: listening on vnet0, link-type EN10MB (Ethernet), snapshot length 96 bytes'),
      { kind: 'listening', iface: 'vnet0', linkType: 'EN10MB', snaplen: 96 });
    assert.deepEqual(parseRemoteCaptureStderrLine('12 packets captured'), { kind: 'stat', stat: 'captured', count: 12 });
    assert.deepEqual(parseRemoteCaptureStderrLine('0 packets dropped by kernel'), { kind: 'stat', stat: 'dropped', count: 0 });
    const codes = [
      ['sudo: a password is required', 'sudo-password'],
      ['tcpdump: nosuch0: No such device exists', 'no-such-device'],
      ["tcpdump: eth0: You don't have permission to capture on that device", 'permission'],
      ["tcpdump: can't parse filter expression: syntax error", 'filter-syntax'],
    ] as const;
    for (const [line, code] of codes) {
      const r = parseRemoteCaptureStderrLine(line);
      assert.equal(r.kind === 'error' ? r.code : r.kind, code, line);
    }
  });
});
