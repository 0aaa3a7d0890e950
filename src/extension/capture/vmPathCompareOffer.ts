// After Capture VM Path: once every hop's capture has ended (Stop, Stop All, a limit), offer to
// compare the hops' files — the reason the path was captured in the first place.
import * as vscode from 'vscode';
import { existsSync } from 'node:fs';
import type { RunningCapture } from './captureManager';

/** Resolves when the notification is answered or dismissed; the Compare button opens Compare Captures. */
export async function offerCompareWhenEnded(vmName: string, captures: readonly RunningCapture[], log: vscode.LogOutputChannel): Promise<void> {
  const results = await Promise.all(captures.map((c) => c.session.done));
  const files = captures.filter((c, i) => results[i].packets > 0 && existsSync(c.file)).map((c) => c.file);
  log.info(`VM path capture of ${vmName} ended: ${files.length} of ${captures.length} hops saved packets`);
  if (files.length < 2) return;
  const compare = vscode.l10n.t('Compare');
  const answer = await vscode.window.showInformationMessage(
    vscode.l10n.t('VM path capture of {0} ended: {1} hops captured packets.', vmName, files.length), compare);
  if (answer === compare) await vscode.commands.executeCommand('hopscope.compare.open', files.map((f) => vscode.Uri.file(f)));
}
