import { bundleStats } from '../core/bundleStats';
import { rolesOfRules } from '../core/rules/roleRules';
import type { BundleHandle } from './bundleHandle';
import { nodeName } from './present';
import type { BundleSummary, IndexCounts } from './results';
import { rolesOf, type ServiceContext } from './serviceContext';

/** What was indexed, per bundle: files, formats, nodes and their aliases, and what could not be read. */
export function summaries(ctx: ServiceContext): BundleSummary[] {
  return ctx.bundles.map((b) => summary(ctx, b));
}

export function summary(ctx: ServiceContext, b: BundleHandle): BundleSummary {
  const s = bundleStats(b.index);
  const label = (t: number | undefined) => (t !== undefined ? ctx.label(t) : undefined);
  return {
    root: b.index.root,
    rootUri: b.rootUri,
    files: s.files,
    indexedFiles: s.indexedFiles,
    bytes: s.bytes,
    lines: s.lines,
    formats: s.formats,
    start: s.start,
    end: s.end,
    startLabel: label(s.start),
    endLabel: label(s.end),
    nodes: s.nodes.map((n) => ({
      name: n.name,
      label: nodeName(ctx, b, n.name),
      kind: n.kind,
      folderAddress: n.folderAddress,
      addresses: n.addresses,
      myids: n.myids,
      files: n.files,
      start: n.start,
      end: n.end,
      startLabel: label(n.start),
      endLabel: label(n.end),
    })),
    processes: b.index.processes.length,
    events: s.events,
    leaderIntervals: Object.fromEntries(rolesOf(ctx).map((r) => [r, b.queries.intervals(r).length])),
    skipped: s.skipped,
    duplicates: s.duplicates,
    notes: s.notes,
    layout: b.index.layout?.description,
    warnings: [...(b.index.warnings ?? [])],
  };
}

/** Nodes, indexed files and leader intervals across the workspace (the status bar). */
export function indexCounts(ctx: ServiceContext): IndexCounts {
  const roles = rolesOf(ctx);
  let nodes = 0;
  let files = 0;
  let leaderIntervals = 0;
  for (const b of ctx.bundles) {
    nodes += b.index.nodes.filter((n) => n.kind === 'node').length;
    files += b.index.files.filter((f) => !f.skipped && !f.duplicateOf).length;
    for (const r of roles) leaderIntervals += b.queries.intervals(r).length;
  }
  return {
    nodes,
    files,
    leaderIntervals,
    roles: rolesOfRules(ctx.rules),
    gone: [...(ctx.warnings ?? [])],
    layouts: ctx.bundles.flatMap((b) => (b.index.layout ? [b.index.layout.description] : [])),
    warnings: ctx.bundles.flatMap((b) => b.index.warnings ?? []),
  };
}
