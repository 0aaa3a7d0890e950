// `npm run test:e2e`: builds and packages the extension once, then runs the e2e files (scripts/run-tests.mjs;
// arguments pass through, default test/e2e) with HOPSCOPE_E2E_VSIX naming that vsix, so no file packages
// its own. The vsix is finished before any file starts and only read after, so parallel files are safe.
// A file run alone (`node scripts/run-tests.mjs test/e2e/<file>`) still packages for itself.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageExtension, SHARED_VSIX_ENV } from './support/extensionPackage';

const args = process.argv.slice(2);
const dir = mkdtempSync(join(tmpdir(), `hs-e2e-vsix-${process.pid}-`));
const removeDir = (): void => rmSync(dir, { recursive: true, force: true });
process.once('exit', removeDir);

const started = Date.now();
const vsix = join(dir, 'hopscope.vsix');
const bytes = packageExtension(vsix);
console.log(`e2e suite: packaged once (${bytes} bytes) in ${Date.now() - started} ms`);

const child = spawn(process.execPath, [join(process.cwd(), 'scripts', 'run-tests.mjs'), ...(args.some((a) => !a.startsWith('--')) ? args : [...args, 'test/e2e'])], {
  stdio: 'inherit',
  env: { ...process.env, [SHARED_VSIX_ENV]: vsix },
});
// Ctrl-C reaches the whole process group; a signal sent to this process alone is passed on.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => {
  console.log(`e2e suite: ${Date.now() - started} ms`);
  process.exit(code ?? (signal ? 1 : 0));
});
