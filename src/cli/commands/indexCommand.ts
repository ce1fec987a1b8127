import type { BundleSummary } from '../../service';
import { terminalText } from '../../core/inertText';
import { bytes, count, table } from '../table';
import { spaced, type CliCommand, type Output } from './output';
import * as service from '../../service';
import type { IndexJson } from '../json';

/** `quorum-lens index DIR`: what was indexed. The JSON is the stable shape README documents. */
export function indexOutput(s: BundleSummary): Output {
  const json: IndexJson = {
    root: s.root,
    files: { total: s.files, indexed: s.indexedFiles, bytes: s.bytes, lines: s.lines, byFormat: s.formats },
    timeRange: { start: s.startLabel ?? null, end: s.endLabel ?? null },
    nodes: s.nodes.map((n) => ({
      name: n.name,
      kind: n.kind,
      folderAddress: n.folderAddress ?? null,
      addresses: n.addresses,
      myids: n.myids,
      files: n.files,
      start: n.startLabel ?? null,
      end: n.endLabel ?? null,
    })),
    processes: s.processes,
    events: s.events,
    skipped: s.skipped,
    duplicates: s.duplicates,
    notes: s.notes.map((n) => ({ file: n.file ?? null, note: n.note })),
  };
  return { json, human: () => printIndex(s) };
}

function printIndex(s: BundleSummary): string {
  const nodeCount = s.nodes.filter((n) => n.kind === 'node').length;
  const sourceCount = s.nodes.length - nodeCount;
  const out: string[] = [];
  out.push(`Bundle ${terminalText(s.root)}`);
  out.push(
    `  ${nodeCount} nodes, ${sourceCount} other sources, ${count(s.files)} files (${count(s.indexedFiles)} indexed), ` +
      `${bytes(s.bytes)}, ${count(s.lines)} lines`,
  );
  if (s.startLabel) out.push(`  time range ${spaced(s.startLabel)} → ${spaced(s.endLabel ?? '')}`);
  out.push(
    `  formats: ${
      Object.entries(s.formats)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ') || 'none'
    }`,
  );
  out.push(
    `  events: ${
      Object.entries(s.events)
        .map(([k, v]) => `${k} ${count(v)}`)
        .join(', ') || 'none'
    }; ${s.processes} process runs`,
  );
  out.push('');
  out.push(
    table(
      ['NODE', 'KIND', 'ADDRESSES', 'MYID', 'FILES', 'FIRST', 'LAST'],
      s.nodes.map((n) => [
        n.name,
        n.kind,
        n.addresses.join(' ') || '-',
        n.myids.join(' ') || '-',
        String(n.files),
        spaced(n.startLabel),
        spaced(n.endLabel),
      ]),
    ),
  );
  if (s.skipped.length) {
    out.push('', `Skipped (${s.skipped.length}):`);
    for (const x of s.skipped) out.push(`  ${terminalText(x.file)}: ${terminalText(x.reason)}`);
  }
  if (s.duplicates.length) {
    out.push('', `Copies indexed once (${s.duplicates.length}):`);
    for (const x of s.duplicates) out.push(`  ${terminalText(x.file)} = ${terminalText(x.of)}`);
  }
  if (s.notes.length) {
    out.push('', `Notes (${s.notes.length}):`);
    for (const x of s.notes) out.push(`  ${x.file === undefined ? '(bundle)' : terminalText(x.file)}: ${terminalText(x.note)}`);
  }
  return out.join('\n');
}

export const indexCommand: CliCommand = {
  name: 'index',
  synopsis: 'index DIR [--json]',
  summary: 'summary of a log bundle',
  run: (ctx) => indexOutput(service.summary(ctx, ctx.bundles[0])),
};
