import * as vscode from 'vscode';
import { WorkDoneProgress, type LanguageClient } from 'vscode-languageclient/node';
import { parseUserTime } from '../core/time';
import {
  ClockOffsetsRequest,
  ContextRequest,
  CountRequest,
  SessionLifecycleRequest,
  StatsRequest,
  type RequestSpec,
} from '../shared/protocol';
import { menuEditor, selectedOrUnderCursor, textArg } from './commandArgs';
import { request } from './languageClient';
import type { ReadOnlyDocuments } from './readOnlyDocuments';
import { ResultTablePanel } from './tableView';
import { lifecycleMarkdown, offsetsMarkdown } from './workflowViews';
import { showInClusterLog } from './clusterLog/clusterLogView';
import { CLUSTER_LOG_SCHEME, clusterLogTimeAt } from './clusterLog/syncApi';
import { literalRegex } from '../core/clusterLog/similarLines';

/** `{ uri, line }`: a line of a bundle file, as code passes it to Show Cluster Context. */
function isLineAt(a: unknown): a is { uri: string; line: number } {
  const v = a as { uri?: unknown; line?: unknown } | undefined;
  return typeof v?.uri === 'string' && typeof v.line === 'number';
}

let progressTokens = 0;

/**
 * Runs a request with a cancellable progress notification: bundle searches can take seconds. The server
 * reports files searched on the request's work-done token; cancelling cancels the request.
 */
function withProgress<P, R>(client: LanguageClient, title: string, spec: RequestSpec<P, R>, params: P): Thenable<R> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title, cancellable: true },
    async (progress, token) => {
      const workDoneToken = `quorumLens/search/${++progressTokens}`;
      let reported = 0;
      const sub = client.onProgress(WorkDoneProgress.type, workDoneToken, (v) => {
        if (v.kind !== 'report') return;
        const percentage = v.percentage ?? reported;
        progress.report({ message: v.message, increment: percentage - reported });
        reported = percentage;
      });
      try {
        return await request(client, spec, { ...params, workDoneToken }, token);
      } finally {
        sub.dispose();
      }
    },
  );
}

/**
 * The seeds' manual workflows as commands: trace an identifier, what every node did at a moment, counts
 * per node, numeric statistics, clock offsets, and a session's lifecycle.
 */
export function registerWorkflowCommands(
  context: vscode.ExtensionContext,
  client: LanguageClient,
  docs: ReadOnlyDocuments,
  focusTimeline: (range: { start: number; end: number }) => void,
): vscode.Disposable[] {
  const slug = (s: string) => s.replace(/[^\w.-]+/g, '_').slice(0, 60);
  // Beside what is active (the source line, an open timeline stay in view); in place from the view itself.
  const besideSource = () =>
    vscode.window.activeTextEditor?.document.uri.scheme === CLUSTER_LOG_SCHEME ? vscode.ViewColumn.Active : vscode.ViewColumn.Beside;
  return [
    vscode.commands.registerCommand('quorumLens.traceAcrossNodes', async (arg?: unknown, fromArg?: unknown) => {
      // The context menu's second argument is an options object, not the page start a notification passes.
      const from = typeof fromArg === 'number' ? fromArg : undefined;
      // The context menu is a gesture on the selection (or the id under the cursor): traced as it is. From
      // the palette the word under the cursor may be a stray one: offered, selected, to confirm or edit.
      const value =
        textArg(arg) ??
        selectedOrUnderCursor(menuEditor(arg)) ??
        (await vscode.window.showInputBox({
          title: 'Trace Across Nodes',
          prompt: 'Text to follow across every node (pid: 65380, a session id, a uuid…)',
          // Selected as a whole (VS Code's default for a pre-filled value): typing replaces it.
          value: selectedOrUnderCursor(vscode.window.activeTextEditor) ?? '',
        }));
      if (!value) return;
      // The Cluster Log view filtered to the literal text, from the start (or a time code asked for).
      await showInClusterLog({ include: [literalRegex(value)] }, from === undefined ? undefined : { time: from }, {
        uri: (menuEditor(arg) ?? vscode.window.activeTextEditor)?.document.uri.toString(),
        column: besideSource(),
      });
    }),
    vscode.commands.registerCommand('quorumLens.showClusterContext', async (at?: unknown) => {
      const windowSeconds = vscode.workspace.getConfiguration('quorumLens').get<number>('contextWindowSeconds', 5);
      let params: { time?: number; uri?: string; line?: number; windowSeconds: number };
      const time = textArg(at);
      const e = at === undefined ? vscode.window.activeTextEditor : menuEditor(at);
      if (time !== undefined) params = { time: parseUserTime(time), windowSeconds: 0 };
      else if (isLineAt(at)) params = { uri: at.uri, line: at.line, windowSeconds: 0 };
      else if (e && e.document.uri.scheme === CLUSTER_LOG_SCHEME) {
        // In the view itself: the whole bundle, unfiltered, at the cursor's line.
        const t = clusterLogTimeAt(e.document, e.selection.active.line);
        if (t === undefined) return;
        params = { time: t, windowSeconds: 0 };
      } else {
        // From the context menu: the editor it was opened on; from the palette: the active one.
        if (!e) {
          await vscode.commands.executeCommand('quorumLens.showClusterContextAtTime');
          return;
        }
        params = { uri: e.document.uri.toString(), line: e.selection.active.line + 1, windowSeconds: 0 };
      }
      // The moment of a line is the server's to find (its entry's time, its node's offset applied).
      const r = params.time !== undefined ? { center: params.time } : await request(client, ContextRequest, params);
      if ('problem' in r && r.problem) {
        void vscode.window.showWarningMessage(r.problem);
        return;
      }
      if (r.center === undefined) return;
      const origin = params.uri !== undefined && params.line !== undefined ? { uri: params.uri, line: params.line } : undefined;
      // The unfiltered view at that moment: the origin line (or the first at/after the time) centred, ± pages around it.
      await showInClusterLog({}, { time: r.center, ...(origin && { origin }) }, { uri: params.uri, column: besideSource() });
      focusTimeline({ start: r.center - windowSeconds * 1e6, end: r.center + windowSeconds * 1e6 });
    }),
    vscode.commands.registerCommand('quorumLens.showClusterContextAtTime', async () => {
      const text = await vscode.window.showInputBox({
        title: 'Show Cluster Context at Time',
        prompt: 'A time as the logs write it: 2023-03-14 01:35:51 or 2023-03-14T01:35:51.703',
        validateInput: (v) => (parseUserTime(v) === undefined ? 'not a time' : undefined),
      });
      if (text) await vscode.commands.executeCommand('quorumLens.showClusterContext', text);
    }),
    vscode.commands.registerCommand('quorumLens.countPerNode', async (pattern?: unknown, byArg?: unknown) => {
      const by = byArg === 'day' || byArg === 'hour' ? byArg : undefined;
      const value =
        textArg(pattern) ??
        (await vscode.window.showInputBox({
          title: 'Count per Node',
          prompt: 'Text to count (exact)',
          value: selectedOrUnderCursor(menuEditor(pattern) ?? vscode.window.activeTextEditor) ?? '',
        }));
      if (!value) return;
      const bucket = by ?? ((await vscode.window.showQuickPick(['day', 'hour'], { title: 'Group by' })) as 'day' | 'hour' | undefined);
      if (!bucket) return;
      const r = await withProgress(client, `Quorum Lens: counting "${value}"`, CountRequest, { pattern: value, by: bucket });
      ResultTablePanel.showCount(context, r);
    }),
    vscode.commands.registerCommand('quorumLens.numericStatistics', async (regex?: unknown) => {
      const value =
        textArg(regex) ??
        (await vscode.window.showInputBox({
          title: 'Numeric Statistics',
          prompt: 'A regex with one capture group around the number',
          value: 'GC pause ([0-9.]+)',
        }));
      if (!value) return;
      const r = await withProgress(client, 'Quorum Lens: collecting numbers', StatsRequest, { regex: value });
      ResultTablePanel.showStats(context, r);
    }),
    vscode.commands.registerCommand('quorumLens.showClockOffsets', async () => {
      const r = await request(client, ClockOffsetsRequest, {});
      await docs.show('clock-offsets.md', offsetsMarkdown(r));
    }),
    vscode.commands.registerCommand('quorumLens.showSessionLifecycle', async (id?: unknown) => {
      const value =
        textArg(id) ??
        (await vscode.window.showInputBox({
          title: 'Show Session Lifecycle',
          prompt: 'A ZooKeeper session id (0x…, or decimal), a meta session uuid, or "meta" for every meta session event',
          value: selectedOrUnderCursor(menuEditor(id) ?? vscode.window.activeTextEditor) ?? '',
        }));
      if (!value) return;
      const r = await request(client, SessionLifecycleRequest, { id: value });
      await docs.show(`session-${slug(r.id)}.md`, lifecycleMarkdown(r));
    }),
  ];
}
