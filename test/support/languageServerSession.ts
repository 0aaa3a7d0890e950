/**
 * Starts the bundled capture-text language server (src/server/server.ts, bundled by esbuild with
 * the project's settings into a per-process temp dir so parallel test files do not race on dist/)
 * and speaks LSP to it over stdio with vscode-languageserver-protocol.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import {
  createProtocolConnection, StreamMessageReader, StreamMessageWriter,
  InitializeRequest, InitializedNotification, DidOpenTextDocumentNotification, DidChangeTextDocumentNotification,
  PublishDiagnosticsNotification, HoverRequest, DocumentSymbolRequest, DefinitionRequest, CodeActionRequest,
  CodeLensRequest, ShutdownRequest, ExitNotification,
  type ProtocolConnection, type Diagnostic, type Hover, type DocumentSymbol, type Location, type CodeAction,
  type CodeLens, type Position, type TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol/node';

export interface LanguageServerSession {
  connection: ProtocolConnection;
  /** The server process (benchmarks read its CPU time from /proc). */
  pid: number | undefined;
  open(uri: string, text: string): void;
  change(uri: string, changes: TextDocumentContentChangeEvent[]): void;
  /** Waits for a diagnostics publication for `uri` at `version` or later (opened at version 1). */
  diagnostics(uri: string, version?: number, timeoutMs?: number): Promise<Diagnostic[]>;
  hover(uri: string, line: number): Promise<Hover | null>;
  symbols(uri: string): Promise<DocumentSymbol[]>;
  definition(uri: string, line: number): Promise<Location[]>;
  codeActions(uri: string, line: number, diagnostics: Diagnostic[]): Promise<CodeAction[]>;
  codeLenses(uri: string): Promise<CodeLens[]>;
  stop(): Promise<void>;
}

export async function startLanguageServer(): Promise<LanguageServerSession> {
  const dir = mkdtempSync(join(tmpdir(), 'hopscope-lsp-bundle-'));
  const bundle = join(dir, 'server.js');
  await build({
    entryPoints: [join(import.meta.dirname, '../../src/server/server.ts')], outfile: bundle,
    bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning', external: ['vscode'],
  });
  const child: ChildProcess = spawn(process.execPath, [bundle, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  if (!child.stdout || !child.stdin) throw new Error('no stdio on the server process');
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const published = new Map<string, { version?: number; diagnostics: Diagnostic[] }>();
  const waiters: (() => void)[] = [];
  connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
    published.set(p.uri, { version: p.version, diagnostics: p.diagnostics });
    for (const w of waiters.splice(0)) w();
  });
  connection.listen();
  await connection.sendRequest(InitializeRequest.type, {
    processId: process.pid, rootUri: null, workspaceFolders: null,
    capabilities: { textDocument: { hover: { contentFormat: ['markdown'] }, documentSymbol: { hierarchicalDocumentSymbolSupport: true } } },
  });
  await connection.sendNotification(InitializedNotification.type, {});
  const versions = new Map<string, number>();
  const pos = (line: number): Position => ({ line, character: 0 });
  return {
    connection,
    pid: child.pid,
    open(uri, text) {
      versions.set(uri, 1);
      void connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'tcpdump', version: 1, text } });
    },
    change(uri, changes) {
      const version = (versions.get(uri) ?? 1) + 1;
      versions.set(uri, version);
      void connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: changes });
    },
    async diagnostics(uri, version = 1, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const p = published.get(uri);
        if (p && (p.version ?? 0) >= version) return p.diagnostics;
        if (Date.now() > deadline) throw new Error(`no diagnostics for ${uri} version ${version}`);
        await new Promise<void>((resolve) => { waiters.push(resolve); setTimeout(resolve, 500); });
      }
    },
    hover: (uri, line) => connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: pos(line) }),
    symbols: async (uri) => (await connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } }) ?? []) as DocumentSymbol[],
    definition: async (uri, line) => (await connection.sendRequest(DefinitionRequest.type, { textDocument: { uri }, position: pos(line) }) ?? []) as Location[],
    codeActions: async (uri, line, diagnostics) => (await connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri }, range: { start: pos(line), end: pos(line) }, context: { diagnostics },
    }) ?? []) as CodeAction[],
    codeLenses: async (uri) => (await connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } })) ?? [],
    async stop() {
      try {
        await connection.sendRequest(ShutdownRequest.type);
        await connection.sendNotification(ExitNotification.type);
      } finally {
        connection.dispose();
        if (child.exitCode === null) child.kill();
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
