// Bundles every entry point with esbuild. esbuild does not type-check: `npm run typecheck` does.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';

const production = process.argv.includes('--production');
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  // ssh2's optional native parts must stay external (they are loaded with try/catch).
  external: ['vscode', 'cpu-features', './crypto/build/Release/sshcrypto.node'],
};

const entries = [
  { in: 'src/extension/extension.ts', out: 'dist/extension.js' },
  { in: 'src/cli/main.ts', out: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  { in: 'src/server/server.ts', out: 'dist/server.js' },
  // Worker thread of `hopscope align` and Compare Captures (found beside cli.js / extension.js).
  { in: 'src/core/align/parseCaptureWorker.ts', out: 'dist/alignParseWorker.js' },
];

const jobs = entries
  .filter((e) => existsSync(e.in))
  .map((e) => build({ ...common, entryPoints: [e.in], outfile: e.out, banner: e.banner }));

// Webview front-ends: browser bundles, one per file in media/src/*.ts.
const webviews = ['media/src/compare.ts', 'media/src/pcapEditor.ts'].filter((f) => existsSync(f));
if (webviews.length > 0) {
  jobs.push(build({
    bundle: true, platform: 'browser', target: 'es2022', format: 'iife', sourcemap: !production,
    minify: production, logLevel: 'warning', entryPoints: webviews, outdir: 'media/dist',
  }));
}
await Promise.all(jobs);
