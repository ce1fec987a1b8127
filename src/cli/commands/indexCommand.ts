import type { BundleIndex } from '../../core/model';
import { formatHuman } from '../../core/time';
import { bytes, count, table } from '../table';

/** The stable JSON shape of `quorum-lens index --json`. */
export function indexSummary(bundle: BundleIndex, fmt: (t: number) => string) {
  const byFormat: Record<string, number> = {};
  const events: Record<string, number> = {};
  let totalBytes = 0;
  let lines = 0;
  let first = Infinity;
  let last = -Infinity;
  const perNode = new Map<string, { files: number; first: number; last: number }>();
  for (const f of bundle.files) {
    totalBytes += f.size;
    if (f.skipped || f.duplicateOf) continue;
    byFormat[f.format] = (byFormat[f.format] ?? 0) + 1;
    lines += f.lines;
    for (const e of f.events) events[e.kind] = (events[e.kind] ?? 0) + 1;
    const n = perNode.get(f.node) ?? { files: 0, first: Infinity, last: -Infinity };
    n.files++;
    if (f.firstTime !== undefined) {
      n.first = Math.min(n.first, f.firstTime);
      first = Math.min(first, f.firstTime);
    }
    if (f.lastTime !== undefined) {
      n.last = Math.max(n.last, f.lastTime);
      last = Math.max(last, f.lastTime);
    }
    perNode.set(f.node, n);
  }
  const t = (v: number) => (Number.isFinite(v) ? fmt(v) : null);
  return {
    root: bundle.root,
    files: { total: bundle.files.length, indexed: bundle.files.filter((f) => !f.skipped && !f.duplicateOf).length, bytes: totalBytes, lines, byFormat },
    timeRange: { start: t(first), end: t(last) },
    nodes: bundle.nodes.map((n) => {
      const s = perNode.get(n.name);
      return {
        name: n.name, kind: n.kind, folderAddress: n.folderAddress ?? null, addresses: n.addresses, myids: n.myids,
        files: s?.files ?? 0, start: s ? t(s.first) : null, end: s ? t(s.last) : null,
      };
    }),
    processes: bundle.processes.length,
    events,
    skipped: bundle.files.filter((f) => f.skipped).map((f) => ({ file: f.path, reason: f.skipped as string })),
    duplicates: bundle.files.filter((f) => f.duplicateOf).map((f) => ({ file: f.path, of: f.duplicateOf as string })),
    notes: [
      ...bundle.notes.map((note) => ({ file: null as string | null, note })),
      ...bundle.files.flatMap((f) => f.notes.map((note) => ({ file: f.path as string | null, note }))),
    ],
  };
}

export function printIndex(bundle: BundleIndex, fmt: (t: number) => string): string {
  const s = indexSummary(bundle, fmt);
  const nodeCount = s.nodes.filter((n) => n.kind === 'node').length;
  const sourceCount = s.nodes.length - nodeCount;
  const out: string[] = [];
  out.push(`Bundle ${s.root}`);
  out.push(`  ${nodeCount} nodes, ${sourceCount} other sources, ${count(s.files.total)} files (${count(s.files.indexed)} indexed), ${bytes(s.files.bytes)}, ${count(s.files.lines)} lines`);
  if (s.timeRange.start) out.push(`  time range ${s.timeRange.start.replace('T', ' ')} → ${(s.timeRange.end ?? '').replace('T', ' ')}`);
  out.push(`  formats: ${Object.entries(s.files.byFormat).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}`);
  out.push(`  events: ${Object.entries(s.events).map(([k, v]) => `${k} ${count(v)}`).join(', ') || 'none'}; ${s.processes} process runs`);
  out.push('');
  out.push(table(
    ['NODE', 'KIND', 'ADDRESSES', 'MYID', 'FILES', 'FIRST', 'LAST'],
    s.nodes.map((n) => [n.name, n.kind, n.addresses.join(' ') || '-', n.myids.join(' ') || '-', String(n.files), n.start?.replace('T', ' ') ?? '-', n.end?.replace('T', ' ') ?? '-']),
  ));
  if (s.skipped.length) {
    out.push('', `Skipped (${s.skipped.length}):`);
    for (const x of s.skipped) out.push(`  ${x.file}: ${x.reason}`);
  }
  if (s.duplicates.length) {
    out.push('', `Copies indexed once (${s.duplicates.length}):`);
    for (const x of s.duplicates) out.push(`  ${x.file} = ${x.of}`);
  }
  if (s.notes.length) {
    out.push('', `Notes (${s.notes.length}):`);
    for (const x of s.notes) out.push(`  ${x.file ?? '(bundle)'}: ${x.note}`);
  }
  void formatHuman;
  return out.join('\n');
}
