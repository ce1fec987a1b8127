import {
  DidChangeConfigurationNotification,
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { normalizeSettings } from '../shared/settings';
import { BundleStore } from './bundleStore';
import { registerCustomRequests } from './customRequests';
import { IndexReporter } from './indexReporter';
import { registerLanguageFeatures } from './languageFeatures';
import { registerWorkflowRequests } from './workflowRequests';
import { registerClusterLogRequests } from './clusterLogRequests';
import { registerTimeSyncRequests } from './timeSyncRequests';

const CAPABILITIES: InitializeResult['capabilities'] = {
  textDocumentSync: TextDocumentSyncKind.Incremental,
  hoverProvider: true,
  documentSymbolProvider: true,
  workspaceSymbolProvider: true,
  foldingRangeProvider: true,
  documentLinkProvider: { resolveProvider: false },
  referencesProvider: true,
  workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
};

/**
 * The Quorum Lens language server on any connection (stdio, IPC, or streams in tests): indexes the
 * workspace folders as bundles and answers hovers, symbols, folding and the `quorumLens/…` requests.
 */
export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const reporter = new IndexReporter(connection);
  const store = new BundleStore(reporter);
  reporter.store = store;
  let firstIndex: Promise<void> = Promise.resolve();
  // Requests wait for the index: the first one, and any reindex under way.
  const ready = async () => {
    await firstIndex;
    while (store.indexing) await store.refresh();
  };
  const reindex = async () => {
    await reporter.begin();
    await store.refresh();
  };
  let canPullConfig = false;
  let hasFolderEvents = false;

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    store.setFolders(params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []));
    reporter.canReportProgress = params.capabilities.window?.workDoneProgress === true;
    canPullConfig = params.capabilities.workspace?.configuration === true;
    hasFolderEvents = params.capabilities.workspace?.workspaceFolders === true;
    const init = params.initializationOptions as { settings?: unknown; cacheDir?: unknown } | undefined;
    if (init?.settings) store.updateSettings(normalizeSettings(init.settings));
    if (typeof init?.cacheDir === 'string' && init.cacheDir) store.cacheDir = init.cacheDir;
    return { capabilities: CAPABILITIES, serverInfo: { name: 'quorum-lens' } };
  });

  connection.onInitialized(() => {
    if (canPullConfig) void connection.client.register(DidChangeConfigurationNotification.type, { section: 'quorumLens' });
    // Editors other than VS Code may not support folder events; asking for them would throw.
    if (hasFolderEvents) {
      connection.workspace.onDidChangeWorkspaceFolders((e) => {
        const now = store.all.map((b) => b.rootUri).filter((u) => !e.removed.some((r) => r.uri === u));
        store.setFolders([...now, ...e.added.map((a) => a.uri)]);
        void reindex();
      });
    }
    firstIndex = reindex();
  });

  connection.onDidChangeConfiguration(async (change) => {
    let raw: unknown = (change.settings as { quorumLens?: unknown } | undefined)?.quorumLens;
    if (canPullConfig) raw = await connection.workspace.getConfiguration('quorumLens');
    if (store.updateSettings(normalizeSettings(raw))) void reindex();
  });

  connection.onDidChangeWatchedFiles((change) => {
    // Only files inside a bundle matter; edits in an open editor arrive as saves like any other change.
    if (change.changes.some((c) => store.locate(c.uri))) store.scheduleRefresh();
  });

  registerLanguageFeatures(connection, documents, store, ready, () => reporter.indexing);
  registerCustomRequests(connection, store, ready);
  registerWorkflowRequests(connection, store, ready);
  registerClusterLogRequests(connection, store, ready);
  registerTimeSyncRequests(connection, store, ready);
  documents.listen(connection);
  connection.listen();
}
