import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Set by test/e2e/runSuite.ts (`npm run test:e2e`): a vsix packaged once before any test file starts.
 * The files only read it (code-server copies it when installing), so parallel files can share it.
 */
export const SHARED_VSIX_ENV = 'HOPSCOPE_E2E_VSIX';

/**
 * Builds the production bundles and packages them into a .vsix at `outFile`. The extension bundles
 * its npm dependencies with esbuild, hence --no-dependencies. Returns the vsix size in bytes.
 */
export function packageExtension(outFile: string): number {
  const root = process.cwd();
  execFileSync(process.execPath, [join(root, 'scripts/build.mjs'), '--production'], { cwd: root, stdio: 'inherit' });
  execFileSync(
    process.execPath,
    [join(root, 'node_modules/@vscode/vsce/vsce'), 'package', '--no-dependencies', '--skip-license',
      // README images are relative paths; vsce needs a base URL for them (the repository is not on GitHub).
      '--baseImagesUrl', 'https://example.invalid/hopscope/raw/main/', '-o', outFile],
    { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  return statSync(outFile).size;
}

export interface ExtensionPackage {
  vsix: string;
  bytes: number;
  /** True when the suite's shared vsix is used (nothing was built here). */
  shared: boolean;
}

/** The suite's shared vsix when there is one, else a fresh build packaged into `runDir`. */
export function extensionPackageFor(runDir: string): ExtensionPackage {
  const shared = process.env[SHARED_VSIX_ENV];
  if (shared !== undefined && shared !== '') {
    // Set but missing is an error, not a silent rebuild: the suite runner removed it or the path is wrong.
    if (!existsSync(shared)) throw new Error(`${SHARED_VSIX_ENV}=${shared} does not exist`);
    return { vsix: shared, bytes: statSync(shared).size, shared: true };
  }
  const vsix = join(runDir, 'hopscope.vsix');
  return { vsix, bytes: packageExtension(vsix), shared: false };
}
