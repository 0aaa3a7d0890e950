import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';

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
