import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { adoptBundleDocuments } from './client/bundleLanguage';
import { registerCommands } from './client/commands';
import { createLanguageClient, onNotification } from './client/languageClient';
import { ReadOnlyDocuments, SCHEME } from './client/readOnlyDocuments';
import { IndexStatusBar } from './client/statusBar';
import { registerWindowViews } from './client/windowView';
import { registerWorkflowCommands } from './client/workflowCommands';
import { TIMELINE_VIEW_TYPE, TimelinePanel } from './client/timelinePanel';
import { IndexStatusNotification, type RoleInfo } from './shared/protocol';
import { registerOpenArchive } from './client/openArchive';
import { OverlapReportPanel, REPORT_VIEW_TYPE } from './client/overlapReport';

let client: LanguageClient | undefined;

/** Wires the pieces together; the work happens in the language server. */
export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('Quorum Lens', { log: true });
  const statusBar = new IndexStatusBar();
  const docs = new ReadOnlyDocuments();
  // Role ids and labels come from the server's rules (built-in and the user's), with its first status.
  let roles: RoleInfo[] = [];
  client = createLanguageClient(context, output);
  context.subscriptions.push(
    output,
    statusBar,
    vscode.workspace.registerTextDocumentContentProvider(SCHEME, docs),
    ...registerCommands(
      client,
      docs,
      () => roles,
      (focus) => client && TimelinePanel.show(context, client, focus),
      async (key) => {
        if (client) await OverlapReportPanel.show(context, client, key);
      },
    ),
    ...registerWorkflowCommands(client, docs, (range) => TimelinePanel.focusIfOpen(range)),
    registerOpenArchive(client),
    vscode.window.registerWebviewPanelSerializer(REPORT_VIEW_TYPE, {
      deserializeWebviewPanel: (panel, state: unknown) => {
        if (client) OverlapReportPanel.revive(panel, context, client, state);
        return Promise.resolve();
      },
    }),
    vscode.window.registerWebviewPanelSerializer(TIMELINE_VIEW_TYPE, {
      deserializeWebviewPanel: (panel) => {
        if (client) TimelinePanel.revive(panel, context, client);
        return Promise.resolve();
      },
    }),
  );
  await client.start();
  context.subscriptions.push(...registerWindowViews(client));
  const adoption = adoptBundleDocuments(client);
  context.subscriptions.push(
    adoption.disposable,
    onNotification(client, IndexStatusNotification, (s) => {
      statusBar.update(s);
      if (s.roles.length) roles = s.roles;
      // Documents opened while indexing could not be recognised yet.
      if (s.state === 'ready') {
        adoption.adoptOpen();
        TimelinePanel.refresh();
      }
    }),
  );
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
