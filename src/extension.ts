import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import { workspaceContainsGlobs } from './client/activationGlobs';
import { adoptBundleDocuments } from './client/bundleLanguage';
import { workspaceLooksLikeBundle } from './client/bundleProbe';
import { registerCommands } from './client/commands';
import { createLanguageClient, onNotification } from './client/languageClient';
import { ReadOnlyDocuments, SCHEME } from './client/readOnlyDocuments';
import { IndexStatusBar } from './client/statusBar';
import { registerWindowViews } from './client/windowView';
import { registerClusterLogView } from './client/clusterLog/clusterLogView';
import { registerWorkflowCommands } from './client/workflowCommands';
import { TIMELINE_VIEW_TYPE, TimelinePanel } from './client/timelinePanel';
import { IndexStatusNotification, SearchIndexStatusNotification, type RoleInfo } from './shared/protocol';
import { registerOpenArchive } from './client/openArchive';
import { registerTimeSync } from './client/timeSync';
import { OverlapReportPanel, REPORT_VIEW_TYPE } from './client/overlapReport';
import { RESULT_TABLE_VIEW_TYPE, ResultTablePanel } from './client/tableView';

let client: LanguageClient | undefined;

/** Wires the pieces together; the work happens in the language server. */
export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('Quorum Lens', { log: true });
  const statusBar = new IndexStatusBar();
  const docs = new ReadOnlyDocuments();
  // Role ids and labels come from the server's rules (built-in and the user's), with its first status.
  let roles: RoleInfo[] = [];
  client = createLanguageClient(context, output);
  const lc = client;
  let adoption: ReturnType<typeof adoptBundleDocuments> | undefined;
  context.subscriptions.push(
    output,
    statusBar,
    vscode.workspace.registerTextDocumentContentProvider(SCHEME, docs),
    ...registerCommands(
      lc,
      docs,
      () => roles,
      (focus) => TimelinePanel.show(context, lc, focus),
      (key) => OverlapReportPanel.show(context, lc, key),
    ),
    ...registerWorkflowCommands(context, lc, docs, (range) => TimelinePanel.focusIfOpen(range)),
    ...registerWindowViews(lc),
    ...registerClusterLogView(lc),
    registerOpenArchive(lc),
    ...registerTimeSync(context, lc),
    vscode.window.registerWebviewPanelSerializer(REPORT_VIEW_TYPE, {
      deserializeWebviewPanel: (panel, state: unknown) => {
        OverlapReportPanel.revive(panel, context, lc, state);
        return Promise.resolve();
      },
    }),
    vscode.window.registerWebviewPanelSerializer(RESULT_TABLE_VIEW_TYPE, {
      deserializeWebviewPanel: (panel, state: unknown) => {
        ResultTablePanel.revive(panel, context, state);
        return Promise.resolve();
      },
    }),
    vscode.window.registerWebviewPanelSerializer(TIMELINE_VIEW_TYPE, {
      deserializeWebviewPanel: (panel) => {
        TimelinePanel.revive(panel, context, lc);
        return Promise.resolve();
      },
    }),
    onNotification(lc, IndexStatusNotification, (s) => {
      statusBar.update(s);
      if (s.roles.length) roles = s.roles;
      // Documents opened while indexing could not be recognised yet.
      if (s.state === 'ready') {
        adoption?.adoptOpen();
        TimelinePanel.refresh();
      }
    }),
    onNotification(lc, SearchIndexStatusNotification, (s) => statusBar.search(s)),
    // However the server starts (below, or on a command's first request), the status item shows at once.
    lc.onDidChangeState((e) => {
      if (e.newState === State.Starting) statusBar.starting();
      if (e.newState === State.Running && !adoption) {
        adoption = adoptBundleDocuments(lc);
        context.subscriptions.push(adoption.disposable);
      }
    }),
  );

  // Activated by a bundle-looking workspace, a Cluster Log document, a command or a panel — or, as the
  // fallback for a `workspaceContains:` search that VS Code cut off (7 s) or that the user's excludes
  // hid, when the workbench has started: then the same globs, checked on a bounded walk, decide.
  const globs = workspaceContainsGlobs((context.extension.packageJSON as { activationEvents?: string[] }).activationEvents ?? []);
  const isClusterLog = (d: vscode.TextDocument) => d.languageId === 'quorum-log';
  const start = () => lc.start().catch((e: Error) => output.error(`the language server did not start: ${e.message}`));
  if (vscode.workspace.textDocuments.some(isClusterLog) || (await workspaceLooksLikeBundle(globs))) {
    await lc.start();
    return;
  }
  // Nothing to index yet: no server, no status item, until a Cluster Log document or a bundle folder appears.
  context.subscriptions.push(
    vscode.workspace.onDidOpenTextDocument((d) => {
      if (isClusterLog(d)) void start();
    }),
    vscode.workspace.onDidChangeWorkspaceFolders(async () => {
      if (await workspaceLooksLikeBundle(globs)) void start();
    }),
  );
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
