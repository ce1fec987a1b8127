import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { LinesAtTimeRequest, parseWindowUri, TimeAtLineRequest, WINDOW_SCHEME, type SyncLine } from '../shared/protocol';
import { CLUSTER_LOG_SCHEME, clusterLogBundleUri, clusterLogTimeAt, showClusterLogAt } from './clusterLog/syncApi';
import { request } from './languageClient';
import { openWindow } from './windowView';

/** What time sync knows about editors: where it put each one's cursor (document URI → 0-based line). */
export type PlacedLines = Map<string, number>;

/** A document the server answers for: a bundle file or a window view of one. */
const isServed = (doc: vscode.TextDocument) => doc.uri.scheme === 'file' || doc.uri.scheme === WINDOW_SCHEME;

/** The moment (corrected µs) of an editor's cursor line, or undefined: a document of no bundle, an undated file. */
export async function momentOf(client: LanguageClient, editor: vscode.TextEditor): Promise<number | undefined> {
  const doc = editor.document;
  const line = editor.selection.active.line;
  if (doc.uri.scheme === CLUSTER_LOG_SCHEME) return clusterLogTimeAt(doc, line);
  if (!isServed(doc)) return undefined;
  const m = await request(client, TimeAtLineRequest, { uri: doc.uri.toString(), line: line + 1 });
  return m?.time;
}

/** Puts an editor's cursor on a 0-based line, the line selected and revealed in the middle; focus stays where it is. */
function place(editor: vscode.TextEditor, line: number, placed: PlacedLines): void {
  const doc = editor.document;
  const at = Math.min(Math.max(line, 0), Math.max(doc.lineCount - 1, 0));
  const range = doc.lineAt(at).range;
  placed.set(doc.uri.toString(), at);
  editor.selection = new vscode.Selection(range.start, range.end);
  editor.revealRange(range, vscode.TextEditorRevealType.InCenter);
}

/**
 * A window view shows a few hundred lines of its file: a line inside it is placed there, one outside
 * opens the window around it in the same group, in place of the old one.
 */
async function placeInWindow(editor: vscode.TextEditor, fileLine: number, placed: PlacedLines): Promise<void> {
  const w = parseWindowUri(editor.document.uri.toString());
  if (!w) return;
  if (fileLine >= w.from && fileLine - w.from < editor.document.lineCount) {
    place(editor, fileLine - w.from, placed);
    return;
  }
  const old = editor.document.uri.toString();
  const next = await openWindow(w.fileUri, fileLine, editor.viewColumn, true);
  if (next) placed.set(next.document.uri.toString(), next.selection.active.line);
  for (const group of vscode.window.tabGroups.all)
    for (const tab of group.tabs)
      if (tab.input instanceof vscode.TabInputText && tab.input.uri.toString() === old && group.viewColumn === editor.viewColumn)
        await vscode.window.tabGroups.close(tab, true);
}

/**
 * Moves editors to a moment: each bundle file (and window view) to its first line at or after it, in one
 * request; each Cluster Log view through its own API. Files of another bundle than the source's, and
 * files with no dated line, stay put. `stale()` says a newer moment came meanwhile: then nothing moves.
 */
export async function moveEditorsTo(
  client: LanguageClient,
  time: number,
  editors: readonly vscode.TextEditor[],
  placed: PlacedLines,
  stale: () => boolean,
  source?: vscode.TextDocument,
): Promise<void> {
  // The moment's bundle: a source file's own; a Cluster Log view's root (or, naming none, the only bundle).
  const sourceUri = source?.uri.scheme === CLUSTER_LOG_SCHEME ? clusterLogBundleUri(source) : source?.uri.toString();
  const served = editors.filter((e) => isServed(e.document));
  const answers: (SyncLine | null)[] =
    served.length === 0
      ? []
      : await request(client, LinesAtTimeRequest, {
          time,
          uris: served.map((e) => e.document.uri.toString()),
          ...(sourceUri !== undefined && { sameBundleAs: sourceUri }),
        });
  if (stale()) return;
  for (const [i, editor] of served.entries()) {
    const a = answers[i];
    if (!a) continue;
    if (editor.document.uri.scheme === WINDOW_SCHEME) await placeInWindow(editor, a.line, placed);
    else place(editor, a.line - 1, placed);
  }
  for (const editor of editors)
    if (editor.document.uri.scheme === CLUSTER_LOG_SCHEME) {
      if (stale()) return;
      await showClusterLogAt(editor, time);
      placed.set(editor.document.uri.toString(), editor.selection.active.line);
    }
}

/** The 1-based line of each served document at a moment (the overlap picker opens both sides there). */
export async function linesAt(client: LanguageClient, time: number, uris: readonly string[]): Promise<(SyncLine | null)[]> {
  return uris.length === 0 ? [] : request(client, LinesAtTimeRequest, { time, uris: [...uris] });
}
