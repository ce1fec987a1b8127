import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { WebviewPageOptions } from './webviewPage';

/**
 * What every panel of ours (the overlap report, the result table) is opened with: scripts on, the find
 * widget, and our own `media/` and `dist/` folders as the only files its page may load.
 */
export function panelOptions(context: vscode.ExtensionContext): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return {
    enableScripts: true,
    enableFindWidget: true,
    localResourceRoots: [vscode.Uri.joinPath(context.extensionUri, 'media'), vscode.Uri.joinPath(context.extensionUri, 'dist')],
  };
}

/** The shell's options for a panel's page: `dist/<script>` and `media/<style>`, under a fresh nonce. */
export function panelPageOptions(
  webview: vscode.Webview,
  context: vscode.ExtensionContext,
  script: string,
  style: string,
): WebviewPageOptions {
  return {
    cspSource: webview.cspSource,
    scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(context.extensionUri, 'dist', script)).toString(),
    styleUri: webview.asWebviewUri(vscode.Uri.joinPath(context.extensionUri, 'media', style)).toString(),
    nonce: randomBytes(16).toString('base64'),
  };
}

/**
 * Puts what a page's copy button asked for on the clipboard, and says so twice: in the page's status line
 * (`say`), where the click was, and in the status bar, which stays in view when the page is scrolled.
 */
export async function copyFromPanel(
  text: string,
  thing: 'report' | 'table',
  format: string,
  say: (message: string) => void,
): Promise<void> {
  await vscode.env.clipboard.writeText(text);
  say(`Copied the ${thing} as ${format}.`);
  vscode.window.setStatusBarMessage(`Quorum Lens: ${thing === 'report' ? 'overlap report' : 'table'} copied as ${format}`, 4000);
}
