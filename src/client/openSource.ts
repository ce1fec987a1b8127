import * as vscode from 'vscode';
import type { SourceLocation } from '../shared/protocol';
import { isLargeFile, openWindow } from './windowView';

/**
 * Opens a bundle file at a 1-based line, revealed in the middle and selected. A file over 50 MB (which
 * VS Code does not give to extensions) opens at the line all the same, and the user is offered the
 * window view of the lines around it, with highlighting and hovers.
 */
export async function openAt(loc: SourceLocation, column: vscode.ViewColumn, preserveFocus = false): Promise<vscode.TextEditor | undefined> {
  const uri = vscode.Uri.parse(loc.uri);
  if (await isLargeFile(uri)) {
    const line = Math.max(loc.line - 1, 0);
    const selection = new vscode.Range(line, 0, line, 0);
    await vscode.commands.executeCommand('vscode.open', uri, { viewColumn: column, preserveFocus, preview: false, selection });
    const name = uri.path.split('/').pop();
    void vscode.window.showInformationMessage(`${name} is too large for extensions (over 50 MB): no highlighting or hovers in its editor.`, 'Open Window View').then((c) => {
      if (c) void openWindow(loc.uri, loc.line);
    });
    return undefined;
  }
  const doc = await vscode.workspace.openTextDocument(uri);
  const line = Math.min(Math.max(loc.line - 1, 0), Math.max(doc.lineCount - 1, 0));
  const range = doc.lineAt(line).range;
  const editor = await vscode.window.showTextDocument(doc, { viewColumn: column, preview: false, preserveFocus, selection: range });
  editor.revealRange(range, vscode.TextEditorRevealType.InCenter);
  return editor;
}

/** Two lines side by side: the first in the left group, the second beside it. */
export async function openSideBySide(left: SourceLocation, right: SourceLocation): Promise<void> {
  await openAt(left, vscode.ViewColumn.One);
  await openAt(right, vscode.ViewColumn.Two, true);
}
