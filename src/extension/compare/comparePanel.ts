/**
 * Compare Captures: a webview panel (media/src/compare.ts) over the alignment engine. The host loads
 * the captures once, runs the analysis (again when the user reorders hops or sets a host clock), and
 * serves the view model's rows by range. The page keeps the session (files, order, clocks) in its
 * state so the panel is rebuilt after a reload (WebviewPanelSerializer).
 *
 * Host names come from the capture paths (`captures/<host>/<iface>-….pcap`, else the file's folder);
 * the page can set another host for a capture (a file copied elsewhere, a folder named after the case).
 */
import * as vscode from 'vscode';
import { writeFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { basename, join } from 'node:path';
import { captureSetKey } from '../../core/align/captureSetKey';
import { compareCaptures, loadCompareCaptures, type LoadedCaptures } from '../../core/align/compareCaptures';
import { compareToCsv, compareToMarkdown } from '../../core/align/compareExport';
import type { CompareViewModel } from '../../core/align/compareViewModel';
import { defaultCaptureLoaders } from '../../core/align/defaultCaptureLoaders';
import { COMPARE_PAGE_SIZE, type CompareFilters, type CompareSession, type CompareState, type CompareToHostMessage, type HostToCompareMessage } from '../../protocol/compareProtocol';
import { StartupTimeline } from '../startupTimeline';
import { renderWebviewHtml } from '../webviewHtml';
import { inlineWebviewAsset } from '../webviewAssets';
import { CompareSessionStore } from './compareSessionStore';

const VIEW_TYPE = 'hopscope.compare';
/** What the page may set as a capture's host: a name, never a path or markup. */
const HOST_NAME = /^[\w.:-]{1,64}$/;
const CAPTURE_FILE = /\.(pcap|pcapng|cap)$/i;
const DEFAULT_FILTERS: CompareFilters = { onlyAnomalies: false, flow: '', direction: 'both' };

class ComparePanel {
  /** Open panels by the captures they compare (captureSetKey), so the same comparison is shown, not rebuilt. */
  private static readonly open = new Map<string, ComparePanel>();
  private captures: Promise<LoadedCaptures> | undefined;
  private model: CompareViewModel | undefined;
  /** The latest (re)computation; the first starts with the panel. */
  private computing: Promise<CompareViewModel>;
  private readonly clocks = new Map<string, number>(); // host → ns

  constructor(
    private readonly panel: vscode.WebviewPanel, private readonly session: CompareSession,
    private filters: CompareFilters, context: vscode.ExtensionContext, private readonly log: vscode.LogOutputChannel,
    private readonly store: CompareSessionStore, private readonly timeline?: StartupTimeline,
  ) {
    const id = session.id ??= randomUUID();
    const setKey = captureSetKey(session.files);
    ComparePanel.open.set(setKey, this);
    panel.onDidDispose(() => {
      if (ComparePanel.open.get(setKey) === this) ComparePanel.open.delete(setKey);
      store.remove(id);
      timeline?.finish();
    });
    for (const [h, ns] of session.clocks) this.clocks.set(h, ns);
    const media = vscode.Uri.joinPath(context.extensionUri, 'media');
    const dist = vscode.Uri.joinPath(media, 'dist');
    const names = session.files.map((f) => basename(f));
    panel.title = `Compare: ${names.slice(0, 2).join(', ')}${names.length > 2 ? ` +${names.length - 2}` : ''}`;
    panel.webview.options = { enableScripts: true, localResourceRoots: [dist, media] };
    panel.webview.html = renderWebviewHtml({
      title: 'Compare Captures',
      cspSource: panel.webview.cspSource,
      scriptUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(dist, 'compare.js')).toString(),
      styleUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(media, 'compare.css')).toString(),
      script: inlineWebviewAsset(vscode.Uri.joinPath(dist, 'compare.js').fsPath, 'script'),
      style: inlineWebviewAsset(vscode.Uri.joinPath(media, 'compare.css').fsPath, 'style'),
    });
    panel.webview.onDidReceiveMessage((m: CompareToHostMessage) => {
      this.handle(m).catch((e: unknown) => {
        const message = e instanceof Error ? e.message : String(e);
        this.log.error(`compare: ${message}`);
        this.post({ type: 'error', message });
      });
    });
    this.computing = this.compute();
    this.computing.catch(() => undefined); // reported to the page when it is ready
    timeline?.mark('panelCreated');
  }

  private post(m: HostToCompareMessage): void { void this.panel.webview.postMessage(m); }

  /** Into the page's state and the extension host's own copy. */
  private persist(): void {
    this.session.clocks = [...this.clocks];
    try {
      this.store.save({ id: this.session.id ?? '', session: this.session, filters: this.filters, savedAt: Date.now() });
    } catch (e) {
      this.log.warn(`compare: cannot keep the session: ${(e as Error).message}`); // the page's state still has it
    }
    this.post({ type: 'persist', session: this.session, filters: this.filters });
  }

  /**
   * Loads (once) and aligns; the page is told by `publish`. Started from the constructor, so the
   * captures load and align while the webview starts, not after its 'ready'.
   */
  private async compute(): Promise<CompareViewModel> {
    if (!this.captures) {
      const loading = Date.now();
      this.captures = loadCompareCaptures(this.session.files, defaultCaptureLoaders);
      void this.captures.then(() => {
        this.timeline?.mark('capturesLoaded');
        this.log.info(`compare: loaded ${this.session.files.length} captures in ${Date.now() - loading} ms`);
      }, () => undefined);
    }
    const captures = await this.captures;
    const overrides = new Map([...this.clocks].map(([h, ns]) => [h, ns / 1e9]));
    const started = Date.now();
    const hostOverrides = new Map(this.session.hosts ?? []);
    const m = compareCaptures(this.session.files, captures, { order: this.session.order ?? undefined, clockOverrides: overrides, hostOverrides });
    this.model = m;
    this.timeline?.mark('aligned'); // analysis and view model
    this.log.info(`compare: ${m.rowCount} rows from ${this.session.files.length} captures in ${Date.now() - started} ms`);
    return m;
  }

  /** The model, the filtered view with its first page (no request round trip), and the session to keep. */
  private publish(m: CompareViewModel): void {
    this.post({ type: 'model', columns: m.columns, segments: m.segments(), clocks: m.clocks(), verdicts: m.verdictTexts(), flows: m.flows });
    this.timeline?.mark('modelPosted');
    const filters = this.filters.flow && !m.flows.includes(this.filters.flow) ? { ...this.filters, flow: '' } : this.filters;
    const { view, count } = m.applyFilters(filters);
    this.post({ type: 'view', view, count, rows: m.rows(view, 0, COMPARE_PAGE_SIZE) });
    this.timeline?.mark('firstPagePosted');
    this.persist();
  }

  private async run(): Promise<void> {
    this.computing = this.compute();
    this.publish(await this.computing);
  }

  private async handle(m: CompareToHostMessage): Promise<void> {
    switch (m.type) {
      case 'ready':
        this.timeline?.markPage(m);
        this.timeline?.mark('ready');
        this.publish(await this.computing);
        return;
      case 'timing':
        this.timeline?.mark(m.stage, m.atMs);
        return;
      case 'getRows':
        this.timeline?.mark('firstPageRequested');
        if (this.model) this.post({ type: 'rows', view: m.view, start: m.start, rows: this.model.rows(m.view, m.start, m.count) });
        this.timeline?.mark('firstPagePosted');
        return;
      case 'setFilters': {
        this.filters = m.filters;
        this.persist();
        if (!this.model) return;
        const { view, count } = this.model.applyFilters(m.filters);
        this.post({ type: 'view', view, count });
        return;
      }
      case 'reorder':
        if (m.columnIds.length !== this.session.files.length || new Set(m.columnIds).size !== m.columnIds.length) return;
        this.session.order = [...m.columnIds];
        return this.run();
      case 'setClockOffset':
        this.clocks.set(m.host, m.offsetNs);
        // New clocks re-time the hops; the columns stay in the order the user is looking at (inferring
        // the order again from the shifted times would move them around under the edit).
        if (this.model) this.session.order ??= this.model.columns.map((c) => c.id);
        return this.run();
      case 'setHost': {
        const host = m.host.trim();
        if (!HOST_NAME.test(host)) {
          this.post({ type: 'error', message: `"${host.slice(0, 80)}" is not a host name (letters, digits, . _ : -, at most 64)` });
          return;
        }
        if (this.session.files[m.columnId] === undefined) return;
        this.session.hosts = [...(this.session.hosts ?? []).filter(([id]) => id !== m.columnId), [m.columnId, host]];
        if (this.model) this.session.order ??= this.model.columns.map((c) => c.id);
        return this.run();
      }
      case 'reveal': {
        const file = this.session.files[m.columnId];
        if (file === undefined) return;
        await vscode.commands.executeCommand('hopscope.pcapEditor.revealPacket', vscode.Uri.file(file), m.packetNumber);
        return;
      }
      case 'export': return this.export(m.format);
      case 'explainLoss': {
        const seen = this.session.files[m.seenColumnId];
        const next = this.session.files[m.nextColumnId];
        if (seen !== undefined && next !== undefined) await vscode.commands.executeCommand('hopscope.hostChecks.explainDrop', { seenFile: seen, nextFile: next, packetNumber: m.packetNumber });
        return;
      }
    }
  }

  private async export(format: 'markdown' | 'csv'): Promise<void> {
    const m = this.model;
    if (!m) return;
    if (format === 'markdown') {
      await vscode.env.clipboard.writeText(compareToMarkdown(m));
      void vscode.window.showInformationMessage('Comparison copied as Markdown: paste it into the ticket.');
      return;
    }
    const folder = vscode.Uri.file(this.session.files[0]).with({ path: vscode.Uri.file(this.session.files[0]).path.replace(/\/[^/]*$/, '') });
    const target = await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.joinPath(folder, 'compare.csv'), filters: { CSV: ['csv'] } });
    if (!target) return;
    await writeFile(target.fsPath, compareToCsv(m));
    void vscode.window.showInformationMessage(`Exported ${m.rowCount} rows to ${basename(target.fsPath)}.`);
  }

  static create(files: string[], context: vscode.ExtensionContext, log: vscode.LogOutputChannel, store: CompareSessionStore, timeline: StartupTimeline): void {
    // The same captures, unchanged since, are already compared in a panel: show it with its hop order,
    // clocks and filters (a changed or re-captured file gives another key, hence a fresh comparison).
    const open = ComparePanel.open.get(captureSetKey(files));
    if (open) {
      log.info(`compare: the ${files.length} captures are already compared in an open panel; revealing it`);
      open.panel.reveal();
      return;
    }
    const panel = vscode.window.createWebviewPanel(VIEW_TYPE, 'Compare Captures', vscode.ViewColumn.Active, { enableScripts: true });
    new ComparePanel(panel, { files, order: null, clocks: [] }, DEFAULT_FILTERS, context, log, store, timeline);
  }
}

/** The captures of the command's arguments (Explorer: clicked + selection; other features: Uri[]), or picked. */
async function resolveFiles(a: unknown, b: unknown): Promise<string[] | undefined> {
  const asUris = (v: unknown): vscode.Uri[] => (Array.isArray(v) ? v.filter((u): u is vscode.Uri => u instanceof vscode.Uri) : v instanceof vscode.Uri ? [v] : []);
  let uris = asUris(b).length > 1 ? asUris(b) : asUris(a);
  if (uris.length < 2) {
    const picked = await vscode.window.showOpenDialog({
      canSelectMany: true, defaultUri: uris[0], openLabel: 'Compare', title: 'Captures of one path, taken at the same time on several hops',
      filters: { Captures: ['pcap', 'pcapng', 'cap'] },
    });
    if (!picked) return undefined;
    uris = [...uris, ...picked.filter((p) => !uris.some((u) => u.toString() === p.toString()))];
  }
  const bad = uris.filter((u) => u.scheme !== 'file' || !CAPTURE_FILE.test(u.path));
  if (bad.length) throw new Error(`not local capture files: ${bad.map((u) => u.toString()).join(', ')}`);
  if (uris.length < 2) throw new Error('Compare Captures needs at least two captures');
  return uris.map((u) => u.fsPath);
}

export function register(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): vscode.Disposable[] {
  const store = new CompareSessionStore(context.storageUri ? join(context.storageUri.fsPath, 'compare-sessions.json') : undefined);
  return [
    vscode.commands.registerCommand('hopscope.compare.open', async (a: unknown, b: unknown) => {
      const timeline = new StartupTimeline('compare', log, 'rowsPainted');
      try {
        const files = await resolveFiles(a, b);
        if (files) ComparePanel.create(files, context, log, store, timeline);
      } catch (e) {
        void vscode.window.showErrorMessage(`Compare Captures: ${(e as Error).message}`);
      }
    }),
    vscode.window.registerWebviewPanelSerializer(VIEW_TYPE, {
      deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
        const s = state as Partial<CompareState> | undefined;
        const saved = s?.session && Array.isArray(s.session.files) ? s.session : undefined;
        const stored = store.restore(saved);
        const session = stored?.session ?? saved;
        if (!session) {
          log.warn(`compare: a panel without a saved session was not restored (state: ${JSON.stringify(state)?.slice(0, 200)})`);
          panel.dispose(); // nothing to rebuild it from
          return Promise.resolve();
        }
        log.info(`compare: restoring the panel of ${session.files.length} captures (${stored ? 'extension host copy' : 'page state'})`);
        new ComparePanel(panel, session, stored?.filters ?? s?.filters ?? DEFAULT_FILTERS, context, log, store, new StartupTimeline('compare-restore', log, 'rowsPainted'));
        return Promise.resolve();
      },
    }),
  ];
}
