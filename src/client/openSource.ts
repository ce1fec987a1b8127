import * as vscode from 'vscode';
import type { SourceLocation } from '../shared/protocol';
import { isLargeFile, openWindow } from './windowView';
import { uiText } from '../core/inertText';

/**
 * Opens a bundle file at a 1-based line, revealed in the middle and selected. A file over 50 MB is not
 * handed to extensions (and VS Code asks before it even shows one), so it opens as its window view —
 * the lines around the target, coloured, hoverable, linked back — with the full file one click away.
 */
export async function openAt(
  loc: SourceLocation,
  column: vscode.ViewColumn,
  preserveFocus = false,
): Promise<vscode.TextEditor | undefined> {
  const uri = vscode.Uri.parse(loc.uri);
  if (await isLargeFile(uri)) {
    const editor = await openWindow(loc.uri, loc.line, column, preserveFocus);
    const name = uri.path.split('/').pop() ?? uri.path;
    const full = `Open Full File at Line ${loc.line}`;
    void vscode.window
      .showInformationMessage(`${uiText(name)} is over 50 MB: showing the lines around ${loc.line} (each links to the full file).`, full)
      .then((c) => {
        const line = Math.max(loc.line - 1, 0);
        if (c)
          void vscode.commands.executeCommand('vscode.open', uri, {
            viewColumn: column,
            preview: false,
            selection: new vscode.Range(line, 0, line, 0),
          });
      });
    return editor;
  }
  const doc = await vscode.workspace.openTextDocument(uri);
  const line = Math.min(Math.max(loc.line - 1, 0), Math.max(doc.lineCount - 1, 0));
  const range = doc.lineAt(line).range;
  const editor = await vscode.window.showTextDocument(doc, { viewColumn: column, preview: false, preserveFocus, selection: range });
  editor.revealRange(range, vscode.TextEditorRevealType.InCenter);
  return editor;
}
