import * as vscode from 'vscode';
import { referenceTokenAt } from '../shared/referenceToken';

// What a command handler is given depends on where it was run from: nothing from the palette or a key
// binding, the text or time its callers pass from code (a notification's button, another command), and
// from the editor's context menu the document's Uri (then an options object). Handlers read their
// arguments through these, so a Uri is never taken for a text or a line.

/** The argument when it is a string (a text to trace, a time, an id), else undefined. */
export function textArg(arg: unknown): string | undefined {
  return typeof arg === 'string' ? arg : undefined;
}

/** The editor a context-menu invocation came from: the one showing the Uri the menu passed, else undefined. */
export function menuEditor(arg: unknown): vscode.TextEditor | undefined {
  if (!(arg instanceof vscode.Uri)) return undefined;
  const uri = arg.toString();
  const active = vscode.window.activeTextEditor;
  if (active?.document.uri.toString() === uri) return active;
  return vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri);
}

/** The selection, else the identifier under the cursor (`pid: 65380`, a uuid, a zxid, a session id). */
export function selectedOrUnderCursor(editor: vscode.TextEditor | undefined): string | undefined {
  if (!editor) return undefined;
  if (!editor.selection.isEmpty) return editor.document.getText(editor.selection).trim() || undefined;
  const line = editor.document.lineAt(editor.selection.active.line).text;
  return referenceTokenAt(line, editor.selection.active.character);
}
