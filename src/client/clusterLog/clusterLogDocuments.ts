import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { clusterLogLine, nodeColumnWidth, shortNodeNames } from '../../core/clusterLog/clusterLogLine';
import { ENTRY_OFFSET, PagedWindow, type WindowLine } from '../../core/clusterLog/pagedWindow';
import { decodeViewQuery, encodeViewQuery, viewTitle, type ViewQuery } from '../../core/clusterLog/viewFilters';
import type { MergeKey } from '../../core/workflows/mergeOrder';
import { MergedLinesRequest, type MergedLineInfo, type MergedLinesParams, type MergeResult } from '../../shared/protocol';
import { request } from '../languageClient';
import { CLUSTER_LOG_SCHEME } from './syncApi';

/** A line the view holds: its rendered text and what the merge said of it (source, node, times). */
export interface ViewLine extends WindowLine {
  text: string;
  info: MergedLineInfo;
}

/** A node as the view shows it: the short name in the column, the label and clock offset on hover. */
export interface ViewNode {
  label: string;
  short: string;
  offsetMs: number;
}

/** One open Cluster Log document: its query, the window of the merged log it holds, and what reading said. */
export interface ClusterLogView {
  uri: vscode.Uri;
  query: ViewQuery;
  pageLines: number;
  window: PagedWindow<ViewLine>;
  nodes: Map<string, ViewNode>;
  width: number;
  /** Why nothing can be shown (a regex the engine refuses). */
  problem?: string;
  /** What reading left out or placed elsewhere, once each (unreadable, skipped, read in part). */
  notes: Set<string>;
  /** The first pages read (the document's first text waits for them). */
  loaded: Promise<void>;
  /** Operations on the window run one after the other. */
  queue: Promise<unknown>;
  busy: boolean;
  /** Until this time (ms), scroll events are a jump's, not the reader's: no page is read for them. */
  settlingUntil: number;
}

/** Where a view opens: a time (first entry at/after it), a line of the merged log, or a source line. */
export type ViewTarget = { time: number; origin?: { uri: string; line: number } } | { key: MergeKey; time: number };

/** Pages the window holds at most: memory stays flat however far the reader scrolls. */
const MAX_PAGES = 3;
/** Notes kept per view (the rest are counted). */
const MAX_NOTES = 50;

/** The key of a merged line: the view reads one bundle, which the merge then counts as bundle 0. */
export function keyOf(l: MergedLineInfo): MergeKey {
  return { time: l.time, bundle: 0, node: l.node, file: l.location.file, line: l.location.line };
}

/**
 * What tells two Cluster Log documents apart: their query (bundle and filters), read back — the URI's
 * encoding may change on its way through the workbench, the query does not.
 */
export function viewKey(uri: vscode.Uri): string {
  return uri.scheme === CLUSTER_LOG_SCHEME ? encodeViewQuery(decodeViewQuery(uri.query)) : `other:${uri.toString()}`;
}

/** The open document of a view, if any. */
export function openViewDocument(uri: vscode.Uri): vscode.TextDocument | undefined {
  const key = viewKey(uri);
  return vscode.workspace.textDocuments.find((d) => d.uri.scheme === CLUSTER_LOG_SCHEME && viewKey(d.uri) === key);
}

/** The document of a view query (the tab label is the path: the filters in a few words). */
export function viewUri(q: ViewQuery, nodeName?: (node: string) => string): vscode.Uri {
  return vscode.Uri.from({ scheme: CLUSTER_LOG_SCHEME, path: `/${viewTitle(q.filters, nodeName)}`, query: encodeViewQuery(q) });
}

/**
 * The Cluster Log documents: each holds a bounded window of the merged log, read a page at a time from the
 * language server, and is rewritten when a page is added (the far one dropped) or the reader jumps.
 */
export class ClusterLogDocuments implements vscode.TextDocumentContentProvider {
  private readonly views = new Map<string, ClusterLogView>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  /** Where the next open of a document starts (set just before it is opened). */
  private readonly starts = new Map<string, ViewTarget>();
  /** A view got notes it had not shown: the commands show them once. */
  readonly onNotes = new vscode.EventEmitter<{ view: ClusterLogView; notes: string[] }>();

  constructor(private readonly client: LanguageClient) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const v = this.viewFor(uri);
    // Only the first read: later ones rewrite the document themselves, and wait for it (see refresh).
    await v.loaded;
    return this.text(v);
  }

  /** The view of a document, made (and its first pages read) on first use. */
  viewFor(uri: vscode.Uri): ClusterLogView {
    const id = viewKey(uri);
    let v = this.views.get(id);
    if (!v) {
      const pageLines = vscode.workspace.getConfiguration('quorumLens').get<number>('clusterLog.pageLines', 1000);
      v = {
        uri,
        query: decodeViewQuery(uri.query),
        pageLines: Math.max(10, Math.min(100_000, Math.floor(pageLines))),
        window: new PagedWindow<ViewLine>(MAX_PAGES),
        nodes: new Map(),
        width: 1,
        notes: new Set(),
        loaded: Promise.resolve(),
        queue: Promise.resolve(),
        busy: false,
        settlingUntil: 0,
      };
      this.views.set(id, v);
      const start = this.starts.get(id);
      this.starts.delete(id);
      // Opened at a target: the opener puts the cursor there, and scroll events wait for it (see ClusterLogNavigation.open).
      if (start) v.settlingUntil = Number.MAX_SAFE_INTEGER;
      const view = v;
      v.loaded = this.run(v, () => this.loadAround(view, start)).catch((e: Error) => {
        view.problem = `The merged log could not be read: ${e.message}`;
      });
    }
    return v;
  }

  /** The view a document shows, if it is a Cluster Log document already read. */
  viewOf(doc: vscode.TextDocument): ClusterLogView | undefined {
    return doc.uri.scheme === CLUSTER_LOG_SCHEME ? this.views.get(viewKey(doc.uri)) : undefined;
  }

  /** Says where the next open of `uri` starts. */
  startAt(uri: vscode.Uri, target: ViewTarget): void {
    if (!this.views.has(viewKey(uri))) this.starts.set(viewKey(uri), target);
  }

  /** Forgets a closed document: its lines leave memory. */
  forget(uri: vscode.Uri): void {
    this.views.delete(viewKey(uri));
    this.starts.delete(viewKey(uri));
  }

  /** The entry shown at a document line (0-based), if the line is one. */
  entryAt(v: ClusterLogView, line: number): ViewLine | undefined {
    return v.window.lines[line - ENTRY_OFFSET];
  }

  /** Runs an operation on a view's window after those before it; `busy` while any runs. */
  run<T>(v: ClusterLogView, op: () => Promise<T>): Promise<T> {
    const next = v.queue.then(async () => {
      v.busy = true;
      try {
        return await op();
      } finally {
        v.busy = false;
      }
    });
    v.queue = next.catch(() => undefined);
    return next;
  }

  /** The page request of a view: its filters, plus a cursor, direction or start. */
  params(v: ClusterLogView, extra: Partial<MergedLinesParams>): MergedLinesParams {
    const f = v.query.filters;
    return {
      ...(v.query.bundle !== undefined && { bundle: v.query.bundle }),
      include: f.include,
      exclude: f.exclude,
      ignoreCase: f.ignoreCase === true,
      level: f.level,
      nodes: f.nodes,
      sources: f.sources,
      from: f.from,
      to: f.to,
      limit: v.pageLines,
      ...extra,
    };
  }

  /** Reads one page for a view, learning its nodes and notes on the way. */
  async read(v: ClusterLogView, extra: Partial<MergedLinesParams>): Promise<MergeResult> {
    const r = await request(this.client, MergedLinesRequest, this.params(v, extra));
    if (v.nodes.size === 0 && r.nodes.length > 0) {
      const short = shortNodeNames(r.nodes.map((n) => n.label));
      for (const n of r.nodes) v.nodes.set(n.node, { label: n.label, short: short.get(n.label) ?? n.label, offsetMs: n.offsetMs });
      v.width = nodeColumnWidth([...v.nodes.values()].map((n) => n.short));
    }
    v.problem = r.problem;
    const fresh: string[] = [];
    const note = (s: string) => {
      if (v.notes.has(s) || v.notes.size >= MAX_NOTES) return;
      v.notes.add(s);
      fresh.push(s);
    };
    for (const u of r.unreadable) note(`${u.file}: could not be read (${u.message})`);
    for (const s of r.skippedFiles) note(`${s.file}: not merged (${s.reason})`);
    for (const n of r.notes) note(`${n.file}: ${n.note}`);
    if (fresh.length > 0) this.onNotes.fire({ view: v, notes: fresh });
    return r;
  }

  /** A page's lines as the view holds them, rendered once. */
  lines(v: ClusterLogView, r: MergeResult): ViewLine[] {
    return r.lines.map((info) => {
      const node = v.nodes.get(info.node);
      const text = clusterLogLine(
        { timeLabel: info.timeLabel, node: node?.short ?? info.nodeLabel, text: info.text, placed: info.ownTime !== undefined },
        v.width,
      );
      return { key: keyOf(info), time: info.time, text, info };
    });
  }

  /** Fills the window around a target: a page before it and a page from it (from the start without one). */
  async loadAround(v: ClusterLogView, target: ViewTarget | undefined): Promise<void> {
    if (target === undefined) {
      const r = await this.read(v, {});
      v.window.reset([], this.lines(v, r), { atStart: true, atEnd: !r.truncated });
      return;
    }
    if ('key' in target) {
      const before = await this.read(v, { direction: 'backward', cursor: target.key });
      const last = before.lines[before.lines.length - 1];
      const after = await this.read(v, last ? { cursor: keyOf(last) } : {});
      v.window.reset(this.lines(v, before), this.lines(v, after), { atStart: !before.truncated, atEnd: !after.truncated });
      return;
    }
    const f = v.query.filters;
    const after = await this.read(v, { from: Math.max(target.time, f.from ?? Number.MIN_SAFE_INTEGER) });
    const first = after.lines[0];
    const before = await this.read(v, { direction: 'backward', ...(first && { cursor: keyOf(first) }) });
    v.window.reset(this.lines(v, before), this.lines(v, after), { atStart: !before.truncated, atEnd: !after.truncated });
  }

  /**
   * Reads the next or previous page into the window (the far page dropped); `beforeChange` runs right before
   * the window changes (to note the reading position then) and may call it off (false). Says how many lines
   * the entries moved down (added at the top) or up (dropped at the top, negative); undefined when nothing changed.
   */
  async page(
    v: ClusterLogView,
    want: 'next' | 'previous',
    beforeChange: () => Promise<boolean> | boolean = () => true,
  ): Promise<number | undefined> {
    const cursor = want === 'next' ? v.window.nextCursor : v.window.previousCursor;
    if (!cursor) return undefined;
    const r = await this.read(v, want === 'next' ? { cursor } : { cursor, direction: 'backward' });
    if (!(await beforeChange())) return undefined;
    if (want === 'next') return -v.window.append(this.lines(v, r), r.truncated);
    return v.window.prepend(this.lines(v, r), r.truncated);
  }

  /** The document's text: a marker line, the entries, a marker line (the markers say whether more lines load). */
  text(v: ClusterLogView): string {
    const w = v.window;
    if (v.problem) return `── ${v.problem.replace(/\n/g, ' ')} ──\n`;
    if (w.lines.length === 0) return `── no line of the merged log with these filters ──\n`;
    const top = w.atStart ? '── start of the merged log ──' : '── earlier lines load as you scroll up ──';
    const bottom = w.atEnd ? '── end of the merged log ──' : '── later lines load as you scroll down ──';
    return [top, ...w.lines.map((l) => l.text), bottom].join('\n');
  }

  /** Rewrites an open document from its view, and resolves once the editor has the new text. */
  async refresh(v: ClusterLogView): Promise<void> {
    const doc = openViewDocument(v.uri);
    const expected = this.text(v);
    if (!doc || doc.getText() === expected) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        sub.dispose();
        clearTimeout(timer);
        resolve();
      };
      const sub = vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document === doc && doc.getText() === expected) done();
      });
      const timer = setTimeout(done, 10_000);
      this.changed.fire(v.uri);
    });
  }
}
