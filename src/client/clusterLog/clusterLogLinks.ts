import * as vscode from 'vscode';
import { originalTextStart } from '../../core/clusterLog/clusterLogLine';
import { lineHoverMarkdown } from '../../core/clusterLog/lineHover';
import { ENTRY_OFFSET } from '../../core/clusterLog/pagedWindow';
import { LARGE_FILE_BYTES, windowUri } from '../../shared/protocol';
import type { ClusterLogDocuments } from './clusterLogDocuments';
import { CLUSTER_LOG_SCHEME } from './syncApi';

/** The command a line's time/node column links to: opens its source line beside the view. */
export const OPEN_SOURCE_COMMAND = 'quorumLens.clusterLog.openSource';

/** Lines around the target in the window view a definition of a large file lands in. */
const WINDOW_RADIUS = 200;

const selector: vscode.DocumentSelector = { scheme: CLUSTER_LOG_SCHEME };

/** The prefix (`time │ node │ `) of a document line: where the links and the source hover are. */
function prefixRange(doc: vscode.TextDocument, line: number): vscode.Range | undefined {
  const text = doc.lineAt(line).text;
  const start = originalTextStart(text);
  return start < 0 ? undefined : new vscode.Range(line, 0, line, Math.max(0, start - 3));
}

/** Hover, Go to Definition and the time/node column's links of Cluster Log documents. */
export function registerClusterLogLinks(docs: ClusterLogDocuments): vscode.Disposable[] {
  const entry = (doc: vscode.TextDocument, line: number) => {
    const v = docs.viewOf(doc);
    const l = v && docs.entryAt(v, line);
    return v && l ? { v, l } : undefined;
  };
  return [
    vscode.languages.registerHoverProvider(selector, {
      provideHover(doc, pos) {
        const e = entry(doc, pos.line);
        const range = prefixRange(doc, pos.line);
        if (!e || !range?.contains(pos)) return undefined;
        // Not trusted, no commands, no HTML: log text and file names are escaped by the core.
        return new vscode.Hover(new vscode.MarkdownString(lineHoverMarkdown(e.l.info, e.v.nodes.get(e.l.info.node))), range);
      },
    }),
    vscode.languages.registerDefinitionProvider(selector, {
      async provideDefinition(doc, pos) {
        const e = entry(doc, pos.line);
        if (!e) return undefined;
        const loc = e.l.info.location;
        const uri = vscode.Uri.parse(loc.uri);
        // A file VS Code will not hand to extensions lands in its window view (the lines around the target).
        const large = await vscode.workspace.fs.stat(uri).then(
          (s) => s.size > LARGE_FILE_BYTES,
          () => false,
        );
        if (!large) return new vscode.Location(uri, new vscode.Position(Math.max(0, loc.line - 1), 0));
        const from = Math.max(1, loc.line - WINDOW_RADIUS);
        return new vscode.Location(
          vscode.Uri.parse(windowUri(loc.uri, from, loc.line + WINDOW_RADIUS)),
          new vscode.Position(loc.line - from, 0),
        );
      },
    }),
    vscode.languages.registerDocumentLinkProvider(selector, {
      provideDocumentLinks(doc) {
        const v = docs.viewOf(doc);
        if (!v) return [];
        const links: vscode.DocumentLink[] = [];
        // Only the prefix the extension wrote links, to a command with the document and line: never the log text.
        for (let i = 0; i < v.window.lines.length; i++) {
          const line = i + ENTRY_OFFSET;
          if (line >= doc.lineCount) break;
          const range = prefixRange(doc, line);
          if (!range) continue;
          // The time only: a link is drawn underlined, and one column of them reads as links, two as noise.
          const time = new vscode.Range(line, 0, line, Math.max(1, doc.lineAt(line).text.indexOf(' │')));
          const args = encodeURIComponent(JSON.stringify([doc.uri.toString(), line]));
          const link = new vscode.DocumentLink(time, vscode.Uri.parse(`command:${OPEN_SOURCE_COMMAND}?${args}`));
          link.tooltip = 'Open the source line';
          links.push(link);
        }
        return links;
      },
    }),
  ];
}
