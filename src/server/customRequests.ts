import type { Connection } from 'vscode-languageserver';
import { decodeValue } from '../core/decode/decodeValue';
import type { FileIndex } from '../core/model';
import type { BundleSummary, IntervalInfo, OverlapInfo, RequestSpec } from '../shared/protocol';
import {
  DecodeRequest, IndexSummaryRequest, IsBundleFileRequest, LeaderIntervalsRequest, OverlapsRequest, ReindexRequest,
} from '../shared/protocol';
import type { BundleStore } from './bundleStore';
import { explainValue } from './hover/hoverContent';
import type { Presenter } from './presenter';

/** Registers a typed handler for a request from the shared protocol module. */
export function onRequest<P, R>(connection: Connection, spec: RequestSpec<P, R>, handler: (params: P) => R | Promise<R>): void {
  connection.onRequest(spec.method, async (params: P): Promise<R> => await handler(params));
}

/** The `quorumLens/…` requests: answered from the index, after any indexing under way finishes. */
export function registerCustomRequests(connection: Connection, store: BundleStore, presenter: () => Presenter, ready: () => Promise<void>): void {
  onRequest(connection, LeaderIntervalsRequest, async ({ role }) => {
    await ready();
    const p = presenter();
    const intervals: IntervalInfo[] = [];
    for (const b of store.all) if (b.queries) for (const iv of b.queries.intervals(role)) intervals.push(p.interval(b, b.queries, iv));
    return { intervals: intervals.sort((a, b) => a.start - b.start) };
  });

  onRequest(connection, OverlapsRequest, async ({ role }) => {
    await ready();
    const p = presenter();
    const offsetsMs = store.settings.clockOffsets;
    const offsets = Object.fromEntries(Object.entries(offsetsMs).map(([k, v]) => [k, v * 1000]));
    const overlaps: OverlapInfo[] = [];
    let intervals = 0;
    const nodes = new Set<string>();
    for (const b of store.all) {
      if (!b.queries) continue;
      for (const iv of b.queries.intervals(role)) {
        intervals++;
        nodes.add(`${b.root}\u0000${iv.node}`);
      }
      for (const o of b.queries.overlaps(role, offsets)) overlaps.push(p.overlap(b, b.queries, o, offsetsMs));
    }
    return { overlaps: overlaps.sort((a, b) => a.start - b.start), examined: { intervals, nodes: nodes.size } };
  });

  onRequest(connection, IndexSummaryRequest, async () => {
    await ready();
    const p = presenter();
    return store.all.filter((b) => b.index && b.queries).map((b): BundleSummary => summarize(b.rootUri, b.root, b.index?.files ?? [], b, p, store.roles));
  });

  onRequest(connection, DecodeRequest, async ({ value }) => {
    const b = store.all.find((x) => x.queries);
    const p = presenter();
    const markdown = explainValue(value, { bundle: b, queries: b?.queries, lineNumber: 0, label: p.label, zone: store.settings.timeZone });
    return { decoded: decodeValue(value), markdown: markdown ?? `\`${value}\` is not a zxid, session id, retcode or errno.` };
  });

  onRequest(connection, ReindexRequest, () => store.refresh(true));

  onRequest(connection, IsBundleFileRequest, async ({ uri }) => {
    await ready();
    const located = store.locate(uri);
    return !!located?.file && !located.file.skipped;
  });
}

function summarize(rootUri: string, root: string, files: FileIndex[], b: BundleStore['all'][number], p: Presenter, roles: string[]): BundleSummary {
  const q = b.queries;
  const formats: Record<string, number> = {};
  const events: Record<string, number> = {};
  const perNode = new Map<string, { files: number; first?: number; last?: number }>();
  let bytes = 0;
  let lines = 0;
  let first: number | undefined;
  let last: number | undefined;
  for (const f of files) {
    bytes += f.size;
    if (f.skipped || f.duplicateOf) continue;
    formats[f.format] = (formats[f.format] ?? 0) + 1;
    lines += f.lines;
    for (const e of f.events) events[e.kind] = (events[e.kind] ?? 0) + 1;
    const n = perNode.get(f.node) ?? { files: 0 };
    n.files++;
    if (f.firstTime !== undefined) n.first = Math.min(n.first ?? Infinity, f.firstTime);
    if (f.lastTime !== undefined) n.last = Math.max(n.last ?? -Infinity, f.lastTime);
    perNode.set(f.node, n);
    if (f.firstTime !== undefined) first = Math.min(first ?? Infinity, f.firstTime);
    if (f.lastTime !== undefined) last = Math.max(last ?? -Infinity, f.lastTime);
  }
  return {
    root, rootUri, files: files.length, indexedFiles: files.filter((f) => !f.skipped && !f.duplicateOf).length, bytes, lines, formats,
    startLabel: first !== undefined ? p.label(first) : undefined, endLabel: last !== undefined ? p.label(last) : undefined,
    nodes: (b.index?.nodes ?? []).map((n) => {
      const s = perNode.get(n.name);
      return {
        name: n.name, label: q ? p.nodeName(q, n.name) : n.name, kind: n.kind, addresses: n.addresses, myids: n.myids, files: s?.files ?? 0,
        startLabel: s?.first !== undefined ? p.label(s.first) : undefined, endLabel: s?.last !== undefined ? p.label(s.last) : undefined,
      };
    }),
    events,
    leaderIntervals: Object.fromEntries(roles.map((r) => [r, q?.intervals(r).length ?? 0])),
    skipped: files.filter((f) => f.skipped).map((f) => ({ file: f.path, reason: f.skipped ?? '' })),
    duplicates: files.filter((f) => f.duplicateOf).map((f) => ({ file: f.path, of: f.duplicateOf ?? '' })),
    notes: [...(b.index?.notes ?? []).map((note) => ({ note })), ...files.flatMap((f) => f.notes.map((note) => ({ file: f.path, note })))],
  };
}
