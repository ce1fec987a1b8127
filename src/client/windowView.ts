import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { LARGE_FILE_BYTES, parseWindowUri, WINDOW_SCHEME, WindowRequest, windowUri } from '../shared/protocol';
import { request } from './languageClient';

/** Lines shown on each side of the target line. */
const RADIUS = 200;

/**
 * The window view: a read-only document of the lines around a target in a file too large for VS Code
 * to hand to extensions (over 50 MB). It has the Cluster Log language, so it is coloured and hoverable,
 * and each line links back to the same line of the full file.
 */
export class WindowViews implements vscode.TextDocumentContentProvider {
  constructor(private readonly client: LanguageClient) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const w = parseWindowUri(uri.toString(true));
    if (!w) return '';
    const r = await request(this.client, WindowRequest, { uri: w.fileUri, from: w.from, to: w.to });
    return r.lines.join('\n');
  }

  /** Opens the window around `line` (1-based) of `fileUri`, the target line selected. */
  async open(
    fileUri: string,
    line: number,
    column: vscode.ViewColumn = vscode.ViewColumn.Beside,
    preserveFocus = false,
  ): Promise<vscode.TextEditor> {
    const from = Math.max(1, line - RADIUS);
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(windowUri(fileUri, from, line + RADIUS)));
    const withLanguage = doc.languageId === 'quorum-log' ? doc : await vscode.languages.setTextDocumentLanguage(doc, 'quorum-log');
    const target = Math.min(line - from, Math.max(withLanguage.lineCount - 1, 0));
    const range = withLanguage.lineAt(target).range;
    const editor = await vscode.window.showTextDocument(withLanguage, {
      viewColumn: column,
      preview: false,
      preserveFocus,
      selection: range,
    });
    editor.revealRange(range, vscode.TextEditorRevealType.InCenter);
    return editor;
  }
}

let views: WindowViews | undefined;

export function registerWindowViews(client: LanguageClient): vscode.Disposable[] {
  views = new WindowViews(client);
  return [
    vscode.workspace.registerTextDocumentContentProvider(WINDOW_SCHEME, views),
    vscode.commands.registerCommand('quorumLens.openWindow', async (uri?: vscode.Uri, line?: number) => {
      const tab = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
      const target = uri ?? (tab instanceof vscode.TabInputText ? tab.uri : undefined);
      if (!target || target.scheme !== 'file') {
        void vscode.window.showWarningMessage('Open a log file of the bundle first.');
        return;
      }
      const chosen =
        line ??
        Number(
          await vscode.window.showInputBox({
            title: 'Open Window Around Line',
            prompt: `Line of ${target.path.split('/').pop() ?? target.path}`,
            validateInput: (v) => (/^\d+$/.test(v) ? undefined : 'a line number'),
          }),
        );
      if (chosen > 0) await views?.open(target.toString(), chosen);
    }),
  ];
}

/** True when VS Code will not hand this file to extensions: no hovers or highlighting in its editor. */
export async function isLargeFile(uri: vscode.Uri): Promise<boolean> {
  try {
    return (await vscode.workspace.fs.stat(uri)).size > LARGE_FILE_BYTES;
  } catch {
    return false;
  }
}

/** Opens the window view of a large file (see registerWindowViews). */
export function openWindow(
  fileUri: string,
  line: number,
  column?: vscode.ViewColumn,
  preserveFocus = false,
): Promise<vscode.TextEditor> | undefined {
  return views?.open(fileUri, line, column, preserveFocus);
}
