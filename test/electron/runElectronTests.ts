// Runs the extension's tests inside a downloaded VS Code (Electron) with @vscode/test-electron.
// Only for machines with internet access: the download comes from update.code.visualstudio.com.
// @vscode/test-electron is deliberately not a dependency (this project's CI machines cannot reach
// that host; test/e2e drives code-server instead), so the package is loaded dynamically here.
import { resolve } from 'node:path';

interface TestElectron {
  runTests(options: {
    extensionDevelopmentPath: string;
    extensionTestsPath: string;
    launchArgs?: string[];
    version?: string;
  }): Promise<number>;
}

async function loadTestElectron(): Promise<TestElectron | undefined> {
  const specifier = '@vscode/test-electron';
  try {
    return (await import(specifier)) as TestElectron;
  } catch {
    return undefined;
  }
}

async function main(): Promise<number> {
  const testElectron = await loadTestElectron();
  if (testElectron === undefined) {
    console.error(
      'test:electron needs @vscode/test-electron, which is not installed (it downloads VS Code from the\n' +
      'internet). On a machine with internet access: `npm install --no-save @vscode/test-electron`, then\n' +
      're-run `npm run test:electron`. Without internet, `npm run test:e2e` runs the same kind of\n' +
      'scenarios in code-server.',
    );
    return 2;
  }
  const root = process.cwd(); // npm runs scripts from the package root
  return testElectron.runTests({
    version: '1.100.3',
    extensionDevelopmentPath: root,
    extensionTestsPath: resolve(root, 'test/electron/suite/index.js'),
    launchArgs: ['--disable-extensions', '--disable-workspace-trust'],
  });
}

main().then(
  (code) => { process.exitCode = code; },
  (error: unknown) => { console.error(error); process.exitCode = 1; },
);
