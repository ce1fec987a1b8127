import * as vscode from 'vscode';
import type { SourceLocation } from '../shared/protocol';

/** Opens a bundle file at a 1-based line, revealed in the middle and selected. */
export async function openAt(loc: SourceLocation, column: vscode.ViewColumn, preserveFocus = false): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(loc.uri));
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
