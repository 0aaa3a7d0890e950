/**
 * The TextMate grammar (syntaxes/tcpdump.tmLanguage.json) against the scope assertions in
 * test/grammar/*.test.tcpdump, run by the real vscode-tmgrammar-test CLI. The assertion lines start
 * with `#`: the tool takes the comment token from each file's `# SYNTAX TEST "source.tcpdump"`
 * header, and no tcpdump line starts with `#` followed by `^` or `<-`.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
const cli = join(root, 'node_modules', '.bin', 'vscode-tmgrammar-test');
const grammar = join(root, 'syntaxes', 'tcpdump.tmLanguage.json');
const testDir = join(root, 'test', 'grammar');
const testFiles = readdirSync(testDir).filter((f) => f.endsWith('.test.tcpdump')).map((f) => join(testDir, f));

function runTool(files: string[]): { status: number | null; output: string } {
  const r = spawnSync(cli, ['-c', '-g', grammar, ...files], { encoding: 'utf8', cwd: root });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

describe('tcpdump TextMate grammar', () => {
  it('declares source.tcpdump and parses as JSON', () => {
    const g = JSON.parse(readFileSync(grammar, 'utf8')) as { scopeName: string; patterns: unknown[] };
    assert.equal(g.scopeName, 'source.tcpdump');
    assert.ok(g.patterns.length > 0);
  });

  it('language configuration: no comment token, no brackets, words are whole addresses', () => {
    const conf = JSON.parse(readFileSync(join(root, 'syntaxes', 'language-configuration.json'), 'utf8')) as {
      comments: Record<string, unknown>; brackets: unknown[]; autoClosingPairs: unknown[]; wordPattern: string;
    };
    assert.deepEqual(conf.comments, {});
    assert.deepEqual(conf.brackets, []);
    assert.deepEqual(conf.autoClosingPairs, []);
    const words = '12:31:35.137015 IP6 fd00:207:3d1b::1.57400 > 10.207.143.2.9: Flags [S], seq 1:61,'.match(new RegExp(conf.wordPattern, 'g')) ?? ([] as string[]);
    assert.ok(words.includes('fd00:207:3d1b::1.57400'), String(words));
    assert.ok(words.includes('10.207.143.2.9:'), String(words));
    assert.ok(words.includes('1:61'), String(words));
  });

  for (const file of testFiles) {
    it(`passes every scope assertion in ${file.slice(testDir.length + 1)}`, () => {
      const assertions = readFileSync(file, 'utf8').split('\n').filter((l) => /^#\s*(\^|<-)/.test(l)).length;
      assert.ok(assertions >= 40, `${file} holds ${assertions} assertions`);
      const r = runTool([file]);
      assert.equal(r.status, 0, r.output);
      assert.doesNotMatch(r.output, /\bERROR\b|missing required scopes|prohibited scopes/, r.output);
    });
  }

  it('the tool does fail on a wrong assertion (so the checks above can fail)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hopscope-grammar-'));
    try {
      const bad = join(dir, 'wrong.test.tcpdump');
      const line = '12:31:35.123586 IP 10.207.143.2.8080 > 10.207.143.1.59740: Flags [R.], seq 9, ack 14, win 64, length 0';
      // The R of [R.] is an attention scope, not a plain flag: asserting the plain flag must fail.
      const col = line.indexOf('[R') + 1;
      writeFileSync(bad, [
        '# SYNTAX TEST "source.tcpdump" "a deliberately wrong assertion"',
        line,
        `#${' '.repeat(col - 1)}^ constant.language.tcp-flag.tcpdump`,
      ].join('\n'));
      const r = runTool([bad]);
      assert.notEqual(r.status, 0, r.output);
      assert.match(r.output, /constant\.language\.tcp-flag\.tcpdump/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
