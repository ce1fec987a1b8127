import { mdCode, mdText } from '../core/inertText';
import type { BundleSummary } from '../shared/protocol';

/** `k n, k n`: keys are format, role and event ids, escaped all the same. */
const counts = (o: Record<string, number>) =>
  Object.entries(o)
    .map(([k, v]) => `${mdText(k)} ${v}`)
    .join(', ');

/** The index summary as a Markdown document: nodes and aliases, formats, skipped files, notes. */
export function summaryMarkdown(bundles: BundleSummary[]): string {
  if (bundles.length === 0) return '# Quorum Lens\n\nNo bundle is indexed yet.\n';
  const out: string[] = ['# Quorum Lens index summary', ''];
  for (const b of bundles) {
    out.push(`## ${mdCode(b.root)}`, '');
    // Doubts first: they change how every answer below should be read.
    for (const w of b.warnings ?? []) out.push(`> **Warning:** ${mdText(w)}`, '');
    if (b.layout) out.push(`${mdText(b.layout.charAt(0).toUpperCase() + b.layout.slice(1))}.`, '');
    out.push(`${b.indexedFiles} of ${b.files} files indexed · ${(b.bytes / 1e6).toFixed(1)} MB · ${b.lines.toLocaleString('en-US')} lines`);
    if (b.startLabel) out.push('', `Time range: ${mdText(b.startLabel)} → ${mdText(b.endLabel ?? '')}`);
    out.push('', `Formats: ${counts(b.formats) || 'none'}`);
    out.push('', `Leader intervals: ${counts(b.leaderIntervals)}`);
    out.push('', `Events: ${counts(b.events) || 'none'}`, '');
    out.push('| node | kind | addresses | ZooKeeper myid | files | first | last |', '|---|---|---|---|---|---|---|');
    for (const n of b.nodes) {
      out.push(
        `| ${mdText(n.label)} | ${mdText(n.kind)} | ${mdText(n.addresses.join(', ')) || '—'} | ${n.myids.join(', ') || '—'} | ${n.files} | ${mdText(n.startLabel ?? '—')} | ${mdText(n.endLabel ?? '—')} |`,
      );
    }
    if (b.skipped.length) {
      out.push('', `### Skipped (${b.skipped.length})`, '');
      for (const s of b.skipped) out.push(`- ${mdCode(s.file)}: ${mdText(s.reason)}`);
    }
    if (b.duplicates.length) {
      out.push('', `### Copies indexed once (${b.duplicates.length})`, '');
      for (const d of b.duplicates) out.push(`- ${mdCode(d.file)}: ${d.reason ? mdText(d.reason) : `a copy of ${mdCode(d.of)}`}`);
    }
    if (b.notes.length) {
      out.push('', `### Notes (${b.notes.length})`, '');
      for (const n of b.notes) out.push(`- ${n.file ? `${mdCode(n.file)}: ` : ''}${mdText(n.note)}`);
    }
    out.push('');
  }
  return out.join('\n');
}
