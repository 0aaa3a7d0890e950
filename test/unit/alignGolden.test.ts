/**
 * `hopscope align` output must not change when the identity hash, the loading path or the grouping
 * table are reworked for speed. The expected files in test/fixtures/alignGolden were recorded from
 * main's CLI before the perf changes, by running `node dist/cli.js align [--json] …` with the arguments
 * below on the committed real captures (test/fixtures/align, samples/path-drop): first from main at
 * 012c714, then again from main at cd21074 (after alignv's NAT/offload/TTL work landed; built from
 * `git archive main`), which gave the same bytes. This test runs today's CLI and compares byte for byte.
 * Deliberate changes since, each re-recorded and its diff read: none*.json lost their one `one-way`
 * verdict (an IGMP report to 224.0.0.22 has no answer by design; src/core/align/groupDestination.ts);
 * drop*.json and path-drop.* lost their `reply-missing` verdict (its requests were lost on the way, never
 * reached the far end: `lost` is the finding, src/core/align/verdicts.ts findReplyAndOneWay).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runAlignCli } from '../support/runAlignCli';

const root = join(__dirname, '..', '..');
const SIX = ['vmA-eth0', 'hostA-tap', 'hostA-upl', 'hostB-upl', 'hostB-tap', 'vmB-eth0'];
const files = (dir: string, names: string[]): string[] => names.map((n) => join(root, dir, `${n}.pcap`));

function twoHosts(dir: string): string[] {
  const f = files(dir, SIX);
  return ['--host', `A=${f.slice(0, 3).join(',')}`, '--host', `B=${f.slice(3).join(',')}`, ...f];
}

const pathDrop = files('samples/path-drop', SIX);
const pathDropArgs = ['--host', `vmA=${pathDrop[0]}`, '--host', `hostA=${pathDrop[1]},${pathDrop[2]}`,
  '--host', `hostB=${pathDrop[3]},${pathDrop[4]}`, '--host', `vmB=${pathDrop[5]}`, ...pathDrop];
const any = files('test/fixtures/align/any', ['vmA-eth0', 'hostA-any', 'hostB-upl', 'vmB-eth0']);

const CASES: Array<[expected: string, args: string[]]> = [
  ...['drop', 'mac-rewrite', 'none'].flatMap((set): Array<[string, string[]]> => [
    [`${set}.json`, ['--json', ...twoHosts(`test/fixtures/align/${set}`)]],
    [`${set}-onehost.json`, ['--json', ...files(`test/fixtures/align/${set}`, SIX)]],
  ]),
  ['any.json', ['--json', '--host', `A=${any[0]},${any[1]}`, '--host', `B=${any[2]},${any[3]}`, ...any]],
  ['path-drop.json', ['--json', ...pathDropArgs]],
  ['path-drop.txt', pathDropArgs],
];

describe('hopscope align output is unchanged (recorded from main before the perf work)', () => {
  for (const [expected, args] of CASES) {
    it(expected, async () => {
      const r = await runAlignCli(args);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, readFileSync(join(root, 'test/fixtures/alignGolden', expected), 'utf8'));
    });
  }
});
