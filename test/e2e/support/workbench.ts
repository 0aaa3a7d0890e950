import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { TEST_RESULTS_DIR } from './paths';

const CHROMIUM = process.env.HOPSCOPE_E2E_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
  // Stops Chromium's own lookups of Google hosts; the page itself is limited by the route below.
  '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1',
];

/** Items of a context menu ignore mouseup for their first 100 ms: a click sooner is lost silently. */
const CONTEXT_MENU_SETTLE_MS = 300;

export interface Workbench {
  page: Page;
  /** Runs a command by its palette title (F1). */
  runCommand(title: string): Promise<void>;
  /** A tree row whose accessible label starts with `label`. */
  treeRow(label: string, within?: Locator): Locator;
  /** Right-clicks `row`, clicks `item` in the context menu, and checks the menu closed; returns performance.now() of the click. */
  contextMenu(row: Locator, item: string): Promise<number>;
  /** The text lines of the active editor (non-breaking spaces turned back into spaces). */
  editorLines(): Promise<string[]>;
  /** Saves test-results/<name>.png and returns its path. */
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

/** Opens code-server's workbench in Debian's Chromium and waits until the Hopscope activity-bar icon shows. */
export async function openWorkbench(url: string, options: { runDir: string; activityTitle?: string }): Promise<Workbench> {
  const activityTitle = options.activityTitle ?? 'Hopscope';
  const browser: Browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    // Chromium keeps crash reports and caches under XDG dirs (else ~/.config/chromium): keep them in the run.
    env: { ...process.env, XDG_CONFIG_HOME: join(options.runDir, 'chromium', 'config'), XDG_CACHE_HOME: join(options.runDir, 'chromium', 'cache') },
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const allowedHost = new URL(url).hostname;
    await context.route('**/*', (route) =>
      new URL(route.request().url()).hostname === allowedHost ? route.continue() : route.abort());
    const page = await context.newPage();
    await page.goto(url);
    try {
      await page.locator(`.part.activitybar a.action-label[aria-label^="${activityTitle}"]`)
        .waitFor({ state: 'visible', timeout: 60_000 });
    } catch (error) {
      mkdirSync(TEST_RESULTS_DIR, { recursive: true });
      await page.screenshot({ path: join(TEST_RESULTS_DIR, 'workbench-not-ready.png') }).catch(() => undefined);
      throw error;
    }
    return makeWorkbench(page, browser);
  } catch (error) {
    await browser.close();
    throw error;
  }
}

function makeWorkbench(page: Page, browser: Browser): Workbench {
  return {
    page,
    async runCommand(title) {
      const input = page.locator('.quick-input-widget .quick-input-box input');
      const row = page.locator(`.quick-input-widget .monaco-list-row[aria-label^="${title}"]`).first();
      const visible = (l: typeof input): Promise<boolean> => l.waitFor({ state: 'visible', timeout: 10_000 }).then(() => true, () => false);
      // A webview that takes the keyboard focus back (late, on a loaded machine) closes the palette
      // opened over it: open it again, on the condition, a few times.
      for (let attempt = 1; ; attempt++) {
        await page.keyboard.press('F1');
        if (await visible(input)) {
          await input.fill(`>${title}`);
          if (await visible(row)) break;
        }
        if (attempt === 3) throw new Error(`the command palette did not stay open to run '${title}'`);
      }
      await input.press('Enter');
    },
    treeRow(label, within) {
      return (within ?? page).locator(`.monaco-list-row[role="treeitem"][aria-label^="${label}"]`).first();
    },
    async contextMenu(row, item) {
      await row.click({ button: 'right' });
      const menuItem = page.getByRole('menuitem', { name: item }).first();
      await menuItem.waitFor({ state: 'visible' });
      await page.waitForTimeout(CONTEXT_MENU_SETTLE_MS); // VS Code's own guard time, see above
      const clickedAt = performance.now();
      await menuItem.click();
      await page.locator('.context-view .monaco-menu').waitFor({ state: 'hidden' });
      return clickedAt;
    },
    async editorLines() {
      // Monaco positions its lines absolutely and reuses the elements: order them by their offset.
      const lines = await page.locator('.editor-group-container.active .monaco-editor .view-line')
        .evaluateAll((elements) => elements.map((element) => ({
          top: Number.parseFloat((element as unknown as { style: { top: string } }).style.top),
          text: element.textContent ?? '',
        })));
      return lines.sort((a, b) => a.top - b.top).map((line) => line.text.replace(/\u00a0/g, ' '));
    },
    async screenshot(name) {
      mkdirSync(TEST_RESULTS_DIR, { recursive: true });
      const path = join(TEST_RESULTS_DIR, `${name}.png`);
      await page.screenshot({ path });
      return path;
    },
    async close() {
      await browser.close();
    },
  };
}
