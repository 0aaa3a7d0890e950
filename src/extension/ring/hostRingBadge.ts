// A warning badge on a host in the Hosts view when ring-buffer tcpdumps run there that this window does
// not list (a forgotten ring keeps a tcpdump running on a production host). Checked in the background
// once a host's children have loaded (its discovery finished): never awaited by the tree, time-boxed,
// and a host whose check fails just gets no badge.
import * as vscode from 'vscode';
import { hostNodeUri } from '../hosts/hostsTreeNodes';
import type { HostsModel } from '../hosts/hostsModel';
import type { RingCaptureManager } from './ringCaptureManager';
import type { FoundHostRing, RingHostFinder, HostRingReport } from './ringHostFinder';

/** The scan is given this long on the host; the whole check (connecting included) a little more. */
const SCAN_TIMEOUT_MS = 8000;
const CHECK_TIMEOUT_MS = 10_000;

export class HostRingBadge implements vscode.FileDecorationProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri[]>();
  readonly onDidChangeFileDecorations = this.changed.event;
  private readonly reports = new Map<string, HostRingReport>();
  private readonly checking = new Set<string>();
  private readonly subscriptions: { dispose(): void }[];

  constructor(hosts: HostsModel, private readonly rings: RingCaptureManager, private readonly finder: RingHostFinder, private readonly log: vscode.LogOutputChannel) {
    this.subscriptions = [
      hosts.onDidChange((alias) => {
        if (alias !== undefined && hosts.state(alias).status === 'done') void this.check(alias);
      }),
      // Adopting or forgetting a ring changes what this window knows: redraw without asking the host again.
      rings.onDidChange(() => this.changed.fire([...this.reports.keys()].map(hostNodeUri))),
    ];
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }

  /** The latest report of a host (e.g. from "Find Ring Captures on Host"), shown without a new scan. */
  update(report: HostRingReport): void {
    this.reports.set(report.host, report);
    this.changed.fire([hostNodeUri(report.host)]);
  }

  async check(alias: string): Promise<void> {
    if (this.checking.has(alias)) return;
    this.checking.add(alias);
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`no answer in ${CHECK_TIMEOUT_MS / 1000} s`)), CHECK_TIMEOUT_MS); });
      this.update(await Promise.race([this.finder.scan(alias, SCAN_TIMEOUT_MS), timeout]));
    } catch (e) {
      this.log.info(`ring check of ${alias} skipped: ${e instanceof Error ? e.message : String(e)}`);
      if (this.reports.delete(alias)) this.changed.fire([hostNodeUri(alias)]);
    } finally {
      clearTimeout(timer);
      this.checking.delete(alias);
    }
  }

  provideFileDecoration(uri: vscode.Uri): vscode.FileDecoration | undefined {
    if (uri.scheme !== 'hopscope-host') return undefined;
    const alias = decodeURIComponent(uri.path.slice(1));
    const report = this.reports.get(alias);
    if (!report) return undefined;
    const unlisted = report.rings.filter((r) => !this.rings.get(`${alias}/${r.captureId}`));
    const unknown = unlisted.filter((r) => r.state === 'running' || r.state === 'no-directory');
    // Rings whose tcpdump the scan could not have seen: not counted as running, not passed over as stopped either.
    const maybe = unlisted.filter((r) => r.state === 'unknown');
    const line = (r: FoundHostRing): string => `${r.iface ?? '?'} ${r.filter ? `(${r.filter}) ` : ''}${r.state === 'no-directory' ? 'directory deleted' : ''}${r.startedBy ? ` by ${r.startedBy}` : ''}`;
    const maybeLines = maybe.length === 0 ? [] : [vscode.l10n.t('{0} ring(s) here may be running (this login cannot see their tcpdump):', maybe.length), ...maybe.map(line)];
    if (unknown.length === 0) {
      // We cannot tell whether other users' rings run: say so rather than show a clean host.
      if (report.limits.length === 0 && maybe.length === 0) return undefined;
      return new vscode.FileDecoration('?', [...maybeLines, ...report.limits].join('\n'), new vscode.ThemeColor('list.warningForeground'));
    }
    const tooltip = [vscode.l10n.t('{0} ring-buffer tcpdump(s) run here that this window does not list:', unknown.length), ...unknown.map(line), ...maybeLines,
      vscode.l10n.t('Right-click the host: Find Ring Captures on Host…'), ...report.limits].join('\n');
    return new vscode.FileDecoration(unknown.length > 9 ? '9+' : String(unknown.length), tooltip, new vscode.ThemeColor('list.warningForeground'));
  }
}
