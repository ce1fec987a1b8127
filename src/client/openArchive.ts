import * as path from 'node:path';
import { plural } from '../core/plural';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { uiText } from '../core/inertText';
import { UnpackArchiveRequest } from '../shared/protocol';
import { request } from './languageClient';

/**
 * "Open Log Bundle Archive…" (palette, Explorer context menu on an archive): the server unpacks the
 * archive once into its cache, never beside it, and the extraction opens in a new window as the bundle,
 * so every view works on it as on any bundle folder.
 */
export function registerOpenArchive(client: LanguageClient): vscode.Disposable {
  return vscode.commands.registerCommand('quorumLens.openBundleArchive', async (target?: vscode.Uri) => {
    const uri =
      target ??
      (
        await vscode.window.showOpenDialog({
          title: 'Open Log Bundle Archive',
          canSelectMany: false,
          filters: { 'Log bundle archives': ['gz', 'tgz', 'tar', 'zip'] },
        })
      )?.[0];
    if (!uri) return;
    const r = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Quorum Lens: unpacking ${path.basename(uri.fsPath)}` },
      () => request(client, UnpackArchiveRequest, { path: uri.fsPath }),
    );
    if (r.problem || !r.extractedTo) {
      void vscode.window.showErrorMessage(`Quorum Lens: ${uiText(r.problem ?? `${r.name} could not be unpacked`)}`);
      return;
    }
    // A window of its own, as File › Open Folder would: the extraction is then the bundle, whatever is open here.
    const folder = vscode.Uri.file(r.extractedTo);
    if (r.notes.length > 0) {
      // What was refused (entries outside the archive, links, caps) is said before the new window opens.
      const shown = r.notes.slice(0, 3).map(uiText).join(' · ');
      await vscode.window.showWarningMessage(
        `Quorum Lens: ${uiText(r.name)}: ${plural(r.notes.length, 'entry', 'entries')} not unpacked: ${shown}${r.notes.length > 3 ? ' · …' : ''}`,
        { modal: true },
      );
    }
    await vscode.commands.executeCommand('vscode.openFolder', folder, { forceNewWindow: true });
  });
}
