import * as vscode from 'vscode';

export const SCHEME = 'quorum-lens';

/** Read-only documents the extension writes (index summary, decoded values): shown, never saved. */
export class ReadOnlyDocuments implements vscode.TextDocumentContentProvider {
  private readonly contents = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.path) ?? '';
  }

  /** Sets the text behind `quorum-lens:/<name>` and opens it beside the current editor. */
  async show(name: string, text: string, language = 'markdown', viewColumn?: vscode.ViewColumn): Promise<vscode.TextEditor> {
    const uri = vscode.Uri.from({ scheme: SCHEME, path: `/${name}` });
    this.contents.set(uri.path, text);
    this.changed.fire(uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.languages.setTextDocumentLanguage(doc, language);
    return vscode.window.showTextDocument(doc, { preview: false, viewColumn });
  }
}
