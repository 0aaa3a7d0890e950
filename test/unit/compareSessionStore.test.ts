import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompareSessionStore, type StoredCompare } from '../../src/extension/compare/compareSessionStore';

const dir = mkdtempSync(join(tmpdir(), `hs-compare-store-${process.pid}-`));
after(() => rmSync(dir, { recursive: true, force: true }));

const entry = (id: string, savedAt: number, onlyAnomalies = false): StoredCompare => ({
  id, savedAt, session: { id, files: [`/c/${id}-a.pcap`, `/c/${id}-b.pcap`], order: null, clocks: [] },
  filters: { onlyAnomalies, flow: '', direction: 'both' },
});

describe('CompareSessionStore (the extension host\'s copy of Compare sessions)', () => {
  it('gives a restored panel the stored copy of its session, newer than the page state', () => {
    const file = join(dir, 'a', 'compare-sessions.json');
    new CompareSessionStore(file).save(entry('p1', 1, true));
    const restored = new CompareSessionStore(file).restore({ id: 'p1', files: ['/c/p1-a.pcap', '/c/p1-b.pcap'], order: null, clocks: [] });
    assert.equal(restored?.filters.onlyAnomalies, true);
  });

  it('gives a panel restored without any session the newest unclaimed one, once', () => {
    const file = join(dir, 'b.json');
    const first = new CompareSessionStore(file);
    first.save(entry('old', 1));
    first.save(entry('new', 2));
    const next = new CompareSessionStore(file);
    assert.equal(next.restore(undefined)?.id, 'new');
    assert.equal(next.restore(undefined)?.id, 'old');
    assert.equal(next.restore(undefined), undefined);
  });

  it('never guesses for a page session without an id (saved before ids existed)', () => {
    const file = join(dir, 'c.json');
    new CompareSessionStore(file).save(entry('x', 1));
    assert.equal(new CompareSessionStore(file).restore({ files: ['/c/x-a.pcap', '/c/x-b.pcap'], order: null, clocks: [] }), undefined);
  });

  it('forgets a closed panel; a damaged file restores nothing and is replaced on the next save', () => {
    const file = join(dir, 'd.json');
    const store = new CompareSessionStore(file);
    store.save(entry('gone', 1));
    store.remove('gone');
    assert.equal(new CompareSessionStore(file).restore(undefined), undefined);
    writeFileSync(file, '{not json');
    assert.equal(new CompareSessionStore(file).restore(undefined), undefined);
    new CompareSessionStore(file).save(entry('y', 3));
    assert.equal((JSON.parse(readFileSync(file, 'utf8')) as StoredCompare[])[0].id, 'y');
  });
});
