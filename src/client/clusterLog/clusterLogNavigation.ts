import * as vscode from 'vscode';
import { ENTRY_OFFSET } from '../../core/clusterLog/pagedWindow';
import type { ViewQuery } from '../../core/clusterLog/viewFilters';
import type { MergeKey } from '../../core/workflows/mergeOrder';
import { ClusterLogDocuments, openViewDocument, viewKey, viewUri, type ClusterLogView, type ViewTarget } from './clusterLogDocuments';

/** Where a reader is in a view: the entry at the top of the editor and the one the cursor is on. */
interface ReadingPosition {
  top?: MergeKey;
  cursor?: MergeKey;
  character: number;
}

/** How long the reader must pause before a page read for them is put in (ms). */
const IDLE_MS = 120;

/** How long after a jump the editor's scroll events still describe where it was (ms). */
const SETTLE_MS = 600;

/** How close (in lines) the visible part may come to the window's edge before the next page is read. */
const marginOf = (v: ClusterLogView) => Math.max(5, Math.min(200, Math.floor(v.pageLines / 4)));

/**
 * Moving through Cluster Log views: opening one at a time or line, jumping, and reading the next page
 * when the reader nears an edge — the reading position kept (the same entry at the top, the cursor on
 * the same entry) while pages come and go.
 */
export class ClusterLogNavigation {
  /** When the reader last scrolled or moved the cursor (ms). */
  private lastMove = 0;
  /** Per document: when the editor last reported its visible lines, and when a page was last put in. */
  private readonly rangesAt = new Map<vscode.TextDocument, number>();
  private readonly restoredAt = new Map<vscode.TextDocument, number>();

  constructor(private readonly docs: ClusterLogDocuments) {}

  /** The reader scrolled or moved the cursor (the view's event handlers say so). */
  moved(): void {
    this.lastMove = Date.now();
  }

  /** The editor reported its visible lines: from now on they describe the window as it is. */
  rangesReported(doc: vscode.TextDocument): void {
    this.rangesAt.set(doc, Date.now());
  }

  /** The visible lines the extension host knows predate the last page put in: they describe another window. */
  private stale(doc: vscode.TextDocument): boolean {
    return (this.restoredAt.get(doc) ?? -1) >= (this.rangesAt.get(doc) ?? 0);
  }

  /**
   * Resolves once the reader has not moved for a moment: a page is put in while they pause, so a key
   * press does not land between the rewrite and the reading position being put back.
   */
  private async idle(): Promise<void> {
    for (let i = 0; i < 20 && Date.now() - this.lastMove < IDLE_MS; i++) await new Promise((r) => setTimeout(r, IDLE_MS));
  }

  /** Opens the view of a query (reusing its document when open) at a target, or at the start. */
  async open(
    q: ViewQuery,
    target: ViewTarget | undefined,
    column: vscode.ViewColumn = vscode.ViewColumn.Active,
    preserveFocus = false,
  ): Promise<vscode.TextEditor> {
    const uri = viewUri(q);
    const existing = openViewDocument(uri);
    // A document VS Code still holds after its tab was closed opens afresh: at the target, or the start.
    const inTab = vscode.window.tabGroups.all.some((g) =>
      g.tabs.some((t) => t.input instanceof vscode.TabInputText && viewKey(t.input.uri) === viewKey(uri)),
    );
    if (existing && !inTab) target ??= { time: Number.MIN_SAFE_INTEGER };
    if (target && !existing) this.docs.startAt(uri, target);
    // Showing the editor scrolls it before the cursor is put on the target: those scroll events read no page.
    if (target && existing) this.docs.viewFor(existing.uri).settlingUntil = Number.MAX_SAFE_INTEGER;
    let doc = existing ?? (await vscode.workspace.openTextDocument(uri));
    if (doc.languageId !== 'quorum-log') doc = await vscode.languages.setTextDocumentLanguage(doc, 'quorum-log');
    const editor = await vscode.window.showTextDocument(doc, { viewColumn: column, preview: false, preserveFocus });
    const v = this.docs.viewFor(doc.uri);
    await v.loaded;
    if (target && existing) await this.moveTo(editor, target);
    else {
      v.settlingUntil = Date.now() + SETTLE_MS;
      this.select(editor, target ? this.indexOf(v, target) : 0, vscode.TextEditorRevealType.InCenter);
    }
    return editor;
  }

  /** The entry a target stands for in the window (the first at/after its time when its line is not held). */
  indexOf(v: ClusterLogView, target: ViewTarget): number {
    const lines = v.window.lines;
    if ('key' in target) {
      const i = v.window.indexOfKey(target.key);
      if (i >= 0) return i;
    } else if (target.origin) {
      const { uri, line } = target.origin;
      const i = lines.findIndex((l) => l.info.location.uri === uri && l.info.location.line === line);
      if (i >= 0) return i;
    }
    const i = v.window.firstAtOrAfter(target.time);
    return i >= 0 ? i : lines.length - 1;
  }

  /** Puts the cursor on an entry (by index) and reveals it. */
  select(editor: vscode.TextEditor, index: number, how = vscode.TextEditorRevealType.InCenterIfOutsideViewport): void {
    const line = Math.min(Math.max(0, index) + ENTRY_OFFSET, editor.document.lineCount - 1);
    const at = new vscode.Position(Math.max(0, line), 0);
    editor.selection = new vscode.Selection(at, at);
    editor.revealRange(new vscode.Range(at, at), how);
  }

  /** Moves a view to a target: from what it holds, or by reading the window anew around it. */
  async moveTo(editor: vscode.TextEditor, target: ViewTarget): Promise<void> {
    const v = this.docs.viewFor(editor.document.uri);
    await v.loaded;
    const held = 'key' in target ? v.window.indexOfKey(target.key) >= 0 : v.window.holds(target.time);
    // The editor reports where it was while the window is rewritten: no page is read for that.
    v.settlingUntil = Number.MAX_SAFE_INTEGER;
    try {
      if (!held) {
        await this.docs.run(v, () => this.docs.loadAround(v, target));
        await this.docs.refresh(v);
      }
      this.select(editor, this.indexOf(v, target), vscode.TextEditorRevealType.InCenter);
    } finally {
      v.settlingUntil = Date.now() + SETTLE_MS;
    }
    // Once settled, the reader may be near an edge already (a target near the end of the window).
    setTimeout(() => void this.pageIfNeeded(editor), SETTLE_MS + 50);
  }

  /** Reads pages while the visible part of the editor is near an edge of the window, keeping the reading position. */
  async pageIfNeeded(editor: vscode.TextEditor): Promise<void> {
    const v = this.docs.viewOf(editor.document);
    if (!v || v.busy || Date.now() < v.settlingUntil || this.stale(editor.document)) return;
    const ranges = editor.visibleRanges;
    if (ranges.length === 0) return;
    const first = ranges[0].start.line - ENTRY_OFFSET;
    const last = ranges[ranges.length - 1].end.line - ENTRY_OFFSET;
    const want = v.window.wants(first, last, marginOf(v));
    if (!want) return;
    const editors = vscode.window.visibleTextEditors.filter((e) => e.document === editor.document);
    let positions: ReadingPosition[] = [];
    // Noted when the page has arrived: the reader (or a jump) may have moved while it was read.
    const paged = await this.docs.run(v, () =>
      this.docs.page(v, want, async () => {
        await this.idle();
        // A jump began while the page was read: it rewrites the window itself, this page is not wanted.
        if (Date.now() < v.settlingUntil || this.stale(editor.document)) return false;
        positions = editors.map((e) => this.position(v, e));
        return true;
      }),
    );
    if (paged === undefined) return;
    await this.docs.refresh(v);
    // Lines only added below: what the reader sees did not move, and is left alone (a key press may be under way).
    if (paged !== 0) editors.forEach((e, i) => this.restore(v, e, positions[i]));
    this.restoredAt.set(editor.document, Date.now());
    // The editor reports its old place for a moment; then, still at an edge (a fast scroll), read on.
    v.settlingUntil = Math.max(v.settlingUntil, Date.now() + SETTLE_MS / 2);
    setTimeout(() => void this.pageIfNeeded(editor), SETTLE_MS);
  }

  private position(v: ClusterLogView, e: vscode.TextEditor): ReadingPosition {
    const top = e.visibleRanges[0]?.start.line ?? 0;
    return {
      top: this.docs.entryAt(v, top)?.key ?? this.docs.entryAt(v, top + 1)?.key,
      cursor: this.docs.entryAt(v, e.selection.active.line)?.key,
      character: e.selection.active.character,
    };
  }

  private restore(v: ClusterLogView, e: vscode.TextEditor, p: ReadingPosition): void {
    const lineOf = (k: MergeKey | undefined) => {
      const i = k ? v.window.indexOfKey(k) : -1;
      return i < 0 ? undefined : i + ENTRY_OFFSET;
    };
    const cursor = lineOf(p.cursor);
    if (cursor !== undefined) {
      const at = new vscode.Position(cursor, p.character);
      e.selection = new vscode.Selection(at, at);
    }
    const top = lineOf(p.top);
    if (top !== undefined) e.revealRange(new vscode.Range(top, 0, top, 0), vscode.TextEditorRevealType.AtTop);
  }
}
