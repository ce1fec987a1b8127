import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { IsBundleFileRequest } from '../shared/protocol';
import { request } from './languageClient';

const GENERIC = new Set(['log', 'plaintext']);

/**
 * Bundle files that VS Code opens as plain text or its built-in Log language (`test_run.log`,
 * `hadoop-…-zkfc-….log`) get the Cluster Log language, so they are coloured and hoverable too.
 * Files outside the bundle keep their language.
 */
export function adoptBundleDocuments(client: LanguageClient): { adoptOpen(): void; disposable: vscode.Disposable } {
  const adopt = async (doc: vscode.TextDocument) => {
    if (doc.uri.scheme !== 'file' || !GENERIC.has(doc.languageId)) return;
    try {
      if (await request(client, IsBundleFileRequest, { uri: doc.uri.toString() })) {
        await vscode.languages.setTextDocumentLanguage(doc, 'quorum-log');
      }
    } catch {
      // The server may be restarting; the document keeps its language.
    }
  };
  const adoptOpen = () => {
    for (const doc of vscode.workspace.textDocuments) void adopt(doc);
  };
  adoptOpen();
  return { adoptOpen, disposable: vscode.workspace.onDidOpenTextDocument((doc) => void adopt(doc)) };
}
