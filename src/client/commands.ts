import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { uiText } from '../core/inertText';
import { DecodeRequest, IndexSummaryRequest, OverlapsRequest, ReindexRequest, type RoleInfo } from '../shared/protocol';
import { request } from './languageClient';
import { overlapKey, pickOverlap, pickOverlapToExplain } from './overlapPicker';
import { parseOverlapKey, type OverlapKey } from '../shared/reportProtocol';
import type { ReadOnlyDocuments } from './readOnlyDocuments';
import { summaryMarkdown } from './summaryMarkdown';

/** Registers the palette commands (category "Quorum Lens"). */
export function registerCommands(
  client: LanguageClient,
  docs: ReadOnlyDocuments,
  roles: () => readonly RoleInfo[],
  showTimeline: (focus?: { start: number; end: number }) => void,
  explain: (key: OverlapKey) => Promise<void>,
): vscode.Disposable[] {
  const findOverlaps = async (role: string) => {
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: 'Quorum Lens: finding overlaps' },
      () => request(client, OverlapsRequest, { role }),
    );
    const what = uiText(roles().find((r) => r.id === role)?.label ?? `${role} leader`);
    // A bundle that is gone is not examined: say so, loudly, before any "no".
    for (const w of result.warnings) void vscode.window.showWarningMessage(`Quorum Lens: ${uiText(w)}`);
    if (result.overlaps.length === 0) {
      void vscode.window.showInformationMessage(
        `No ${what} overlaps: ${result.examined.intervals} leader intervals examined on ${result.examined.nodes} nodes.`,
      );
      return;
    }
    await pickOverlap(
      result.overlaps,
      `${result.overlaps.length} ${what} overlaps (${result.examined.intervals} intervals on ${result.examined.nodes} nodes)`,
      (o) => showTimeline({ start: o.start, end: o.end }),
      (o) => void explain(overlapKey(o)),
    );
  };

  /** With `{ role, nodes, start }` (the timeline's list, the quick pick's button): that overlap; without: pick one of any role. */
  const explainOverlap = async (arg?: unknown) => {
    if (arg !== undefined) {
      const key = parseOverlapKey(arg);
      if (key) await explain(key);
      else void vscode.window.showErrorMessage('Quorum Lens: Explain Overlap takes { role, nodes: [a, b], start }.');
      return;
    }
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: 'Quorum Lens: finding overlaps' },
      () => request(client, OverlapsRequest, { role: 'all' }),
    );
    for (const w of result.warnings) void vscode.window.showWarningMessage(`Quorum Lens: ${uiText(w)}`);
    if (result.overlaps.length === 0) {
      void vscode.window.showInformationMessage(
        `No leader overlaps of any role: ${result.examined.intervals} leader intervals examined on ${result.examined.nodes} nodes.`,
      );
      return;
    }
    const o = await pickOverlapToExplain(
      result.overlaps,
      `Explain Overlap: ${result.overlaps.length} overlaps (${result.examined.intervals} intervals on ${result.examined.nodes} nodes)`,
    );
    if (o) await explain(overlapKey(o));
  };

  return [
    vscode.commands.registerCommand('quorumLens.findMetaLeaderOverlaps', () => findOverlaps('meta')),
    vscode.commands.registerCommand('quorumLens.findLeaderOverlaps', async (role?: string) => {
      const chosen =
        role ??
        (
          await vscode.window.showQuickPick(
            roles().map((r) => ({ label: uiText(r.id), description: uiText(r.label), role: r.id })),
            { title: 'Find Leader Overlaps', placeHolder: 'Which role?' },
          )
        )?.role;
      if (chosen) await findOverlaps(chosen);
    }),
    vscode.commands.registerCommand('quorumLens.decodeId', async (value?: string) => {
      const editor = vscode.window.activeTextEditor;
      const selected = editor && !editor.selection.isEmpty ? editor.document.getText(editor.selection).trim() : '';
      const input =
        value ??
        (await vscode.window.showInputBox({
          title: 'Decode ZooKeeper Id',
          prompt: 'A zxid (0x100000175e), a session id (hex or kazoo decimal), a retcode (-7) or an errno (110)',
          value: selected,
        }));
      if (!input) return;
      const r = await request(client, DecodeRequest, { value: input });
      await docs.show(`decode-${input.replace(/[^\w-]/g, '_')}.md`, r.markdown);
    }),
    vscode.commands.registerCommand('quorumLens.showLeaderTimeline', () => showTimeline()),
    vscode.commands.registerCommand('quorumLens.explainOverlap', explainOverlap),
    vscode.commands.registerCommand('quorumLens.reindex', () =>
      vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Quorum Lens: reindexing' }, () =>
        request(client, ReindexRequest, {}),
      ),
    ),
    vscode.commands.registerCommand('quorumLens.showIndexSummary', async () => {
      const bundles = await request(client, IndexSummaryRequest, {});
      await docs.show('index-summary.md', summaryMarkdown(bundles));
    }),
  ];
}
