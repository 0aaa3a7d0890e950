import type { FrameLocator } from 'playwright-core';
import type { Workbench } from './workbench';

const VISIBLE_HOST_FRAME = 'iframe.webview.ready[src*="extensionId=hopscope.hopscope"]:visible';

/** The page of the visible Hopscope webview (outer iframe, then the page's own frame). */
export function hopscopeWebview(wb: Workbench): FrameLocator {
  return wb.page.frameLocator(VISIBLE_HOST_FRAME).frameLocator('iframe#active-frame');
}

/** VS Code's id of the visible Hopscope webview (the `id` of its host frame's URL; its service worker's script URL carries it too). */
export async function hopscopeWebviewId(wb: Workbench): Promise<string> {
  const src = await wb.page.locator(VISIBLE_HOST_FRAME).getAttribute('src');
  const id = src ? new URL(src, wb.page.url()).searchParams.get('id') : null;
  if (!id) throw new Error(`the Hopscope webview's host frame has no id in its URL: ${src ?? '(no src)'}`);
  return id;
}
