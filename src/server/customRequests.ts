import * as path from 'node:path';
import type { Connection } from 'vscode-languageserver';
import { readLineWindow } from '../indexer/lineWindow';
import { decodeValue } from '../core/decode/decodeValue';
import { bundleStats } from '../core/bundleStats';
import type { BundleSummary, IntervalInfo, OverlapInfo, RequestSpec } from '../shared/protocol';
import {
  DecodeRequest, IndexSummaryRequest, IsBundleFileRequest, LeaderIntervalsRequest, OverlapsRequest, ReindexRequest, TimelineRequest, WindowRequest,
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
    return store.all.map((b) => summarize(b, p, store.roles)).filter((x): x is BundleSummary => x !== undefined);
  });

  onRequest(connection, DecodeRequest, async ({ value }) => {
    const b = store.all.find((x) => x.queries);
    const p = presenter();
    const markdown = explainValue(value, { bundle: b, queries: b?.queries, lineNumber: 0, label: p.label, zone: store.settings.timeZone });
    return { decoded: decodeValue(value), markdown: markdown ?? `\`${value}\` is not a zxid, session id, retcode or errno.` };
  });

  onRequest(connection, ReindexRequest, () => store.refresh(true));

  onRequest(connection, TimelineRequest, async () => {
    await ready();
    const p = presenter();
    const offsets = Object.fromEntries(Object.entries(store.settings.clockOffsets).map(([k, v]) => [k, v * 1000]));
    return store.all.flatMap((b) => (b.queries ? [p.timeline(b, b.queries, offsets, store.settings.timeZone)] : []));
  });

  onRequest(connection, WindowRequest, async ({ uri, from, to }) => {
    await ready();
    const located = store.locate(uri);
    const first = Math.max(1, Math.floor(from));
    const last = Math.min(Math.max(first, Math.floor(to)), first + 5000);
    if (!located) return { lines: ['(not a file of an indexed bundle)'] };
    const file = located.file;
    const abs = path.join(located.bundle.root, ...located.relPath.split('/'));
    if (file?.gzip) return { lines: [`(${located.relPath} is gzip-compressed: open it decompressed to read it here)`] };
    return { lines: await readLineWindow(abs, file?.checkpoints ?? [], first, last), totalLines: file?.lines };
  });

  onRequest(connection, IsBundleFileRequest, async ({ uri }) => {
    await ready();
    const located = store.locate(uri);
    return !!located?.file && !located.file.skipped;
  });
}

function summarize(b: BundleStore['all'][number], p: Presenter, roles: string[]): BundleSummary | undefined {
  const q = b.queries;
  if (!b.index || !q) return undefined;
  const s = bundleStats(b.index);
  const label = (t: number | undefined) => (t !== undefined ? p.label(t) : undefined);
  return {
    root: b.root, rootUri: b.rootUri, files: s.files, indexedFiles: s.indexedFiles, bytes: s.bytes, lines: s.lines, formats: s.formats,
    startLabel: label(s.start), endLabel: label(s.end),
    nodes: s.nodes.map((n) => ({
      name: n.name, label: p.nodeName(q, n.name), kind: n.kind, addresses: n.addresses, myids: n.myids, files: n.files,
      startLabel: label(n.start), endLabel: label(n.end),
    })),
    events: s.events,
    leaderIntervals: Object.fromEntries(roles.map((r) => [r, q.intervals(r).length])),
    skipped: s.skipped,
    duplicates: s.duplicates,
    notes: s.notes,
  };
}
