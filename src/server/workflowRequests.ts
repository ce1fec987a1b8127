import * as path from 'node:path';
import { WorkDoneProgress, type CancellationToken, type Connection, type WorkDoneProgressParams } from 'vscode-languageserver';
import { formatById, parseLine, stripNul } from '../core/formats';
import { countPerNode } from '../core/workflows/countPerNode';
import { correctedTime, sortByTime, type LineHit } from '../core/workflows/hitOrder';
import { numericStats } from '../core/workflows/numericStats';
import { sessionLifecycle } from '../core/workflows/sessionLifecycle';
import { clusterContext } from '../indexer/contextWindow';
import { clockAt } from '../indexer/grepFile';
import { grepBundle } from '../indexer/grepBundle';
import { readLineWindow } from '../indexer/lineWindow';
import {
  ClockOffsetsRequest, ContextRequest, CountRequest, SessionLifecycleRequest, StatsRequest, TraceRequest,
  type FoundLine, type RequestSpec, type SessionLifecycleInfo, type UnreadableFile,
} from '../shared/protocol';
import type { BundleState, BundleStore } from './bundleStore';
import type { Presenter } from './presenter';

/** What a search handler gets: the cancellation signal and a reporter of files searched. */
interface SearchControl {
  signal: AbortSignal;
  onProgress(done: number, total: number): void;
}

/**
 * A request handler that stops its search when the client cancels the request, and reports progress
 * ("Searched 12/33 files") on the request's work-done token when the client sent one.
 */
function onCancellable<P, R>(connection: Connection, spec: RequestSpec<P, R>, handler: (params: P, control: SearchControl) => Promise<R>): void {
  connection.onRequest(spec.method, async (params: P, token: CancellationToken): Promise<R> => {
    const abort = new AbortController();
    const sub = token.onCancellationRequested(() => abort.abort());
    const progressToken = (params as WorkDoneProgressParams).workDoneToken;
    if (progressToken !== undefined) void connection.sendProgress(WorkDoneProgress.type, progressToken, { kind: 'begin', title: 'Searching the bundle', percentage: 0, cancellable: true });
    let lastPercent = -1;
    const onProgress = (done: number, total: number) => {
      const percentage = Math.floor((done / Math.max(1, total)) * 100);
      if (progressToken === undefined || percentage === lastPercent) return;
      lastPercent = percentage;
      void connection.sendProgress(WorkDoneProgress.type, progressToken, { kind: 'report', message: `Searched ${done}/${total} files`, percentage });
    };
    try {
      return await handler(params, { signal: abort.signal, onProgress });
    } finally {
      sub.dispose();
      if (progressToken !== undefined) void connection.sendProgress(WorkDoneProgress.type, progressToken, { kind: 'end' });
    }
  });
}

/** The investigation workflows of the seeds, answered by the server: trace, context, count, stats, offsets, sessions. */
export function registerWorkflowRequests(connection: Connection, store: BundleStore, presenter: () => Presenter, ready: () => Promise<void>): void {
  const offsetsUs = () => Object.fromEntries(Object.entries(store.settings.clockOffsets).map(([k, v]) => [k, v * 1000]));
  const bundles = () => store.all.filter((b): b is BundleState & Required<Pick<BundleState, 'index' | 'queries'>> => !!b.index && !!b.queries);
  const found = (b: ReturnType<typeof bundles>[number], p: Presenter, h: LineHit, time?: number): FoundLine => {
    const f = b.index.files[h.file];
    return {
      location: p.source(b, { file: f.path, line: h.line }), node: f.node, nodeLabel: p.nodeName(b.queries, f.node),
      time, timeLabel: time !== undefined ? p.label(time) : undefined, text: h.text,
    };
  };

  onCancellable(connection, TraceRequest, async ({ text, regex, max }, { signal, onProgress }) => {
    await ready();
    const p = presenter();
    const out: FoundLine[] = [];
    let truncated = false;
    let files = 0;
    const unreadable: UnreadableFile[] = [];
    for (const b of bundles()) {
      const r = await grepBundle(b.index, { source: text, regex: regex === true }, { maxMatches: max ?? 20_000, signal, onProgress });
      truncated ||= r.truncated;
      files += r.files;
      unreadable.push(...r.unreadable);
      for (const h of sortByTime(b.index, r.hits, offsetsUs())) out.push(found(b, p, h, correctedTime(b.index, h, offsetsUs())));
    }
    out.sort((a, b) => (a.time ?? Infinity) - (b.time ?? Infinity));
    return { lines: out, truncated, files, unreadable };
  });

  onCancellable(connection, ContextRequest, async ({ time, uri, line, windowSeconds }) => {
    await ready();
    const p = presenter();
    const located = uri ? store.locate(uri) : undefined;
    const b = (located?.bundle as ReturnType<typeof bundles>[number] | undefined) ?? bundles()[0];
    if (!b?.index || !b.queries) return { lines: [], problem: 'No bundle is indexed.' };
    let center = time;
    let origin: { file: number; line: number } | undefined;
    if (center === undefined && located?.file && line !== undefined) {
      const f = located.file;
      const fileNo = b.index.files.indexOf(f);
      const realLine = line + located.lineOffset;
      // The origin line's own time (or its entry's): read a few lines up to it and parse.
      const lines = await readLineWindow(path.join(b.root, ...f.path.split('/')), f.checkpoints, Math.max(1, realLine - 50), realLine);
      // Dated by the last checkpoint above the line (yearless lines take its year).
      const clock = clockAt(f.checkpoints.filter((c) => c[0] <= realLine), Number.MAX_SAFE_INTEGER);
      for (let i = lines.length - 1; i >= 0 && center === undefined; i--) center = parseLine(formatById(f.format), stripNul(lines[i]), clock)?.time;
      if (center !== undefined) center += offsetsUs()[f.node] ?? 0;
      origin = { file: fileNo, line: realLine };
    }
    if (center === undefined) return { lines: [], problem: 'That line has no time, and none of the 50 lines above it either.' };
    const r = await clusterContext(b.index, center, Math.round(windowSeconds * 1e6), offsetsUs());
    return {
      center, centerLabel: p.label(center), unreadable: r.unreadable,
      lines: r.lines.map((l) => ({ ...found(b, p, { file: l.file, line: l.line, offset: 0, text: l.text }, l.corrected), origin: origin?.file === l.file && origin.line === l.line })),
    };
  });

  onCancellable(connection, CountRequest, async ({ pattern, regex, by }, { signal, onProgress }) => {
    await ready();
    const p = presenter();
    const b = bundles()[0];
    if (!b) return { by, buckets: [], nodes: [], undated: 0, truncated: false };
    const r = await grepBundle(b.index, { source: pattern, regex: regex === true }, { maxMatches: 5_000_000, signal, onProgress });
    const t = countPerNode(b.index, r.hits, by, offsetsUs());
    const label = (x: number) => (by === 'day' ? p.label(x).slice(0, 10) : `${p.label(x).slice(0, 13)}:00`);
    return {
      by, buckets: t.buckets.map(label), undated: t.undated, truncated: r.truncated, unreadable: r.unreadable,
      nodes: t.nodes.map((n) => ({ node: n, label: p.nodeName(b.queries, n), total: t.totals[n], counts: t.counts[n] })),
    };
  });

  onCancellable(connection, StatsRequest, async ({ regex }, { signal, onProgress }) => {
    await ready();
    const p = presenter();
    const b = bundles()[0];
    try {
      new RegExp(regex);
    } catch (e) {
      return { nodes: [], notNumbers: 0, problem: `not a regex: ${(e as Error).message}` };
    }
    if (!b) return { nodes: [], notNumbers: 0, problem: 'No bundle is indexed.' };
    const r = await grepBundle(b.index, { source: regex, regex: true }, { maxMatches: 5_000_000, signal, onProgress });
    const s = numericStats(b.index, r.hits);
    return {
      nodes: Object.entries(s.perNode).map(([node, v]) => ({ node, label: p.nodeName(b.queries, node), ...v })), all: s.all, notNumbers: s.notNumbers, unreadable: r.unreadable,
    };
  });

  connection.onRequest(ClockOffsetsRequest.method, async () => {
    await ready();
    const p = presenter();
    const out: { node: string; label: string; measured?: ReturnType<NonNullable<BundleState['queries']>['clockOffsetStats']> extends Map<string, infer V> ? V : never; configuredMs?: number }[] = [];
    for (const b of bundles()) {
      const measured = b.queries.clockOffsetStats();
      for (const n of b.index.nodes.filter((x) => x.kind === 'node')) {
        out.push({ node: n.name, label: p.nodeName(b.queries, n.name), measured: measured.get(n.name), configuredMs: store.settings.clockOffsets[n.name] });
      }
    }
    return { nodes: out };
  });

  connection.onRequest(SessionLifecycleRequest.method, async ({ id }: { id: string }): Promise<SessionLifecycleInfo> => {
    await ready();
    const p = presenter();
    const b = bundles()[0];
    if (!b) return { id, kind: 'zookeeper', events: [] };
    const life = sessionLifecycle(b.index, id);
    const creator = life.creatorMyid !== undefined ? b.queries.nodeOfMyid(life.creatorMyid) : undefined;
    return {
      id: life.id, kind: life.kind,
      createdBy: life.creatorMyid !== undefined ? { myid: life.creatorMyid, node: creator?.name, nodeLabel: creator ? p.nodeName(b.queries, creator.name) : undefined } : undefined,
      events: life.events.map((e) => ({ ...found(b, p, { file: e.file, line: e.line, offset: 0, text: e.text }, e.time), what: e.what })),
    };
  });
}
