import type { BundleIndex } from './model';
import type { Micros } from './time';

export interface NodeStats {
  name: string;
  kind: 'node' | 'source';
  folderAddress?: string;
  addresses: string[];
  myids: string[];
  files: number;
  start?: Micros;
  end?: Micros;
}

/** Counts behind every "index summary" (CLI `index`, Show Index Summary): one computation, two views. */
export interface BundleStats {
  files: number;
  indexedFiles: number;
  bytes: number;
  lines: number;
  formats: Record<string, number>;
  /** Events the logs hold, per kind: those kept and those counted or dropped past a file's event budget. */
  events: Record<string, number>;
  /** Events kept one by one, per kind: `events` less what budgets summarised (equal for ordinary bundles). */
  eventsKept: Record<string, number>;
  start?: Micros;
  end?: Micros;
  nodes: NodeStats[];
  skipped: { file: string; reason: string }[];
  /** Copies indexed once: the file, the file indexed instead, and why it is a copy (`severity copy of …`). */
  duplicates: { file: string; of: string; reason?: string }[];
  /** Bundle-wide notes carry no file. */
  notes: { file?: string; note: string }[];
}

/** Counts a bundle's files, lines and events (seen and kept), nodes, skips, copies and notes. */
export function bundleStats(bundle: BundleIndex): BundleStats {
  const s: BundleStats = {
    files: bundle.files.length,
    indexedFiles: 0,
    bytes: 0,
    lines: 0,
    formats: {},
    events: {},
    eventsKept: {},
    nodes: [],
    skipped: [],
    duplicates: [],
    notes: bundle.notes.map((note) => ({ note })),
  };
  const perNode = new Map<string, { files: number; start?: Micros; end?: Micros }>();
  for (const f of bundle.files) {
    s.bytes += f.size;
    for (const note of f.notes) s.notes.push({ file: f.path, note });
    if (f.skipped) s.skipped.push({ file: f.path, reason: f.skipped });
    if (f.duplicateOf) s.duplicates.push({ file: f.path, of: f.duplicateOf, reason: f.copyReason });
    if (f.skipped || f.duplicateOf) continue;
    s.indexedFiles++;
    s.formats[f.format] = (s.formats[f.format] ?? 0) + 1;
    s.lines += f.lines;
    for (const e of f.events) s.eventsKept[e.kind] = (s.eventsKept[e.kind] ?? 0) + 1;
    for (const e of f.events) s.events[e.kind] = (s.events[e.kind] ?? 0) + 1;
    for (const [kind, n] of Object.entries(f.unkeptEvents ?? {})) s.events[kind] = (s.events[kind] ?? 0) + (n ?? 0);
    const n = perNode.get(f.node) ?? { files: 0 };
    n.files++;
    if (f.firstTime !== undefined) {
      n.start = Math.min(n.start ?? Infinity, f.firstTime);
      s.start = Math.min(s.start ?? Infinity, f.firstTime);
    }
    if (f.lastTime !== undefined) {
      n.end = Math.max(n.end ?? -Infinity, f.lastTime);
      s.end = Math.max(s.end ?? -Infinity, f.lastTime);
    }
    perNode.set(f.node, n);
  }
  s.nodes = bundle.nodes.map((n) => ({
    ...n,
    files: perNode.get(n.name)?.files ?? 0,
    start: perNode.get(n.name)?.start,
    end: perNode.get(n.name)?.end,
  }));
  return s;
}
