import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { similarLinesRegex } from '../../core/clusterLog/similarLines';
import type { ViewFilters, ViewQuery } from '../../core/clusterLog/viewFilters';
import { NO_FILTERS } from '../../core/clusterLog/viewFilters';
import { uiText } from '../../core/inertText';
import { parseUserTime } from '../../core/time';
import { IndexSummaryRequest } from '../../shared/protocol';
import { request } from '../languageClient';
import { openAt } from '../openSource';
import { keyOf, viewKey, type ClusterLogDocuments, type ClusterLogView, type ViewTarget } from './clusterLogDocuments';
import { OPEN_SOURCE_COMMAND } from './clusterLogLinks';
import type { ClusterLogNavigation } from './clusterLogNavigation';
import { pickFilters } from './filterPicker';
import { CLUSTER_LOG_SCHEME } from './syncApi';
import { timeSync } from '../timeSync';

/** The Cluster Log editor a command acts on: the active one, or the one a menu or link named. */
function viewEditor(arg?: unknown): vscode.TextEditor | undefined {
  const uri = arg instanceof vscode.Uri ? arg : typeof arg === 'string' ? vscode.Uri.parse(arg) : undefined;
  const active = vscode.window.activeTextEditor;
  if (uri) return vscode.window.visibleTextEditors.find((e) => viewKey(e.document.uri) === viewKey(uri));
  return active?.document.uri.scheme === CLUSTER_LOG_SCHEME ? active : undefined;
}

/** Opening views, and what the reader does in them: filters, jumps, the source line. */
export class ClusterLogCommands {
  constructor(
    private readonly client: LanguageClient,
    private readonly docs: ClusterLogDocuments,
    private readonly nav: ClusterLogNavigation,
  ) {}

  /** The bundle a view reads: the one holding `uri`, the only one, or the one the user picks. Undefined: none, or cancelled. */
  async bundleFor(uri?: string): Promise<string | undefined> {
    const bundles = await request(this.client, IndexSummaryRequest, {});
    if (bundles.length === 0) {
      void vscode.window.showWarningMessage('No log bundle is indexed: open a bundle folder first.');
      return undefined;
    }
    const holding = uri ? bundles.find((b) => uri.startsWith(b.rootUri.endsWith('/') ? b.rootUri : `${b.rootUri}/`)) : undefined;
    if (holding) return holding.root;
    if (bundles.length === 1) return bundles[0].root;
    const pick = await vscode.window.showQuickPick(
      bundles.map((b) => ({ label: uiText(b.root), description: `${b.nodes.length} nodes`, root: b.root })),
      { title: 'Which bundle?' },
    );
    return pick?.root;
  }

  /** Opens the view of a bundle with filters at a target (the start without one). */
  async open(q: ViewQuery, target?: ViewTarget, column = vscode.ViewColumn.Active): Promise<vscode.TextEditor> {
    return this.nav.open(q, target, column);
  }

  /** The view of an editor, once its first pages are read. */
  private async viewOf(e: vscode.TextEditor): Promise<ClusterLogView> {
    const v = this.docs.viewFor(e.document.uri);
    await v.loaded;
    return v;
  }

  /**
   * Shows the same bundle with other filters, at the same moment, in place of the current tab. A filter the
   * merge cannot use (a bad regex) is said so, and the view stays as it was.
   */
  async refilter(e: vscode.TextEditor, filters: ViewFilters): Promise<void> {
    const v = await this.viewOf(e);
    const probe = await this.docs.read({ ...v, query: { ...v.query, filters } }, { from: 0, to: 1, limit: 1 });
    if (probe.problem) {
      void vscode.window.showErrorMessage(`Filter not applied: ${uiText(probe.problem)}`);
      return;
    }
    const time = this.docs.entryAt(v, e.selection.active.line)?.time ?? v.window.lines[0]?.time;
    const oldTab = vscode.window.tabGroups.all
      .flatMap((g) => g.tabs)
      .find((t) => t.input instanceof vscode.TabInputText && viewKey(t.input.uri) === viewKey(e.document.uri));
    const next = await this.nav.open({ ...v.query, filters }, time === undefined ? undefined : { time }, e.viewColumn);
    if (oldTab && viewKey(next.document.uri) !== viewKey(e.document.uri)) await vscode.window.tabGroups.close(oldTab, true);
  }

  register(): vscode.Disposable[] {
    const withView = (run: (e: vscode.TextEditor, v: ClusterLogView) => Promise<void>) => async (arg?: unknown) => {
      const e = viewEditor(arg);
      if (!e) {
        void vscode.window.showInformationMessage('Open the Cluster Log view first (Quorum Lens: Open Cluster Log).');
        return;
      }
      await run(e, await this.viewOf(e));
    };
    return [
      vscode.commands.registerCommand('quorumLens.openClusterLog', async (at?: unknown) => {
        const bundle = await this.bundleFor(vscode.window.activeTextEditor?.document.uri.toString());
        if (!bundle) return;
        // With time sync on, the new view joins the others at their moment; opening it moves nobody.
        const sync = timeSync();
        const time = typeof at === 'number' ? at : sync?.current;
        const open = () => this.open({ bundle, filters: { ...NO_FILTERS } }, time === undefined ? undefined : { time });
        await (sync ? sync.quietly(open) : open());
      }),
      vscode.commands.registerCommand(
        'quorumLens.clusterLog.goToTime',
        withView(async (e, v) => {
          const current = this.docs.entryAt(v, e.selection.active.line)?.info.timeLabel;
          const text = await vscode.window.showInputBox({
            title: 'Go to Time',
            prompt: 'A time as the logs write it: 2023-03-14 01:35:51 or 2023-03-14T01:35:51.703',
            value: current ?? '',
            validateInput: (t) => (parseUserTime(t) === undefined ? 'not a time' : undefined),
          });
          const time = text === undefined ? undefined : parseUserTime(text);
          if (time !== undefined) await this.nav.moveTo(e, { time });
        }),
      ),
      // The editor's own Ctrl+Home/End would stop at the edge of the pages read so far.
      vscode.commands.registerCommand(
        'quorumLens.clusterLog.goToStart',
        withView((e, v) => this.edge(e, v, 'forward')),
      ),
      vscode.commands.registerCommand(
        'quorumLens.clusterLog.goToEnd',
        withView((e, v) => this.edge(e, v, 'backward')),
      ),
      vscode.commands.registerCommand(
        'quorumLens.clusterLog.nextError',
        withView((e, v) => this.error(e, v, 'forward')),
      ),
      vscode.commands.registerCommand(
        'quorumLens.clusterLog.previousError',
        withView((e, v) => this.error(e, v, 'backward')),
      ),
      vscode.commands.registerCommand(
        'quorumLens.clusterLog.editFilters',
        withView(async (e, v) => {
          const filters = await pickFilters(v);
          if (filters) await this.refilter(e, filters);
        }),
      ),
      vscode.commands.registerCommand(
        'quorumLens.clusterLog.hideLinesLikeThis',
        withView(async (e, v) => {
          const l = this.docs.entryAt(v, e.selection.active.line);
          const re = l && similarLinesRegex(l.info.text);
          if (!re) {
            void vscode.window.showInformationMessage('Put the cursor on a log line with a message to hide the lines like it.');
            return;
          }
          await this.refilter(e, { ...v.query.filters, exclude: [...v.query.filters.exclude, re] });
        }),
      ),
      vscode.commands.registerCommand(OPEN_SOURCE_COMMAND, async (uri?: unknown, line?: unknown) => {
        const e = viewEditor(uri);
        if (!e) return;
        const v = await this.viewOf(e);
        const l = this.docs.entryAt(v, typeof line === 'number' ? line : e.selection.active.line);
        if (l) await openAt(l.info.location, vscode.ViewColumn.Beside);
      }),
    ];
  }

  /** The first (`forward`) or last (`backward`) line of the merged log with the view's filters. */
  private async edge(e: vscode.TextEditor, v: ClusterLogView, direction: 'forward' | 'backward'): Promise<void> {
    const r = await this.docs.read(v, { limit: 1, direction });
    const found = r.lines[0];
    if (r.problem || !found) {
      void vscode.window.showInformationMessage(
        `The merged log has no lines${r.problem ? `: ${uiText(r.problem)}` : ' with these filters'}.`,
      );
      return;
    }
    await this.nav.moveTo(e, { key: keyOf(found), time: found.time });
  }

  /** The next (previous) error of the merged log from the cursor's line, read past the window when needed. */
  private async error(e: vscode.TextEditor, v: ClusterLogView, direction: 'forward' | 'backward'): Promise<void> {
    // From the cursor's entry; on a marker line, from the start (forward) or the end (backward) of the filters.
    const here = this.docs.entryAt(v, e.selection.active.line);
    const r = await this.docs.read(v, { level: 'E', limit: 1, direction, ...(here && { cursor: here.key }) });
    const found = r.lines[0];
    if (r.problem || !found) {
      void vscode.window.showInformationMessage(
        `No ${direction === 'forward' ? 'later' : 'earlier'} error (E or F) in the merged log${r.problem ? `: ${uiText(r.problem)}` : ''}.`,
      );
      return;
    }
    await this.nav.moveTo(e, { key: keyOf(found), time: found.time });
  }
}
