// Feature: a status bar item while captures run (count and packets); click: Stop All or show Captures.
import * as vscode from 'vscode';
import type { CaptureManager } from './captureManager';

export function register(_context: vscode.ExtensionContext, _log: vscode.LogOutputChannel, captures: CaptureManager): vscode.Disposable[] {
  const item = vscode.window.createStatusBarItem('hopscope.captures', vscode.StatusBarAlignment.Left, 50);
  item.name = vscode.l10n.t('Hopscope Captures');
  item.command = 'hopscope.capture.statusMenu';
  let wasRunning = false;
  const update = (): void => {
    const running = captures.running;
    if (wasRunning !== running.length > 0) {
      wasRunning = running.length > 0;
      void vscode.commands.executeCommand('setContext', 'hopscope.capturesRunning', wasRunning);
    }
    if (running.length === 0) { item.hide(); return; }
    const packets = running.reduce((n, c) => n + c.session.packetCount, 0);
    item.text = `$(record) ${vscode.l10n.t('{0} capturing · {1} pkts', running.length, packets)}`;
    item.tooltip = running.map((c) => `${c.host}/${c.iface}: ${c.session.packetCount} packets (${c.session.state})`).join('\n');
    item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
    item.show();
  };
  const sub = captures.onDidChange(update);
  return [
    item,
    { dispose: () => sub.dispose() },
    vscode.commands.registerCommand('hopscope.capture.statusMenu', async () => {
      const stopAll = vscode.l10n.t('Stop All Captures');
      const show = vscode.l10n.t('Show Captures');
      const pick = await vscode.window.showQuickPick([stopAll, show], { title: item.tooltip as string });
      if (pick === stopAll) await vscode.commands.executeCommand('hopscope.capture.stopAll');
      if (pick === show) await vscode.commands.executeCommand('hopscope.captures.focus');
    }),
  ];
}
