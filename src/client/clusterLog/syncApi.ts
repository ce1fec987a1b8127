import { pathToFileURL } from 'node:url';
import type * as vscode from 'vscode';
import { decodeViewQuery } from '../../core/clusterLog/viewFilters';

/** The Cluster Log view's URI scheme: one virtual document per bundle and filter. */
export const CLUSTER_LOG_SCHEME = 'quorum-cluster-log';

/** What the view registers so time sync can read and move it without knowing its insides. */
export interface ClusterLogSync {
  timeAt(doc: vscode.TextDocument, line: number): number | undefined;
  showAt(editor: vscode.TextEditor, time: number): Promise<void>;
}

let sync: ClusterLogSync | undefined;

/** Called once by the view's registration (until then the functions below answer nothing). */
export function setClusterLogSync(s: ClusterLogSync | undefined): void {
  sync = s;
}

/** The corrected time (µs, the merge's clock-offset-corrected time) of a line (0-based) of a Cluster Log document, if it has one. */
export function clusterLogTimeAt(doc: vscode.TextDocument, line: number): number | undefined {
  if (doc.uri.scheme !== CLUSTER_LOG_SCHEME) return undefined;
  return sync?.timeAt(doc, line);
}

/** Moves a visible Cluster Log editor to `time` (µs corrected): reveals the first entry at/after it, repaging when it is outside the window; the editor does not take focus. */
export async function showClusterLogAt(editor: vscode.TextEditor, time: number): Promise<void> {
  if (editor.document.uri.scheme !== CLUSTER_LOG_SCHEME) return;
  await sync?.showAt(editor, time);
}

/**
 * The bundle a Cluster Log document shows, as the `file:` URI of its root (what the server locates a bundle
 * by); undefined when the view does not name one (a workspace of one bundle) or it is not a Cluster Log.
 */
export function clusterLogBundleUri(doc: vscode.TextDocument): string | undefined {
  if (doc.uri.scheme !== CLUSTER_LOG_SCHEME) return undefined;
  const root = decodeViewQuery(doc.uri.query).bundle;
  return root === undefined ? undefined : pathToFileURL(root).toString();
}
