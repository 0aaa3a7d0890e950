/**
 * Loads a bundled webview front-end into real Chromium (playwright-core + Debian's chromium) inside
 * the same HTML shell and CSP the extension uses. VS Code's host side is replaced by a page-level
 * stand-in for `acquireVsCodeApi` that records outgoing messages and lets the test post replies —
 * the webview cannot tell the difference, which is what these tests check.
 */
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { renderWebviewHtml } from '../../../src/extension/webviewHtml';
import { inlineWebviewAsset } from '../../../src/extension/webviewAssets';

const CHROMIUM_ARGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
  '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1'];

// Stand-in for VS Code's webview API: records messages, keeps state across a simulated reload.
const VSCODE_API_STUB = `
window.__sent = [];
window.__state = JSON.parse(sessionStorage.getItem('state') || 'null');
window.acquireVsCodeApi = () => ({
  postMessage: (m) => window.__sent.push(m),
  getState: () => window.__state ?? undefined,
  setState: (s) => { window.__state = s; sessionStorage.setItem('state', JSON.stringify(s)); },
});`;

export interface WebviewPage {
  page: Page;
  /** Messages the webview posted to the host so far. */
  sent(): Promise<unknown[]>;
  /** Delivers a host message to the webview. */
  post(message: unknown): Promise<void>;
  close(): Promise<void>;
}

/** `inline`: the bundle and stylesheet inside the HTML, as the extension sends them (else fetched by URI). */
export async function openWebview(bundle: string, style: string, options: { inline?: boolean } = {}): Promise<WebviewPage> {
  const root = join(__dirname, '..', '..', '..', 'media');
  const html = renderWebviewHtml({
    title: 'test', cspSource: 'http://127.0.0.1:*', scriptUri: `/dist/${bundle}`, styleUri: `/${style}`, nonce: 'pagenonce',
    script: options.inline ? inlineWebviewAsset(join(root, 'dist', bundle), 'script') : undefined,
    style: options.inline ? inlineWebviewAsset(join(root, style), 'style') : undefined,
  })
    .replace('<script nonce="pagenonce"', `<script nonce="pagenonce">${VSCODE_API_STUB}</script>\n<script nonce="pagenonce"`);
  const server: Server = createServer((req, res) => {
    const url = req.url ?? '/';
    if (url === '/' || url.startsWith('/?')) { res.setHeader('content-type', 'text/html'); res.end(html); return; }
    try {
      const body = readFileSync(join(root, url.replace(/\?.*$/, '')));
      res.setHeader('content-type', url.endsWith('.css') ? 'text/css' : 'text/javascript');
      res.end(body);
    } catch {
      res.statusCode = 404;
      res.end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
    await page.route('**/*', (route) => (new URL(route.request().url()).hostname === '127.0.0.1' ? route.continue() : route.abort()));
    await page.goto(`http://127.0.0.1:${port}/`);
    const b = browser;
    return {
      page,
      sent: () => page.evaluate(() => (globalThis as unknown as { __sent: unknown[] }).__sent),
      post: (message) => page.evaluate((m) => { (globalThis as unknown as { postMessage(m: unknown, origin: string): void }).postMessage(m, '*'); }, message),
      close: async () => { await b.close(); server.close(); },
    };
  } catch (e) {
    await browser?.close();
    server.close();
    throw e;
  }
}
