import { homedir } from 'node:os';
import { join } from 'node:path';

/** Must match test/e2e/installCodeServer.sh. */
export const CODE_SERVER_VERSION = '4.100.3';

/** Where installCodeServer.sh puts code-server; HOPSCOPE_CODE_SERVER_DIR overrides both. */
export function codeServerDir(): string {
  const cacheRoot = process.env.HOPSCOPE_E2E_CACHE
    ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'hopscope-e2e');
  return process.env.HOPSCOPE_CODE_SERVER_DIR ?? join(cacheRoot, `code-server-${CODE_SERVER_VERSION}`);
}

export function codeServerBin(): string {
  return join(codeServerDir(), 'node_modules', '.bin', 'code-server');
}

/** Screenshots and failure artefacts, relative to the package root (npm runs scripts there). */
export const TEST_RESULTS_DIR = join(process.cwd(), 'test-results');
