import {
  SymbolKind, TextDocumentSyncKind, DidChangeConfigurationNotification,
  type Connection, type DocumentSymbol, type InitializeParams, type InitializeResult, type SymbolInformation, type WorkDoneProgressServerReporter,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { TextDocuments } from 'vscode-languageserver';
import { detectFormat } from '../core/formats';
import { IndexStatusNotification, parseWindowUri, type IndexStatus } from '../shared/protocol';
import { normalizeSettings } from '../shared/settings';
import { BundleStore, fileUri } from './bundleStore';
import { registerCustomRequests } from './customRequests';
import { registerWorkflowRequests } from './workflowRequests';
import { entryFoldingRanges } from './folding';
import { hoverFor } from './hover/hoverContent';
import { referenceTokenAt } from '../shared/referenceToken';
import { grepBundle } from '../indexer/grepBundle';
import { Presenter, timeLabeler } from './presenter';
import { documentSymbols, workspaceSymbols, type EventSymbol } from './symbols';

const SYMBOL_KIND: Record<EventSymbol['kind'], SymbolKind> = {
  role: SymbolKind.Event, restart: SymbolKind.Constructor, fault: SymbolKind.Key, election: SymbolKind.Event,
};

/**
 * The Quorum Lens language server on any connection (stdio, IPC, or streams in tests): indexes the
 * workspace folders as bundles and answers hovers, symbols, folding and the `quorumLens/…` requests.
 */
export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  let progress: WorkDoneProgressServerReporter | undefined;
  let canReportProgress = false;
  let canPullConfig = false;
  let hasFolderEvents = false;
  let status: IndexStatus = { state: 'indexing', done: 0, total: 0, nodes: 0, files: 0, leaderIntervals: 0, roles: [] };
  const sendStatus = (next: Partial<IndexStatus>) => {
    status = { ...status, ...next };
    void connection.sendNotification(IndexStatusNotification.method, status);
  };

  const store = new BundleStore({
    progress(done, total) {
      progress?.report(total ? Math.floor((done / total) * 100) : 0, `Indexing ${done}/${total} files`);
      sendStatus({ state: 'indexing', done, total });
    },
    indexed() {
      progress?.done();
      progress = undefined;
      let nodes = 0;
      let files = 0;
      let intervals = 0;
      for (const b of store.all) {
        if (!b.index || !b.queries) continue;
        nodes += b.index.nodes.filter((n) => n.kind === 'node').length;
        files += b.index.files.filter((f) => !f.skipped && !f.duplicateOf).length;
        for (const r of store.roles) intervals += b.queries.intervals(r).length;
      }
      sendStatus({ state: files > 0 ? 'ready' : 'empty', nodes, files, leaderIntervals: intervals, roles: store.roles });
    },
    log: (m) => connection.console.log(m),
  });
  const presenter = () => new Presenter(timeLabeler(store.settings.timeZone), store.roleRules);
  let firstIndex: Promise<void> = Promise.resolve();
  const ready = async () => {
    await firstIndex;
    while (store.indexing) await store.refresh();
  };

  const reindex = async (fresh: boolean) => {
    if (canReportProgress) {
      progress = await connection.window.createWorkDoneProgress();
      progress.begin('Quorum Lens', 0, 'Indexing log bundle', false);
    }
    sendStatus({ state: 'indexing', done: 0, total: 0 });
    await store.refresh(fresh);
  };

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const folders = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
    store.setFolders(folders);
    canReportProgress = params.capabilities.window?.workDoneProgress === true;
    canPullConfig = params.capabilities.workspace?.configuration === true;
    hasFolderEvents = params.capabilities.workspace?.workspaceFolders === true;
    const init = params.initializationOptions as { settings?: unknown; cacheDir?: unknown } | undefined;
    if (init?.settings) store.updateSettings(normalizeSettings(init.settings));
    if (typeof init?.cacheDir === 'string' && init.cacheDir) store.cacheDir = init.cacheDir;
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        documentSymbolProvider: true,
        workspaceSymbolProvider: true,
        foldingRangeProvider: true,
        documentLinkProvider: { resolveProvider: false },
        referencesProvider: true,
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'quorum-lens' },
    };
  });

  connection.onInitialized(() => {
    if (canPullConfig) void connection.client.register(DidChangeConfigurationNotification.type, { section: 'quorumLens' });
    // Editors other than VS Code may not support folder events; asking for them would throw.
    if (hasFolderEvents) connection.workspace.onDidChangeWorkspaceFolders((e) => {
      const now = store.all.map((b) => b.rootUri).filter((u) => !e.removed.some((r) => r.uri === u));
      store.setFolders([...now, ...e.added.map((a) => a.uri)]);
      void reindex(false);
    });
    firstIndex = reindex(false);
  });

  connection.onDidChangeConfiguration(async (change) => {
    let raw: unknown = (change.settings as { quorumLens?: unknown } | undefined)?.quorumLens;
    if (canPullConfig) raw = await connection.workspace.getConfiguration('quorumLens');
    if (store.updateSettings(normalizeSettings(raw))) void reindex(false);
  });

  connection.onDidChangeWatchedFiles((change) => {
    // Only files inside a bundle matter; edits in an open editor arrive as saves like any other change.
    if (change.changes.some((c) => store.locate(c.uri))) store.scheduleRefresh();
  });

  connection.onHover((params) => {
    const doc = documents.get(params.textDocument.uri);
    if (!doc) return null;
    const line = params.position.line;
    const text = doc.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } }).replace(/\r?\n$/, '');
    const located = store.locate(doc.uri);
    const r = hoverFor(text, params.position.character, {
      bundle: located?.bundle, queries: located?.bundle.queries, file: located?.file, lineNumber: line + 1 + (located?.lineOffset ?? 0),
      label: timeLabeler(store.settings.timeZone), zone: store.settings.timeZone,
    });
    if (!r) return null;
    return {
      contents: { kind: 'markdown', value: r.markdown },
      range: { start: { line, character: r.start }, end: { line, character: r.end } },
    };
  });

  connection.onDocumentSymbol((params): DocumentSymbol[] => {
    const located = store.locate(params.textDocument.uri);
    const q = located?.bundle.queries;
    const entry = located && q?.file(located.relPath);
    if (!q || !entry) return [];
    return documentSymbols(q, entry.index, timeLabeler(store.settings.timeZone)).map((s) => {
      const range = { start: { line: s.line - 1, character: 0 }, end: { line: s.line - 1, character: 0 } };
      return { name: s.name, detail: s.detail, kind: SYMBOL_KIND[s.kind], range, selectionRange: range };
    });
  });

  connection.onWorkspaceSymbol((params): SymbolInformation[] => {
    const out: SymbolInformation[] = [];
    const label = timeLabeler(store.settings.timeZone);
    for (const b of store.all) {
      if (!b.queries) continue;
      for (const s of workspaceSymbols(b.queries, params.query, label)) {
        const range = { start: { line: s.line - 1, character: 0 }, end: { line: s.line - 1, character: 0 } };
        out.push({ name: s.name, kind: SYMBOL_KIND[s.kind], containerName: s.detail, location: { uri: fileUri(b, s.file), range } });
      }
    }
    return out;
  });

  connection.onFoldingRanges((params) => {
    const doc = documents.get(params.textDocument.uri);
    if (!doc) return [];
    const lines = doc.getText().split(/\r?\n/);
    const format = store.locate(doc.uri)?.file?.format ?? detectFormat(lines.slice(0, 200)).id;
    return entryFoldingRanges(lines, format).map((r) => ({ startLine: r.start, endLine: r.end }));
  });

  // Find All References: every line of the bundle that mentions the identifier under the cursor.
  connection.onReferences(async (params, token) => {
    const doc = documents.get(params.textDocument.uri);
    if (!doc) return [];
    const line = doc.getText({ start: { line: params.position.line, character: 0 }, end: { line: params.position.line + 1, character: 0 } });
    const text = referenceTokenAt(line, params.position.character);
    if (!text) return [];
    const abort = new AbortController();
    token.onCancellationRequested(() => abort.abort());
    await ready();
    const out: { uri: string; range: { start: { line: number; character: number }; end: { line: number; character: number } } }[] = [];
    for (const b of store.all) {
      if (!b.index) continue;
      const r = await grepBundle(b.index, { source: text, regex: false }, { maxMatches: 5000, signal: abort.signal });
      for (const h of r.hits) {
        const at = Math.max(0, h.text.indexOf(text));
        out.push({ uri: fileUri(b, b.index.files[h.file].path), range: { start: { line: h.line - 1, character: at }, end: { line: h.line - 1, character: at + text.length } } });
      }
    }
    return out;
  });

  // A window view's lines link back to the same lines of the full file.
  connection.onDocumentLinks((params) => {
    const win = parseWindowUri(params.textDocument.uri);
    const doc = documents.get(params.textDocument.uri);
    if (!win || !doc) return [];
    return doc.getText().split('\n').map((text, i) => {
      const end = Math.min(Math.max(text.indexOf(' ', 6), 1), 40);
      return {
        range: { start: { line: i, character: 0 }, end: { line: i, character: end } },
        target: `${win.fileUri}#L${win.from + i}`,
        tooltip: `line ${win.from + i} of the full file`,
      };
    });
  });

  registerCustomRequests(connection, store, presenter, ready);
  registerWorkflowRequests(connection, store, presenter, ready);
  documents.listen(connection);
  connection.listen();
}
