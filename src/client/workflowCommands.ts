import * as vscode from 'vscode';
import { WorkDoneProgress, type LanguageClient } from 'vscode-languageclient/node';
import { parseUserTime } from '../core/time';
import {
  ClockOffsetsRequest,
  ContextRequest,
  CountRequest,
  SessionLifecycleRequest,
  StatsRequest,
  TraceRequest,
  type RequestSpec,
} from '../shared/protocol';
import { referenceTokenAt } from '../shared/referenceToken';
import { request } from './languageClient';
import type { ReadOnlyDocuments } from './readOnlyDocuments';
import { contextMarkdown, countMarkdown, lifecycleMarkdown, offsetsMarkdown, statsMarkdown, traceMarkdown } from './workflowViews';

/** The selection, else the identifier under the cursor (`pid: 65380`, a uuid, a zxid, a session id). */
function selectedOrUnderCursor(): string | undefined {
  const e = vscode.window.activeTextEditor;
  if (!e) return undefined;
  if (!e.selection.isEmpty) return e.document.getText(e.selection).trim();
  const line = e.document.lineAt(e.selection.active.line).text;
  return referenceTokenAt(line, e.selection.active.character);
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
  client: LanguageClient,
  docs: ReadOnlyDocuments,
  focusTimeline: (range: { start: number; end: number }) => void,
): vscode.Disposable[] {
  const slug = (s: string) => s.replace(/[^\w.-]+/g, '_').slice(0, 60);
  return [
    vscode.commands.registerCommand('quorumLens.traceAcrossNodes', async (text?: string, from?: number) => {
      const value =
        text ??
        selectedOrUnderCursor() ??
        (await vscode.window.showInputBox({
          title: 'Trace Across Nodes',
          prompt: 'Text to follow across every node (pid: 65380, a session id, a uuid…)',
        }));
      if (!value) return;
      const max = vscode.workspace.getConfiguration('quorumLens').get<number>('traceMaxLines');
      const r = await withProgress(client, `Quorum Lens: tracing "${value}"`, TraceRequest, { text: value, from, max });
      const page = from === undefined ? '' : `-from-${slug(r.fromLabel ?? String(from))}`;
      // Beside the editor it started from: the line you traced stays in view.
      await docs.show(`trace-${slug(value)}${page}.md`, traceMarkdown(value, r, r.fromLabel), 'markdown', vscode.ViewColumn.Beside);
      if (r.next !== undefined) {
        const next = r.next;
        // Not awaited: the page is readable while the offer stands.
        void vscode.window
          .showInformationMessage(`Trace cut at ${r.limit} lines: shown are the lines before ${r.nextLabel ?? ''}.`, 'Show the Next Lines')
          .then((pick) => pick && vscode.commands.executeCommand('quorumLens.traceAcrossNodes', value, next));
      }
    }),
    vscode.commands.registerCommand('quorumLens.showClusterContext', async (at?: { uri: string; line: number } | string) => {
      const windowSeconds = vscode.workspace.getConfiguration('quorumLens').get<number>('contextWindowSeconds', 5);
      let params: { time?: number; uri?: string; line?: number; windowSeconds: number };
      if (typeof at === 'string') params = { time: parseUserTime(at), windowSeconds };
      else if (at) params = { ...at, windowSeconds };
      else {
        const e = vscode.window.activeTextEditor;
        if (!e) {
          await vscode.commands.executeCommand('quorumLens.showClusterContextAtTime');
          return;
        }
        params = { uri: e.document.uri.toString(), line: e.selection.active.line + 1, windowSeconds };
      }
      const r = await withProgress(client, 'Quorum Lens: reading every node around that moment', ContextRequest, params);
      await docs.show(
        `context-${slug(r.centerLabel ?? 'none')}.md`,
        contextMarkdown(r, windowSeconds),
        'markdown',
        vscode.ViewColumn.Beside,
      );
      if (r.center !== undefined) focusTimeline({ start: r.center - windowSeconds * 1e6, end: r.center + windowSeconds * 1e6 });
    }),
    vscode.commands.registerCommand('quorumLens.showClusterContextAtTime', async () => {
      const text = await vscode.window.showInputBox({
        title: 'Show Cluster Context at Time',
        prompt: 'A time as the logs write it: 2023-03-14 01:35:51 or 2023-03-14T01:35:51.703',
        validateInput: (v) => (parseUserTime(v) === undefined ? 'not a time' : undefined),
      });
      if (text) await vscode.commands.executeCommand('quorumLens.showClusterContext', text);
    }),
    vscode.commands.registerCommand('quorumLens.countPerNode', async (pattern?: string, by?: 'day' | 'hour') => {
      const value =
        pattern ??
        (await vscode.window.showInputBox({
          title: 'Count per Node',
          prompt: 'Text to count (exact)',
          value: selectedOrUnderCursor() ?? '',
        }));
      if (!value) return;
      const bucket = by ?? ((await vscode.window.showQuickPick(['day', 'hour'], { title: 'Group by' })) as 'day' | 'hour' | undefined);
      if (!bucket) return;
      const r = await withProgress(client, `Quorum Lens: counting "${value}"`, CountRequest, { pattern: value, by: bucket });
      await docs.show(`count-${slug(value)}.md`, countMarkdown(value, r));
    }),
    vscode.commands.registerCommand('quorumLens.numericStatistics', async (regex?: string) => {
      const value =
        regex ??
        (await vscode.window.showInputBox({
          title: 'Numeric Statistics',
          prompt: 'A regex with one capture group around the number',
          value: 'GC pause ([0-9.]+)',
        }));
      if (!value) return;
      const r = await withProgress(client, 'Quorum Lens: collecting numbers', StatsRequest, { regex: value });
      await docs.show(`stats-${slug(value)}.md`, statsMarkdown(value, r));
    }),
    vscode.commands.registerCommand('quorumLens.showClockOffsets', async () => {
      const r = await request(client, ClockOffsetsRequest, {});
      await docs.show('clock-offsets.md', offsetsMarkdown(r));
    }),
    vscode.commands.registerCommand('quorumLens.showSessionLifecycle', async (id?: string) => {
      const value =
        id ??
        (await vscode.window.showInputBox({
          title: 'Show Session Lifecycle',
          prompt: 'A ZooKeeper session id (0x…, or decimal), a meta session uuid, or "meta" for every meta session event',
          value: selectedOrUnderCursor() ?? '',
        }));
      if (!value) return;
      const r = await request(client, SessionLifecycleRequest, { id: value });
      await docs.show(`session-${slug(r.id)}.md`, lifecycleMarkdown(r));
    }),
  ];
}
