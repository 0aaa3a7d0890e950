/**
 * The webview bundles and stylesheets put into the page's HTML instead of fetched by it: a webview's
 * resources come through VS Code's service worker and the workbench (in code-server: over its
 * connection to the server), 0.1–1 s before the script can start on a loaded machine (issue #6, the
 * start-up timeline). Read once per extension host: they only change with the extension.
 */
import { readFileSync } from 'node:fs';

const cache = new Map<string, string | null>();

/**
 * The text of a webview asset, or undefined when it cannot be read or cannot sit inside its HTML
 * element (`</script`, `</style` or `<!--` in it): the page then loads it by URI as before.
 */
export function inlineWebviewAsset(fsPath: string, kind: 'script' | 'style'): string | undefined {
  let text = cache.get(fsPath);
  if (text === undefined) {
    try {
      text = readFileSync(fsPath, 'utf8');
      if (new RegExp(`</${kind}|<!--`, 'i').test(text)) text = null;
    } catch {
      text = null;
    }
    cache.set(fsPath, text);
  }
  return text ?? undefined;
}
