import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { WINDOW_SCHEME, type NotificationSpec, type RequestSpec } from '../shared/protocol';

/** Starts the language server as a separate Node process over IPC. Indexing happens there, not here. */
export function createLanguageClient(context: vscode.ExtensionContext, output: vscode.LogOutputChannel): LanguageClient {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'quorum-log' },
      { scheme: WINDOW_SCHEME, language: 'quorum-log' },
    ],
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher('**/*') },
    // Indexes persist in the extension's own storage, never inside the bundle.
    initializationOptions: {
      settings: vscode.workspace.getConfiguration('quorumLens'),
      cacheDir: vscode.Uri.joinPath(context.globalStorageUri, 'indexes').fsPath,
    },
    outputChannel: output,
  };
  return new LanguageClient('quorumLens', 'Quorum Lens', serverOptions, clientOptions);
}

/** Sends a request declared in the shared protocol module, typed by it. */
export function request<P, R>(client: LanguageClient, spec: RequestSpec<P, R>, params: P, token?: vscode.CancellationToken): Promise<R> {
  return token ? client.sendRequest<R>(spec.method, params, token) : client.sendRequest<R>(spec.method, params);
}

/** Listens for a notification declared in the shared protocol module. */
export function onNotification<P>(client: LanguageClient, spec: NotificationSpec<P>, handler: (params: P) => void): vscode.Disposable {
  return client.onNotification(spec.method, handler);
}
