/**
 * The pcap custom editor (`hopscope.pcapEditor`): a read-only custom editor whose document is a
 * CaptureBrowser (indexed once per file, shared by every editor of it) and whose webview is
 * media/src/pcapEditor.ts. Rows, filters and the decode tree are served on request by range.
 *
 * Registered with priority "default" for *.pcap, *.pcapng and *.cap: VS Code has no editor of its
 * own for them (the text editor refuses binary files), so a double-click should open the packets;
 * "Open With…" still offers the text editor, and "Print Capture File" gives tcpdump text.
 */
import * as vscode from 'vscode';
import { basename } from 'node:path';
import { CaptureBrowser } from '../../core/browse/captureBrowser';
import { DisplayFilterError } from '../../core/filter/displayFilterSyntax';
import type { CaptureIndex } from '../../core/pcap/captureIndex';
import { PCAP_EDITOR_PAGE_SIZE, type EditorToHostMessage, type HostToEditorMessage } from '../../protocol/pcapEditorProtocol';
import { StartupTimeline } from '../startupTimeline';
import { renderWebviewHtml } from '../webviewHtml';
import { inlineWebviewAsset } from '../webviewAssets';
import { CaptureStatisticsCache, sendCaptureStatistics } from './captureStatistics';
import { registerSliceCommands } from './sliceCommands';
import { followStreamInEditor, registerFollowStream } from './followStreamCommand';

export const PCAP_EDITOR_VIEW_TYPE = 'hopscope.pcapEditor';
const statisticsCache = new CaptureStatisticsCache();

class CaptureDocument implements vscode.CustomDocument {
  readonly browser: CaptureBrowser;
  readonly opened: Promise<CaptureIndex>;
  /** Packets indexed so far (for editors that open while indexing runs). */
  indexed = 0;
  complete = false;
  private readonly progress = new vscode.EventEmitter<number>();
  readonly onProgress = this.progress.event;

  constructor(readonly uri: vscode.Uri, readonly timeline: StartupTimeline) {
    this.browser = new CaptureBrowser(uri.fsPath);
    this.opened = this.browser.open((n) => { this.indexed = n; this.progress.fire(n); });
    this.opened.then(() => { this.complete = true; timeline.mark('indexed'); }, () => undefined); // errors are reported to each editor
  }

  dispose(): void { this.progress.dispose(); this.timeline.finish(); }
}

/** One webview showing a document; knows the page's current view for reveals and exports. */
class EditorSession {
  view = 0;
  /** The page's selected packet and applied filter text (for Export Packets…). */
  selected = 0;
  filter = '';

  /** The rows shown (Export Packets… → Displayed packets). */
  displayedPackets(): { count: number; packetIndexes: Uint32Array | undefined } {
    const b = this.doc.browser;
    return { count: b.viewSize(this.view), packetIndexes: b.viewPacketIndexes(this.view) };
  }
  private ready = false;
  private pendingReveal: number | undefined;

  constructor(readonly doc: CaptureDocument, readonly panel: vscode.WebviewPanel, private readonly log: vscode.LogOutputChannel) {}

  post(m: HostToEditorMessage): void { void this.panel.webview.postMessage(m); }

  async handle(m: EditorToHostMessage): Promise<void> {
    const b = this.doc.browser;
    switch (m.type) {
      case 'ready':
        this.doc.timeline.markPage(m);
        this.doc.timeline.mark('ready');
        return this.start();
      case 'timing':
        this.doc.timeline.mark(m.stage, m.atMs);
        return;
      case 'getRows': {
        this.doc.timeline.mark('firstPageRequested');
        await this.doc.opened;
        this.post({ type: 'rows', view: m.view, start: m.start, rows: await b.rows(m.view, m.start, m.count) });
        return;
      }
      case 'applyFilter': {
        await this.doc.opened;
        try {
          const { view, count } = await b.applyFilter(m.text);
          this.view = view;
          this.filter = m.text;
          b.forgetViews(view);
          this.post({ type: 'view', view, count, filter: m.text });
        } catch (e) {
          if (e instanceof DisplayFilterError) this.post({ type: 'filterError', message: e.message, position: e.position });
          else throw e;
        }
        return;
      }
      case 'select': this.selected = m.number; return this.sendDetail(m.number);
      case 'getStats': return sendCaptureStatistics(statisticsCache, this.doc, this.doc.uri.fsPath, (x) => this.post(x));
      case 'goto': return this.reveal(m.number);
      case 'followStream': this.selected = m.number; return followStreamInEditor(this, m.number);
    }
  }

  private async start(): Promise<void> {
    const sub = this.doc.onProgress((n) => this.post({ type: 'progress', packetCount: n, done: false }));
    this.post({ type: 'progress', packetCount: this.doc.indexed, done: false });
    // A large file's index can finish after the page is up: its first rows, read directly, show meanwhile.
    if (!this.doc.complete) void this.sendRowsWhileIndexing();
    try {
      const index = await this.doc.opened;
      this.post({ type: 'init', fileName: basename(this.doc.uri.fsPath), firstTsSec: index.firstTsSec, firstTsNsec: index.firstTsNsec });
      // The first page goes with the count: the page shows rows without asking for them.
      const firstRows = await this.doc.browser.rows(0, 0, PCAP_EDITOR_PAGE_SIZE);
      this.post({
        type: 'progress', packetCount: index.count, done: true, firstRows,
        error: index.error ? `${index.error.message} (the ${index.count} packets before it are shown)` : undefined,
      });
      this.doc.timeline.mark('firstPagePosted');
      this.ready = true;
      if (this.pendingReveal !== undefined) await this.reveal(this.pendingReveal);
    } catch (e) {
      this.log.warn(`pcap editor: cannot open ${this.doc.uri.fsPath}: ${(e as Error).message}`);
      this.post({ type: 'progress', packetCount: 0, done: true, error: `Cannot open ${basename(this.doc.uri.fsPath)}: ${(e as Error).message}` });
    } finally {
      sub.dispose();
    }
  }

  private async sendRowsWhileIndexing(): Promise<void> {
    try {
      const firstRows = await this.doc.browser.firstRows(PCAP_EDITOR_PAGE_SIZE);
      if (this.doc.complete || firstRows.length === 0) return; // the index's own first page is on its way
      this.post({ type: 'progress', packetCount: Math.max(this.doc.indexed, firstRows.length), done: false, firstRows });
      this.doc.timeline.mark('firstPagePostedWhileIndexing');
    } catch {
      // a damaged start of file: the index reports it
    }
  }

  private async sendDetail(n: number): Promise<void> {
    await this.doc.opened;
    const d = await this.doc.browser.detail(n);
    if (d) this.post({ type: 'detail', number: n, layers: d.layers, bytesBase64: Buffer.from(d.bytes).toString('base64') });
  }

  /** Selects and scrolls to a packet (now, or once the page and the index are ready). */
  async reveal(n: number): Promise<void> {
    if (!this.ready) { this.pendingReveal = n; return; }
    this.pendingReveal = undefined;
    this.post({ type: 'reveal', number: n, index: this.doc.browser.rowOf(this.view, n) });
    if (n >= 1 && n <= this.doc.browser.packetCount) await this.sendDetail(n);
  }
}

class PcapEditorProvider implements vscode.CustomReadonlyEditorProvider<CaptureDocument> {
  readonly sessions = new Set<EditorSession>();
  active: EditorSession | undefined;

  constructor(private readonly context: vscode.ExtensionContext, private readonly log: vscode.LogOutputChannel) {}

  openCustomDocument(uri: vscode.Uri): CaptureDocument {
    if (uri.scheme !== 'file') throw new Error(`only local capture files can be opened, not ${uri.scheme}:`);
    return new CaptureDocument(uri, new StartupTimeline('pcapEditor', this.log, 'rowsPainted'));
  }

  resolveCustomEditor(doc: CaptureDocument, panel: vscode.WebviewPanel): void {
    doc.timeline.mark('panelCreated');
    const media = vscode.Uri.joinPath(this.context.extensionUri, 'media');
    const dist = vscode.Uri.joinPath(media, 'dist');
    panel.webview.options = { enableScripts: true, localResourceRoots: [dist, media] };
    panel.webview.html = renderWebviewHtml({
      title: basename(doc.uri.fsPath),
      cspSource: panel.webview.cspSource,
      scriptUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(dist, 'pcapEditor.js')).toString(),
      styleUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(media, 'pcapEditor.css')).toString(),
      script: inlineWebviewAsset(vscode.Uri.joinPath(dist, 'pcapEditor.js').fsPath, 'script'),
      style: inlineWebviewAsset(vscode.Uri.joinPath(media, 'pcapEditor.css').fsPath, 'style'),
    });
    const session = new EditorSession(doc, panel, this.log);
    this.sessions.add(session);
    if (panel.active) this.active = session;
    panel.onDidChangeViewState(() => { if (panel.active) this.active = session; });
    panel.webview.onDidReceiveMessage((m: EditorToHostMessage) => {
      session.handle(m).catch((e: unknown) => this.log.error(`pcap editor ${doc.uri.fsPath}: ${(e as Error).message}`));
    });
    panel.onDidDispose(() => {
      this.sessions.delete(session);
      if (this.active === session) this.active = undefined;
    });
  }

  sessionOf(uri: vscode.Uri): EditorSession | undefined {
    let found: EditorSession | undefined;
    for (const s of this.sessions) if (s.doc.uri.toString() === uri.toString()) found = s.panel.active ? s : (found ?? s);
    return found;
  }
}

async function revealPacket(provider: PcapEditorProvider, uri: unknown, packetNumber: unknown): Promise<void> {
  if (!(uri instanceof vscode.Uri) || typeof packetNumber !== 'number' || !Number.isInteger(packetNumber) || packetNumber < 1) {
    throw new Error('hopscope.pcapEditor.revealPacket wants (uri, packetNumber ≥ 1)');
  }
  await vscode.commands.executeCommand('vscode.openWith', uri, PCAP_EDITOR_VIEW_TYPE, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false });
  const session = provider.sessionOf(uri);
  if (!session) throw new Error(`no pcap editor opened for ${uri.fsPath}`);
  await session.reveal(packetNumber);
}

export function register(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): vscode.Disposable[] {
  const provider = new PcapEditorProvider(context, log);
  return [
    vscode.window.registerCustomEditorProvider(PCAP_EDITOR_VIEW_TYPE, provider, {
      webviewOptions: { retainContextWhenHidden: false },
      supportsMultipleEditorsPerDocument: true,
    }),
    vscode.commands.registerCommand('hopscope.pcapEditor.revealPacket', (uri: unknown, n: unknown) => revealPacket(provider, uri, n)),
    ...registerSliceCommands(() => provider.active, PCAP_EDITOR_VIEW_TYPE),
    ...registerFollowStream(() => provider.active),
  ];
}
