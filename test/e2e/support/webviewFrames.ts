import type { FrameLocator } from 'playwright-core';
import type { Workbench } from './workbench';

/** The page of the visible Hopscope webview (outer iframe, then the page's own frame). */
export function hopscopeWebview(wb: Workbench): FrameLocator {
  return wb.page.frameLocator('iframe.webview.ready[src*="extensionId=hopscope.hopscope"]:visible').frameLocator('iframe#active-frame');
}
