/**
 * The capture-text language server: wiring only. Every analysis lives in src/core/textAnalysis;
 * this file keeps the open documents, applies edits (appends stay incremental) and turns the
 * analysis into LSP diagnostics, hovers, symbols, definitions, code actions and code lenses.
 */
import {
  createConnection, ProposedFeatures, TextDocumentSyncKind, CodeActionKind, CodeLensRefreshRequest,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { CaptureTextDocument } from '../core/textAnalysis/captureTextDocument';
import { captureOnlyThisFlow, codeLensesFor, definitionsOf, diagnosticsOf, hoverAt, symbolsOf, type OpenCaptureText } from './captureTextFeatures';

const connection = createConnection(ProposedFeatures.all);
const documents = new Map<string, OpenCaptureText>();
const pending = new Map<string, NodeJS.Timeout>();
let lensRefresh = false;

// Diagnostics follow a live pane closely; batching appends that arrive within 50 ms keeps the
// work per burst to one publication.
function schedulePublish(uri: string): void {
  if (pending.has(uri)) return;
  pending.set(uri, setTimeout(() => {
    pending.delete(uri);
    const open = documents.get(uri);
    if (!open) return;
    void connection.sendDiagnostics({ uri, version: open.version, diagnostics: diagnosticsOf(open) });
    if (lensRefresh) void connection.sendRequest(CodeLensRefreshRequest.type);
  }, 50));
}

connection.onInitialize((params): InitializeResult => {
  lensRefresh = params.capabilities.workspace?.codeLens?.refreshSupport === true;
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      hoverProvider: true,
      documentSymbolProvider: true,
      definitionProvider: true,
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
      codeLensProvider: { resolveProvider: false },
    },
    serverInfo: { name: 'hopscope-capture-text' },
  };
});

connection.onDidOpenTextDocument(({ textDocument: d }) => {
  documents.set(d.uri, { uri: d.uri, version: d.version, doc: new CaptureTextDocument(d.text) });
  schedulePublish(d.uri);
});

connection.onDidChangeTextDocument(({ textDocument, contentChanges }) => {
  const open = documents.get(textDocument.uri);
  if (!open) return;
  for (const c of contentChanges) {
    if ('range' in c) open.doc.edit(c.range.start, c.range.end, c.text);
    else open.doc.setText(c.text);
  }
  open.version = textDocument.version;
  schedulePublish(textDocument.uri);
});

connection.onDidCloseTextDocument(({ textDocument }) => {
  documents.delete(textDocument.uri);
  const t = pending.get(textDocument.uri);
  if (t) { clearTimeout(t); pending.delete(textDocument.uri); }
  void connection.sendDiagnostics({ uri: textDocument.uri, diagnostics: [] });
});

connection.onHover(({ textDocument, position }) => {
  const open = documents.get(textDocument.uri);
  return open ? hoverAt(open, position.line) : null;
});

connection.onDocumentSymbol(({ textDocument }) => {
  const open = documents.get(textDocument.uri);
  return open ? symbolsOf(open) : [];
});

connection.onDefinition(({ textDocument, position }) => {
  const open = documents.get(textDocument.uri);
  return open ? definitionsOf(open, position.line, documents.values()) : [];
});

connection.onCodeAction(({ textDocument, range, context }) => {
  const open = documents.get(textDocument.uri);
  return open ? captureOnlyThisFlow(open, range.start.line, context.diagnostics) : [];
});

connection.onCodeLens(({ textDocument }) => {
  const open = documents.get(textDocument.uri);
  return open ? codeLensesFor(open, documents.values()) : [];
});

connection.listen();
