// The e2e harness's teardown (test/e2e/support/processTree.ts) on a real process tree: a shell whose
// children ignore SIGTERM must still all be gone afterwards, and nothing outside the tree is signalled.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { snapshotProcessTree, terminateTree, isAlive } from '../e2e/support/processTree';

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('processTree', () => {
  it('snapshots parents before children and ends the whole tree, SIGKILLing what ignores SIGTERM', async () => {
    // Parent shell → two children; one of them ignores SIGTERM.
    const root = spawn('sh', ['-c', "sleep 300 & (trap '' TERM; sleep 300) & wait"], { stdio: 'ignore' });
    const rootPid = root.pid;
    assert.ok(rootPid);
    const outsider = spawn('sleep', ['300'], { stdio: 'ignore' });
    try {
      // sh, sleep, and the subshell (dash execs its last command: the subshell may already be sleep).
      await waitFor(() => snapshotProcessTree(rootPid).length >= 3, 'the tree to start');
      const tree = snapshotProcessTree(rootPid);
      assert.equal(tree[0]?.pid, rootPid);
      assert.ok(!tree.some((p) => p.pid === outsider.pid));
      await terminateTree(tree, 500);
      await waitFor(() => !tree.some(isAlive), 'every member to be gone');
      assert.equal(outsider.exitCode, null, 'a process outside the tree was touched');
      assert.equal(outsider.signalCode, null);
    } finally {
      outsider.kill('SIGKILL');
      for (const member of snapshotProcessTree(rootPid).reverse()) process.kill(member.pid, 'SIGKILL');
    }
  });

  it('returns an empty snapshot for a pid that does not exist', () => {
    assert.deepEqual(snapshotProcessTree(2 ** 22 + 1), []);
  });
});
