/** Reads a fixture of test/fixtures/discovery (real command output unless its README says otherwise). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const discoveryFixtureDir = join(import.meta.dirname, '..', 'fixtures', 'discovery');

export function discoveryFixture(relPath: string): string {
  return readFileSync(join(discoveryFixtureDir, relPath), 'utf8');
}
