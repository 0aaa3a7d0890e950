/**
 * The analysis of src/core/textAnalysis in LSP shapes. Pure functions of the open documents, so
 * the server file only routes requests here.
 */
import {
  CodeActionKind, DiagnosticSeverity, SymbolKind,
  type CodeAction, type CodeLens, type Diagnostic, type DocumentSymbol, type Hover, type Location, type Range,
} from 'vscode-languageserver/node';
import type { CaptureTextDocument } from '../core/textAnalysis/captureTextDocument';
import type { FindingSeverity } from '../core/textAnalysis/captureTextDiagnosticCodes';
import { explainPacket, summarizePacket } from '../core/textAnalysis/explainPacket';
import { sameIpId } from '../core/textAnalysis/packetIdentity';
import { secondsBetween } from '../core/textAnalysis/packetTime';

export interface OpenCaptureText {
  uri: string;
  version: number;
  doc: CaptureTextDocument;
}

/** The command the extension registers to start a capture; its argument carries the BPF filter. */
export const CAPTURE_START_COMMAND = 'hopscope.capture.start';
/** The command a "seen in N captures" lens runs (the extension shows the same packets). */
export const SHOW_SAME_PACKET_COMMAND = 'hopscope.text.showSamePacket';

const SEVERITY: Record<FindingSeverity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information, hint: DiagnosticSeverity.Hint,
};

function linesRange(doc: CaptureTextDocument, line: number, endLine: number): Range {
  return { start: { line, character: 0 }, end: { line: endLine, character: doc.lineLength(endLine) } };
}

export function diagnosticsOf({ doc }: OpenCaptureText): Diagnostic[] {
  return doc.analyzer.allFindings().map((f) => ({
    range: linesRange(doc, f.line, f.line),
    severity: SEVERITY[f.severity],
    code: f.code,
    source: 'hopscope',
    // No `data`: the quick fix finds the flow from the line, and a live pane may carry thousands of these.
    message: `${f.name}: ${f.message}`,
  }));
}

export function hoverAt({ doc }: OpenCaptureText, line: number): Hover | null {
  const p = doc.packetAt(line);
  if (!p) return null;
  return { contents: { kind: 'markdown', value: explainPacket(doc.analyzer, p) }, range: linesRange(doc, p.line, p.endLine) };
}

export function symbolsOf({ doc }: OpenCaptureText): DocumentSymbol[] {
  const a = doc.analyzer;
  return a.conversations.map((c) => ({
    name: c.conversation.label,
    detail: `${c.count} packet${c.count === 1 ? '' : 's'}`,
    kind: SymbolKind.Namespace,
    range: linesRange(doc, c.firstLine, c.lastLine),
    selectionRange: linesRange(doc, c.firstLine, c.firstLine),
    children: c.packets.map((i) => {
      const p = a.packets[i];
      return {
        name: summarizePacket(p.record) || `line ${p.line + 1}`,
        detail: `line ${p.line + 1}`,
        kind: SymbolKind.Event,
        range: linesRange(doc, p.line, p.endLine),
        selectionRange: linesRange(doc, p.line, p.line),
      };
    }),
  }));
}

/** The same packet in the other open documents. */
export function definitionsOf(open: OpenCaptureText, line: number, all: Iterable<OpenCaptureText>): Location[] {
  const p = open.doc.packetAt(line);
  if (!p?.identity) return [];
  const out: Location[] = [];
  for (const other of all) {
    if (other.uri === open.uri) continue;
    const a = other.doc.analyzer;
    for (const i of a.identities.get(p.identity) ?? []) {
      const q = a.packets[i];
      if (sameIpId(p.record, q.record)) out.push({ uri: other.uri, range: linesRange(other.doc, q.line, q.endLine) });
    }
  }
  return out;
}

export function captureOnlyThisFlow({ doc }: OpenCaptureText, line: number, diagnostics: Diagnostic[]): CodeAction[] {
  const p = doc.packetAt(line);
  if (p?.conversation === undefined) return [];
  const conv = doc.analyzer.conversations[p.conversation].conversation;
  const related = diagnostics.filter((d) => d.source === 'hopscope' && d.range.start.line <= p.endLine && d.range.end.line >= p.line);
  return [{
    title: `Capture only this flow (${conv.label})`,
    kind: CodeActionKind.QuickFix,
    diagnostics: related,
    isPreferred: related.length > 0,
    command: { title: 'Capture only this flow', command: CAPTURE_START_COMMAND, arguments: [{ filter: conv.bpf }] },
  }];
}

const basename = (uri: string): string => decodeURIComponent(uri.slice(uri.lastIndexOf('/') + 1));

/** Per conversation sharing packets with other open documents: "seen in N captures, last at X". */
export function codeLensesFor(open: OpenCaptureText, all: Iterable<OpenCaptureText>): CodeLens[] {
  const others = [...all].filter((o) => o.uri !== open.uri);
  if (others.length === 0) return [];
  const a = open.doc.analyzer;
  const lenses: CodeLens[] = [];
  for (const c of a.conversations) {
    const seenIn = new Set<string>();
    let last: { other: OpenCaptureText; index: number } | undefined;
    for (const i of c.packets) {
      const p = a.packets[i];
      if (!p.identity) continue;
      for (const other of others) {
        const oa = other.doc.analyzer;
        for (const j of oa.identities.get(p.identity) ?? []) {
          if (!sameIpId(p.record, oa.packets[j].record)) continue;
          seenIn.add(other.uri);
          const lastRec = last && last.other.doc.analyzer.packets[last.index].record;
          const later = lastRec ? secondsBetween(lastRec, oa.packets[j].record) : 1;
          if (!last || (later ?? 0) > 0) last = { other, index: j };
        }
      }
    }
    if (!last) continue;
    const lastPacket = last.other.doc.analyzer.packets[last.index];
    const when = lastPacket.record.timestamp?.text ?? `line ${lastPacket.line + 1}`;
    lenses.push({
      range: linesRange(open.doc, c.firstLine, c.firstLine),
      command: {
        title: `seen in ${seenIn.size + 1} captures, last at ${when} (${basename(last.other.uri)})`,
        command: SHOW_SAME_PACKET_COMMAND,
        arguments: [open.uri, c.firstLine],
      },
    });
  }
  return lenses;
}
