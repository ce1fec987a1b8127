import type { BundleIndex } from '../../core/model';
import { bundleStats } from '../../core/bundleStats';
import { bytes, count, table } from '../table';

/** The stable JSON shape of `quorum-lens index --json`. */
export function indexSummary(bundle: BundleIndex, fmt: (t: number) => string) {
  const s = bundleStats(bundle);
  const t = (v: number | undefined) => (v !== undefined ? fmt(v) : null);
  return {
    root: bundle.root,
    files: { total: s.files, indexed: s.indexedFiles, bytes: s.bytes, lines: s.lines, byFormat: s.formats },
    timeRange: { start: t(s.start), end: t(s.end) },
    nodes: s.nodes.map((n) => ({
      name: n.name, kind: n.kind, folderAddress: n.folderAddress ?? null, addresses: n.addresses, myids: n.myids,
      files: n.files, start: t(n.start), end: t(n.end),
    })),
    processes: bundle.processes.length,
    events: s.events,
    skipped: s.skipped,
    duplicates: s.duplicates,
    notes: s.notes.map((n) => ({ file: n.file ?? null, note: n.note })),
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
  return out.join('\n');
}
