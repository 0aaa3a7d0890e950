/**
 * The webviews' strict CSP (src/extension/webviewHtml.ts), checked where it acts: the policy text
 * (nonce scripts only, no inline, no eval, a fresh nonce per page), real Chromium refusing inline
 * handlers, nonce-less scripts and eval on a loaded webview page, and the bundles themselves
 * (no HTML-string sinks, no eval) — so a regression in any of them fails here.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderWebviewHtml } from '../../src/extension/webviewHtml';
import { openWebview, type WebviewPage } from './support/webviewPage';

const BUNDLES = ['compare.js', 'pcapEditor.js'];
const cspOf = (html: string): string => /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1].replace(/&#39;|&apos;/g, "'") ?? '';

describe('webview CSP', () => {
  let w: WebviewPage;
  const violations: string[] = [];
  before(async () => {
    execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
    w = await openWebview('compare.js', 'compare.css');
    await w.page.exposeFunction('__violation', (d: string) => { violations.push(d); });
    // page-side code as text: this tsconfig has no DOM types
    await w.page.evaluate("document.addEventListener('securitypolicyviolation', (e) => { void globalThis.__violation(e.violatedDirective); })");
  });
  after(async () => { await w?.close(); });

  it('the policy allows only nonce scripts: no inline, no eval; every page gets a new nonce', () => {
    const opts = { title: 't', cspSource: 'vscode-resource:', scriptUri: 'a.js', styleUri: 'a.css' };
    const [a, b] = [renderWebviewHtml(opts), renderWebviewHtml(opts)];
    const csp = cspOf(a);
    assert.match(csp, /default-src 'none'/);
    const script = /script-src ([^;]+)/.exec(csp)?.[1].trim() ?? '';
    assert.match(script, /^'nonce-[A-Za-z0-9]{16,}'$/, script);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/);
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    assert.ok(a.includes(`<script nonce="${nonce}" src="a.js">`), 'the one script tag carries the nonce');
    assert.equal((a.match(/<script/g) ?? []).length, 1);
    assert.notEqual(nonce, /'nonce-([^']+)'/.exec(cspOf(b))?.[1]);
  });

  it('Chromium refuses an inline handler and a script without the nonce on a loaded webview page', async () => {
    const ran = await w.page.evaluate(`(async () => {
      const b = document.createElement('button');
      b.setAttribute('onclick', 'globalThis.__inline = 1');
      document.body.append(b);
      b.click();
      const s = document.createElement('script');
      s.textContent = 'globalThis.__noNonce = 1';
      document.body.append(s);
      await new Promise((r) => setTimeout(r, 50));
      return { inline: globalThis.__inline, noNonce: globalThis.__noNonce };
    })()`);
    assert.deepEqual(ran, { inline: undefined, noNonce: undefined });
    assert.ok(violations.some((v) => v.startsWith('script-src')), `violations: ${violations.join(',')}`);
  });

  it('Chromium without a debugger attached (which lifts the eval ban) refuses eval under the policy', () => {
    // Playwright's CDP session lets eval through, so this one runs chromium --dump-dom on the page.
    const dir = mkdtempSync(join(tmpdir(), 'hopscope-csp-'));
    try {
      const probe = 'try { eval("1"); document.body.dataset.r = "eval-ran"; } catch (e) { document.body.dataset.r = "refused:" + e.name; }';
      const html = renderWebviewHtml({ title: 't', cspSource: 'file:', scriptUri: 'none.js', styleUri: 'none.css', nonce: 'probenonce' })
        .replace('<script nonce="probenonce" src="none.js"></script>', `<script nonce="probenonce">${probe}</script>`);
      assert.ok(html.includes(probe));
      const file = join(dir, 'page.html');
      writeFileSync(file, html);
      const dom = execFileSync('/usr/bin/chromium', ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run', `--user-data-dir=${join(dir, 'profile')}`, '--dump-dom', `file://${file}`],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 60000 });
      assert.match(dom, /<body data-r="refused:EvalError">/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the bundles build DOM from text only: no innerHTML-style sinks, no eval, no inline handler attributes', () => {
    for (const name of BUNDLES) {
      const js = readFileSync(join(__dirname, '..', '..', 'media', 'dist', name), 'utf8');
      assert.doesNotMatch(js, /\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML|document\.write/, name);
      assert.doesNotMatch(js, /\beval\(|new Function\(/, name);
      assert.doesNotMatch(js, /setAttribute\(\s*["'`]on/i, name);
    }
  });
});
