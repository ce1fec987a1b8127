import type { BundleSummary } from '../shared/protocol';

const cell = (s: string) => s.replace(/\|/g, '\\|');

/** The index summary as a Markdown document: nodes and aliases, formats, skipped files, notes. */
export function summaryMarkdown(bundles: BundleSummary[]): string {
  if (bundles.length === 0) return '# Quorum Lens\n\nNo bundle is indexed yet.\n';
  const out: string[] = ['# Quorum Lens index summary', ''];
  for (const b of bundles) {
    out.push(`## ${cell(b.root)}`, '');
    out.push(`${b.indexedFiles} of ${b.files} files indexed · ${(b.bytes / 1e6).toFixed(1)} MB · ${b.lines.toLocaleString('en-US')} lines`);
    if (b.startLabel) out.push('', `Time range: ${b.startLabel} → ${b.endLabel ?? ''}`);
    out.push(
      '',
      `Formats: ${
        Object.entries(b.formats)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ') || 'none'
      }`,
    );
    out.push(
      '',
      `Leader intervals: ${Object.entries(b.leaderIntervals)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`,
    );
    out.push(
      '',
      `Events: ${
        Object.entries(b.events)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ') || 'none'
      }`,
      '',
    );
    out.push('| node | kind | addresses | ZooKeeper myid | files | first | last |', '|---|---|---|---|---|---|---|');
    for (const n of b.nodes) {
      out.push(
        `| ${cell(n.label)} | ${n.kind} | ${n.addresses.join(', ') || '—'} | ${n.myids.join(', ') || '—'} | ${n.files} | ${n.startLabel ?? '—'} | ${n.endLabel ?? '—'} |`,
      );
    }
    if (b.skipped.length) {
      out.push('', `### Skipped (${b.skipped.length})`, '');
      for (const s of b.skipped) out.push(`- \`${cell(s.file)}\`: ${s.reason}`);
    }
    if (b.duplicates.length) {
      out.push('', `### Copies indexed once (${b.duplicates.length})`, '');
      for (const d of b.duplicates) out.push(`- \`${cell(d.file)}\` = \`${cell(d.of)}\``);
    }
    if (b.notes.length) {
      out.push('', `### Notes (${b.notes.length})`, '');
      for (const n of b.notes) out.push(`- ${n.file ? `\`${cell(n.file)}\`: ` : ''}${n.note}`);
    }
    out.push('');
  }
  return out.join('\n');
}
