/**
 * The HTML shell of every Hopscope webview: a strict Content-Security-Policy (no inline script,
 * no eval, scripts only with this page's nonce, styles and images only from the extension), one
 * bundled script and one stylesheet, by URI or put inline (with the nonce: src/extension/webviewAssets.ts
 * says why). Pure string building so it is testable without VS Code.
 */
import { randomBytes } from 'node:crypto';

export interface WebviewHtmlOptions {
  title: string;
  /** `webview.cspSource` */
  cspSource: string;
  scriptUri: string;
  styleUri: string;
  /** The script's text, put inline instead of `scriptUri` (it holds no `</script` nor `<!--`). */
  script?: string;
  /** The stylesheet's text, put inline instead of `styleUri` (no `</style`). */
  style?: string;
  nonce?: string;
}

export function createNonce(): string {
  return randomBytes(18).toString('base64').replace(/[+/=]/g, '');
}

function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function renderWebviewHtml(o: WebviewHtmlOptions): string {
  const nonce = o.nonce ?? createNonce();
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${o.cspSource} 'nonce-${nonce}'`,
    `img-src ${o.cspSource} data:`,
    `font-src ${o.cspSource}`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttr(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${o.style !== undefined ? `<style nonce="${nonce}">${o.style}</style>` : `<link rel="stylesheet" href="${escapeAttr(o.styleUri)}">`}
<title>${escapeAttr(o.title)}</title>
</head>
<body>
<div id="app"></div>
${o.script !== undefined ? `<script nonce="${nonce}">${o.script}</script>` : `<script nonce="${nonce}" src="${escapeAttr(o.scriptUri)}"></script>`}
</body>
</html>`;
}
