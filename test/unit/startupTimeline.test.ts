import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { StartupTimeline } from '../../src/extension/startupTimeline';

function parse(line: string): { startedAt: number; stages: { stage: string; wallMs: number; cpuMs: number }[] } {
  assert.match(line, /^timeline compare \{/);
  return JSON.parse(line.slice('timeline compare '.length)) as ReturnType<typeof parse>;
}

describe('StartupTimeline', () => {
  it('logs one line when the last stage arrives, page stages in time order, each stage once', () => {
    const lines: string[] = [];
    const t = new StartupTimeline('compare', { info: (m) => lines.push(m) }, 'rowsPainted');
    t.mark('panelCreated', t.startedAt + 5);
    t.markPage({ navigationAtMs: t.startedAt + 20, documentFetchedAtMs: t.startedAt + 25, scriptFetchedAtMs: t.startedAt + 40, loadedAtMs: t.startedAt + 50 });
    t.mark('ready', t.startedAt + 60);
    t.mark('ready', t.startedAt + 99); // a second 'ready' (page reload) keeps the first
    t.mark('capturesLoaded', t.startedAt + 30);
    assert.equal(lines.length, 0);
    t.mark('rowsPainted', t.startedAt + 80);
    t.mark('late', t.startedAt + 90);
    t.finish();
    assert.equal(lines.length, 1);
    const logged = parse(lines[0]);
    assert.equal(logged.startedAt, t.startedAt);
    assert.deepEqual(logged.stages.map((s) => [s.stage, s.wallMs]), [
      ['panelCreated', 5], ['pageNavigation', 20], ['documentFetched', 25], ['capturesLoaded', 30], ['scriptFetched', 40], ['scriptLoaded', 50], ['ready', 60], ['rowsPainted', 80],
    ]);
    assert.ok(logged.stages.every((s) => s.cpuMs >= 0));
  });

  it('logs what it has when the view closes before its last stage', () => {
    const lines: string[] = [];
    const t = new StartupTimeline('compare', { info: (m) => lines.push(m) }, 'rowsPainted');
    t.mark('panelCreated');
    t.finish();
    t.finish();
    assert.equal(lines.length, 1);
    assert.deepEqual(parse(lines[0]).stages.map((s) => s.stage), ['panelCreated']);
  });
});
