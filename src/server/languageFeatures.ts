import {
  SymbolKind,
  type CancellationToken,
  type Connection,
  type DocumentLink,
  type DocumentSymbol,
  type FoldingRange,
  type Hover,
  type Location,
  type ReferenceParams,
  type SymbolInformation,
  type TextDocumentPositionParams,
  type TextDocuments,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { detectFormat } from '../core/formats';
import { splitLines } from '../core/lineBreak';
import * as service from '../service';
import { parseWindowUri } from '../shared/protocol';
import { referenceTokenAt } from '../shared/referenceToken';
import type { BundleStore } from './bundleStore';
import { entryFoldingRanges } from './folding';
import { searchControl } from './requests';
import { documentSymbols, workspaceSymbols, type EventSymbol } from '../service/outline';

const SYMBOL_KIND: Record<EventSymbol['kind'], SymbolKind> = {
  role: SymbolKind.Event,
  restart: SymbolKind.Constructor,
  fault: SymbolKind.Key,
  election: SymbolKind.Event,
};

/** How many lines Find All References lists (the trace view has no such limit). */
const MAX_REFERENCES = 5000;

const lineOf = (doc: TextDocument, line: number) =>
  doc.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } }).replace(/\r?\n$/, '');
const atLine = (line: number) => ({ start: { line: line - 1, character: 0 }, end: { line: line - 1, character: 0 } });

type Documents = TextDocuments<TextDocument>;

/** Hovers, Outline, workspace symbols, folding, references and window-view links: thin LSP over the service. */
export function registerLanguageFeatures(
  connection: Connection,
  documents: Documents,
  store: BundleStore,
  ready: () => Promise<void>,
  indexing: () => { done: number; total: number } | undefined,
): void {
  connection.onHover((params) => hover(documents, store, params, indexing));
  connection.onDocumentSymbol((params) => outline(store, params.textDocument.uri));
  connection.onWorkspaceSymbol((params) => symbols(store, params.query));
  connection.onFoldingRanges((params) => folding(documents, store, params.textDocument.uri));
  connection.onReferences(async (params, token) => references(connection, documents, store, ready, params, token));
  connection.onDocumentLinks((params) => windowLinks(documents, params.textDocument.uri));
}

/** Answered at once, from the index as it stands: while a file is not in it yet, the hover says indexing is under way. */
function hover(
  documents: Documents,
  store: BundleStore,
  params: TextDocumentPositionParams,
  indexing: () => { done: number; total: number } | undefined,
): Hover | null {
  const doc = documents.get(params.textDocument.uri);
  if (!doc) return null;
  const line = params.position.line;
  const located = store.locate(doc.uri);
  const r = service.hoverFor(lineOf(doc, line), params.position.character, {
    bundle: located?.handle,
    file: located?.file,
    lineNumber: line + 1 + (located?.lineOffset ?? 0),
    label: store.context().label,
    zone: store.settings.timeZone,
    offsets: service.offsetsUs(store.context()),
    indexing: located && !located.file ? indexing() : undefined,
  });
  if (!r) return null;
  return {
    contents: { kind: 'markdown', value: r.markdown },
    range: { start: { line, character: r.start }, end: { line, character: r.end } },
  };
}

function outline(store: BundleStore, uri: string): DocumentSymbol[] {
  const located = store.locate(uri);
  const q = located?.handle?.queries;
  const entry = located && q?.file(located.relPath);
  if (!q || !entry) return [];
  return documentSymbols(q, entry.index, store.context().label).map((s) => ({
    name: s.name,
    detail: s.detail,
    kind: SYMBOL_KIND[s.kind],
    range: atLine(s.line),
    selectionRange: atLine(s.line),
  }));
}

function symbols(store: BundleStore, query: string): SymbolInformation[] {
  const ctx = store.context();
  return ctx.bundles.flatMap((b) =>
    workspaceSymbols(b.queries, query, ctx.label).map((s) => ({
      name: s.name,
      kind: SYMBOL_KIND[s.kind],
      containerName: s.detail,
      location: { uri: service.fileUriOf(b, s.file), range: atLine(s.line) },
    })),
  );
}

function folding(documents: Documents, store: BundleStore, uri: string): FoldingRange[] {
  const doc = documents.get(uri);
  if (!doc) return [];
  const lines = splitLines(doc.getText());
  const format = store.locate(doc.uri)?.file?.format ?? detectFormat(lines.slice(0, 200)).id;
  return entryFoldingRanges(lines, format).map((r) => ({ startLine: r.start, endLine: r.end }));
}

/** Find All References: every line of the bundle that mentions the identifier under the cursor. */
async function references(
  connection: Connection,
  documents: Documents,
  store: BundleStore,
  ready: () => Promise<void>,
  params: ReferenceParams,
  token: CancellationToken,
): Promise<Location[]> {
  const doc = documents.get(params.textDocument.uri);
  const text = doc && referenceTokenAt(lineOf(doc, params.position.line), params.position.character);
  if (!text) return [];
  const control = searchControl(connection, token);
  await ready();
  const r = await service.trace(store.context(), { text, max: MAX_REFERENCES }, control).finally(() => control.end());
  return r.lines.map((l) => {
    const at = Math.max(0, l.text.indexOf(text));
    const line = l.location.line - 1;
    return { uri: l.location.uri, range: { start: { line, character: at }, end: { line, character: at + text.length } } };
  });
}

/** A window view's lines link back to the same lines of the full file. */
function windowLinks(documents: Documents, uri: string): DocumentLink[] {
  const win = parseWindowUri(uri);
  const doc = documents.get(uri);
  if (!win || !doc) return [];
  return splitLines(doc.getText()).map((text, i) => {
    const end = Math.min(Math.max(text.indexOf(' ', 6), 1), 40);
    return {
      range: { start: { line: i, character: 0 }, end: { line: i, character: end } },
      target: `${win.fileUri}#L${win.from + i}`,
      tooltip: `line ${win.from + i} of the full file`,
    };
  });
}
