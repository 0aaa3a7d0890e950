import { bundleStartedAt, bundleStartedCpuMs } from './activationClock';
import * as vscode from 'vscode';
import { createExtensionServices, type ExtensionServices } from './extensionServices';
import * as hostsView from './hosts/hostsView';
import * as captureCommands from './capture/captureCommands';
import * as liveCaptureDocuments from './capture/liveCaptureDocuments';
import * as captureStatusBar from './capture/captureStatusBar';
import * as capturesView from './capture/capturesView';
import * as languageClient from './languageClient';
import * as comparePanel from './compare/comparePanel';
import * as pcapEditorProvider from './pcapEditor/pcapEditorProvider';
import * as printCaptureFile from './printCaptureFile';
import * as hostCheckDocuments from './hostChecks/hostCheckDocuments';
import * as ringCaptureCommands from './ring/ringCaptureCommands';
import * as findRingCaptures from './ring/findRingCaptures';

let services: ExtensionServices | undefined;

/** Builds the services and registers each feature; every feature returns its disposables. */
export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Hopscope', { log: true });
  services = createExtensionServices(context, log);
  context.subscriptions.push(
    log,
    ...hostsView.register(context, log, services),
    ...captureCommands.register(context, log, services),
    ...liveCaptureDocuments.register(context, log, services.captures),
    ...captureStatusBar.register(context, log, services.captures),
    ...capturesView.register(context, log, services),
    ...printCaptureFile.register(context, log),
    ...languageClient.register(context),
    ...pcapEditorProvider.register(context, log),
    ...comparePanel.register(context, log),
    ...hostCheckDocuments.register(context, log, services),
    ...ringCaptureCommands.register(context, log, services),
    ...findRingCaptures.register(context, log, services),
  );
  const cpu = process.cpuUsage();
  log.info(`activated: ${Date.now() - bundleStartedAt} ms since the bundle started loading, ` +
    `${Math.round((cpu.user + cpu.system) / 1000 - bundleStartedCpuMs)} ms extension host CPU`);
}

/** Stops every capture (tcpdump flushes, files close), then closes the SSH connections. */
export async function deactivate(): Promise<void> {
  const s = services;
  services = undefined;
  if (!s) return;
  await Promise.race([s.captures.stopAll(), new Promise((r) => setTimeout(r, 4000))]);
  await s.pool.dispose(1000);
}
