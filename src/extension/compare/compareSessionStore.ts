// Compare sessions (files, order, clocks, hosts, filters) kept by the extension host too, in a file of
// the workspace's extension storage. The page's own state is what VS Code hands back after a reload, but
// a browser workbench (code-server) saves it on its own schedule: after a browser reload (F5) a panel
// can come back with an older state (filters lost) or none at all (seen in the e2e tests).
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { CompareFilters, CompareSession } from '../../protocol/compareProtocol';

export interface StoredCompare {
  id: string;
  session: CompareSession;
  filters: CompareFilters;
  savedAt: number;
}

function isStoredCompare(v: unknown): v is StoredCompare {
  const e = v as Partial<StoredCompare> | null;
  return typeof e === 'object' && e !== null && typeof e.id === 'string' && typeof e.savedAt === 'number'
    && typeof e.filters === 'object' && Array.isArray(e.session?.files) && e.session.files.every((f) => typeof f === 'string');
}

/** At most this many sessions are kept (the newest): panels closed while the window was gone stay otherwise. */
const MAX_SESSIONS = 20;

export class CompareSessionStore {
  /** Sessions an open panel of this window owns. */
  private readonly claimed = new Set<string>();

  /** `file` undefined (no workspace storage): nothing is kept, the page's state alone restores. */
  constructor(private readonly file: string | undefined) {}

  private read(): StoredCompare[] {
    if (this.file === undefined) return [];
    try {
      const v: unknown = JSON.parse(readFileSync(this.file, 'utf8'));
      return Array.isArray(v) ? v.filter(isStoredCompare) : [];
    } catch {
      return []; // none yet, or damaged: the page's state still restores
    }
  }

  private write(list: readonly StoredCompare[]): void {
    if (this.file === undefined) return;
    mkdirSync(dirname(this.file), { recursive: true });
    const partial = `${this.file}.partial`;
    writeFileSync(partial, JSON.stringify(list.slice(-MAX_SESSIONS)));
    renameSync(partial, this.file);
  }

  save(entry: StoredCompare): void {
    this.claimed.add(entry.id);
    this.write([...this.read().filter((e) => e.id !== entry.id), entry]);
  }

  /** The user closed the panel. */
  remove(id: string): void {
    this.claimed.delete(id);
    this.write(this.read().filter((e) => e.id !== id));
  }

  /**
   * For a panel VS Code restores with the page's `saved` session: the stored copy of it (it may be newer),
   * or, when the page's state has no session at all, the newest stored one no open panel owns.
   */
  restore(saved: CompareSession | undefined): StoredCompare | undefined {
    const list = this.read();
    const found = saved === undefined
      ? list.filter((e) => !this.claimed.has(e.id)).sort((a, b) => b.savedAt - a.savedAt)[0]
      : list.find((e) => saved.id !== undefined && e.id === saved.id);
    if (found) this.claimed.add(found.id);
    return found;
  }
}
