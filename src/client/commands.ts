import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { uiText } from '../core/inertText';
import { plural } from '../core/plural';
import {
  DecodeRequest,
  IndexSummaryRequest,
  LeaderIntervalsRequest,
  OverlapsRequest,
  ReindexRequest,
  type RoleInfo,
} from '../shared/protocol';
import { menuEditor, textArg } from './commandArgs';
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
  const labelOf = (role: string) => uiText(roles().find((r) => r.id === role)?.label ?? `${role} leader`);
  const findOverlaps = async (role: string): Promise<void> => {
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: 'Quorum Lens: finding overlaps' },
      () => request(client, OverlapsRequest, { role }),
    );
    const what = labelOf(role);
    // A bundle that is gone is not examined: say so, loudly, before any "no".
    for (const w of result.warnings) void vscode.window.showWarningMessage(`Quorum Lens: ${uiText(w)}`);
    if (result.examined.intervals === 0) {
      await offerRolesWithTerms(role, what);
      return;
    }
    const scope = `${plural(result.examined.intervals, 'leader interval')} examined on ${plural(result.examined.nodes, 'node')}`;
    if (result.overlaps.length === 0) {
      void vscode.window.showInformationMessage(`No ${what} overlaps: ${scope}.`);
      return;
    }
    await pickOverlap(
      result.overlaps,
      `${plural(result.overlaps.length, `${what} overlap`)} (${plural(result.examined.intervals, 'interval')} on ${plural(result.examined.nodes, 'node')})`,
      (o) => showTimeline({ start: o.start, end: o.end }),
      (o) => void explain(overlapKey(o)),
    );
  };

  /**
   * A role with no terms at all has nothing to overlap ("0 intervals on 0 nodes" says nothing): said so,
   * with a button for each role that has terms in the bundle.
   */
  const offerRolesWithTerms = async (role: string, what: string) => {
    const { intervals } = await request(client, LeaderIntervalsRequest, { role: 'all' });
    const held = [...new Set(intervals.map((iv) => iv.role))].filter((r) => r !== role);
    const offers = held.map((r) => ({ title: `Find ${labelOf(r)} overlaps`, role: r }));
    const message = offers.length
      ? `No ${what} terms in this bundle, so no ${what} overlaps. These roles have terms:`
      : `No ${what} terms in this bundle, and no leader terms of any other role: no overlap to find.`;
    // Not awaited: the command is done; a button runs the search for that role.
    void vscode.window.showInformationMessage(`Quorum Lens: ${message}`, ...offers).then((pick) => pick && findOverlaps(pick.role));
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
        `No leader overlaps of any role: ${plural(result.examined.intervals, 'leader interval')} examined on ${plural(result.examined.nodes, 'node')}.`,
      );
      return;
    }
    const o = await pickOverlapToExplain(
      result.overlaps,
      `Explain Overlap: ${plural(result.overlaps.length, 'overlap')} (${plural(result.examined.intervals, 'interval')} on ${plural(result.examined.nodes, 'node')})`,
    );
    if (o) await explain(overlapKey(o));
  };

  return [
    vscode.commands.registerCommand('quorumLens.findMetaLeaderOverlaps', () => findOverlaps('meta')),
    vscode.commands.registerCommand('quorumLens.findLeaderOverlaps', async (role?: unknown) => {
      const chosen =
        textArg(role) ??
        (
          await vscode.window.showQuickPick(
            roles().map((r) => ({ label: uiText(r.id), description: uiText(r.label), role: r.id })),
            { title: 'Find Leader Overlaps', placeHolder: 'Which role?' },
          )
        )?.role;
      if (chosen) await findOverlaps(chosen);
    }),
    vscode.commands.registerCommand('quorumLens.decodeId', async (value?: unknown) => {
      // From the context menu `value` is the editor's Uri: the prompt is then pre-filled from that editor.
      const editor = menuEditor(value) ?? vscode.window.activeTextEditor;
      const selected = editor && !editor.selection.isEmpty ? editor.document.getText(editor.selection).trim() : '';
      const input =
        textArg(value) ??
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
