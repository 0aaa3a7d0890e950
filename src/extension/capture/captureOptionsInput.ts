// The capture options quick input: a preset pick (CAPTURE_PRESETS, `host <VM IP>` when the vNIC's
// address is known), then the filter text, checked on the host with tcpdump before the capture starts
// (tcpdump's message shown inline). Buttons toggle "headers only" (snaplen 96) and "exclude own SSH".
import * as vscode from 'vscode';
import { CAPTURE_PRESETS } from '../../core/capture/capturePresets';
import { DEFAULT_CAPTURE_LIMITS } from '../../core/capture/captureOptions';
import { CaptureInputError, validateFilterText } from '../../core/capture/validateCaptureInput';
import type { CaptureStartOptions } from './captureManager';

export interface CaptureOptionsContext {
  /** Where the capture will run, for the title. */
  readonly where: string;
  readonly guestIps: readonly string[];
  /** Filter handed in by a caller (the language server's quick fix). */
  readonly filter?: string;
  /** Checks the filter on the host (every host the capture will run on); undefined = accepted. */
  readonly check: (filter: string) => Promise<string | undefined>;
}

const HEADERS_SNAPLEN = 96;

export function captureLimitsFromSettings(): Omit<CaptureStartOptions, 'filter'> {
  const c = vscode.workspace.getConfiguration('hopscope.capture');
  return {
    snaplen: c.get<number>('snaplen', DEFAULT_CAPTURE_LIMITS.snaplen),
    maxPackets: c.get<number>('maxPackets', DEFAULT_CAPTURE_LIMITS.maxPackets),
    maxDurationSec: c.get<number>('maxDurationSeconds', DEFAULT_CAPTURE_LIMITS.maxDurationSec),
    maxFileBytes: c.get<number>('maxFileMegabytes', DEFAULT_CAPTURE_LIMITS.maxFileBytes / 1024 / 1024) * 1024 * 1024,
    excludeOwnSsh: c.get<boolean>('excludeOwnSsh', true),
  };
}

async function pickPresetFilter(ctx: CaptureOptionsContext): Promise<string | undefined> {
  if (ctx.filter !== undefined) return ctx.filter;
  const address = ctx.guestIps[0];
  type Item = vscode.QuickPickItem & { filter: string };
  const items: Item[] = CAPTURE_PRESETS.flatMap((p) => {
    const f = p.build({ address });
    return f === undefined ? [] : [{ label: p.label, description: f || vscode.l10n.t('no filter'), filter: f }];
  });
  items.push({ label: vscode.l10n.t('Custom filter…'), description: vscode.l10n.t('type a BPF expression'), filter: address ? `host ${address}` : '' });
  const pick = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('Capture on {0}: filter preset', ctx.where), placeHolder: vscode.l10n.t('Capture filter preset'), ignoreFocusOut: true,
  });
  return pick?.filter;
}

/** Undefined when cancelled. */
export async function askCaptureOptions(ctx: CaptureOptionsContext): Promise<CaptureStartOptions | undefined> {
  const preset = await pickPresetFilter(ctx);
  if (preset === undefined) return undefined;
  const limits = captureLimitsFromSettings();
  let headersOnly = false;
  let excludeOwnSsh = limits.excludeOwnSsh;
  const box = vscode.window.createInputBox();
  box.title = vscode.l10n.t('Capture on {0}', ctx.where);
  box.prompt = vscode.l10n.t('BPF capture filter (empty: everything). Enter starts the capture; tcpdump on the host checks the filter first.');
  box.value = preset;
  box.ignoreFocusOut = true;
  const buttons = (): vscode.QuickInputButton[] => [
    { iconPath: new vscode.ThemeIcon(headersOnly ? 'fold' : 'unfold'), tooltip: headersOnly ? vscode.l10n.t('Headers only (snaplen {0}): on', HEADERS_SNAPLEN) : vscode.l10n.t('Headers only (snaplen {0}): off', HEADERS_SNAPLEN) },
    { iconPath: new vscode.ThemeIcon(excludeOwnSsh ? 'eye-closed' : 'eye'), tooltip: excludeOwnSsh ? vscode.l10n.t('Exclude this SSH session: on') : vscode.l10n.t('Exclude this SSH session: off') },
  ];
  box.buttons = buttons();
  return new Promise((resolve) => {
    let settled = false;
    box.onDidTriggerButton((b) => {
      if (b === box.buttons[0]) headersOnly = !headersOnly; else excludeOwnSsh = !excludeOwnSsh;
      box.buttons = buttons();
    });
    box.onDidChangeValue((v) => {
      try { validateFilterText(v); box.validationMessage = undefined; } catch (e) {
        box.validationMessage = e instanceof CaptureInputError ? e.message : String(e);
      }
    });
    box.onDidAccept(async () => {
      const filter = box.value.trim();
      box.busy = true;
      box.enabled = false;
      let problem: string | undefined;
      try { problem = await ctx.check(filter); } catch (e) { problem = e instanceof Error ? e.message : String(e); }
      box.busy = false;
      box.enabled = true;
      if (problem !== undefined) { box.validationMessage = problem; return; }
      settled = true;
      resolve({ ...limits, filter, excludeOwnSsh, snaplen: headersOnly ? HEADERS_SNAPLEN : limits.snaplen });
      box.hide();
    });
    box.onDidHide(() => { if (!settled) resolve(undefined); box.dispose(); });
    box.show();
  });
}
