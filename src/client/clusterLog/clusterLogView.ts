import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { filtersSummary, NO_FILTERS, type ViewFilters } from '../../core/clusterLog/viewFilters';
import { uiText } from '../../core/inertText';
import { plural } from '../../core/plural';
import { ClusterLogCommands } from './clusterLogCommands';
import { ClusterLogDocuments, openViewDocument, viewKey, type ViewTarget } from './clusterLogDocuments';
import { registerClusterLogLinks } from './clusterLogLinks';
import { ClusterLogNavigation } from './clusterLogNavigation';
import { CLUSTER_LOG_SCHEME, setClusterLogSync } from './syncApi';

let commands: ClusterLogCommands | undefined;

/**
 * The Cluster Log view: every node's lines of a bundle merged in corrected time, filtered, paged from the
 * language server. Registers the documents, their links and hovers, the commands, the status item, paging on
 * scroll, and the time-sync hooks.
 */
export function registerClusterLogView(client: LanguageClient): vscode.Disposable[] {
  const docs = new ClusterLogDocuments(client);
  const nav = new ClusterLogNavigation(docs);
  commands = new ClusterLogCommands(client, docs, nav);
  setClusterLogSync({
    timeAt: (doc, line) => {
      const v = docs.viewOf(doc);
      return v && docs.entryAt(v, line)?.time;
    },
    showAt: (editor, time) => nav.moveTo(editor, { time }),
  });
  const status = vscode.window.createStatusBarItem('quorumLens.clusterLogFilters', vscode.StatusBarAlignment.Left, 40);
  status.name = 'Cluster Log filters';
  status.command = 'quorumLens.clusterLog.editFilters';
  const showStatus = (e: vscode.TextEditor | undefined) => {
    const v = e && docs.viewOf(e.document);
    if (!v) return status.hide();
    const summary = filtersSummary(v.query.filters, (n) => v.nodes.get(n)?.short ?? n);
    status.text = `$(filter) ${summary ? uiText(summary) : 'no filter'}`;
    status.tooltip = `Cluster Log: ${summary ? uiText(summary) : 'every line of the bundle'}. Click to add or remove filters.`;
    status.show();
  };
  // A document's language change closes and reopens it: forget a view only when it stays closed.
  const closing = new Map<string, ReturnType<typeof setTimeout>>();
  return [
    vscode.workspace.registerTextDocumentContentProvider(CLUSTER_LOG_SCHEME, docs),
    ...registerClusterLogLinks(docs),
    ...commands.register(),
    status,
    vscode.window.onDidChangeActiveTextEditor(showStatus),
    vscode.window.onDidChangeTextEditorVisibleRanges((e) => {
      if (e.textEditor.document.uri.scheme !== CLUSTER_LOG_SCHEME) return;
      nav.moved();
      nav.rangesReported(e.textEditor.document);
      void nav.pageIfNeeded(e.textEditor);
    }),
    vscode.window.onDidChangeTextEditorSelection((e) => {
      if (e.textEditor.document.uri.scheme !== CLUSTER_LOG_SCHEME) return;
      // Our own selection changes (a jump, a page put in) are no reader's move.
      if (e.kind !== undefined && e.kind !== vscode.TextEditorSelectionChangeKind.Command) nav.moved();
      void nav.pageIfNeeded(e.textEditor);
    }),
    vscode.workspace.onDidOpenTextDocument((d) => {
      clearTimeout(closing.get(viewKey(d.uri)));
      if (d.uri.scheme === CLUSTER_LOG_SCHEME && vscode.window.activeTextEditor?.document === d) showStatus(vscode.window.activeTextEditor);
    }),
    vscode.workspace.onDidCloseTextDocument((d) => {
      if (d.uri.scheme !== CLUSTER_LOG_SCHEME) return;
      const id = viewKey(d.uri);
      closing.set(
        id,
        setTimeout(() => {
          closing.delete(id);
          if (!openViewDocument(d.uri)) docs.forget(d.uri);
        }, 2000),
      );
    }),
    // What reading left out is said once per view, never silently.
    docs.onNotes.event(({ notes }) => {
      const shown = notes.slice(0, 3).map(uiText).join('; ');
      void vscode.window.showWarningMessage(`Cluster Log: ${plural(notes.length, 'file note')}: ${shown}${notes.length > 3 ? '; …' : ''}`);
    }),
    { dispose: () => setClusterLogSync(undefined) },
  ];
}

/**
 * Opens the Cluster Log of the bundle holding `uri` (or the only one, or one the user picks) with filters,
 * at a target. Trace Across Nodes and Show Cluster Context land here.
 */
export async function showInClusterLog(
  filters: Partial<ViewFilters>,
  target: ViewTarget | undefined,
  options: { uri?: string; column?: vscode.ViewColumn } = {},
): Promise<vscode.TextEditor | undefined> {
  if (!commands) return undefined;
  const bundle = await commands.bundleFor(options.uri);
  if (!bundle) return undefined;
  return commands.open({ bundle, filters: { ...NO_FILTERS, ...filters } }, target, options.column ?? vscode.ViewColumn.Active);
}
