import { promises as fs } from 'node:fs';
import type { BundleHandle, BundleSummary } from '../../service';
import { terminalText } from '../../core/inertText';
import { bytes, count, table } from '../table';
import { spaced, type CliCommand, type Output } from './output';
import * as service from '../../service';
import type { IndexJson } from '../json';
import { noun, plural } from '../../core/plural';

type ArchiveOrigin = NonNullable<BundleHandle['archive']>;

/** `quorum-lens index DIR|ARCHIVE`: what was indexed. The JSON is the stable shape README documents. */
export function indexOutput(s: BundleSummary, archive?: ArchiveOrigin): Output {
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
    layout: s.layout ?? null,
    warnings: s.warnings,
  };
  // Only present for an archive: the shape of a folder's output is unchanged.
  if (archive) json.archive = { ...archive };
  return { json, human: () => printIndex(s, archive) };
}

/** The bundle's head lines: the folder, or the archive and where it was unpacked (the folder indexed). */
function bundleLines(s: BundleSummary, a: ArchiveOrigin | undefined): string[] {
  if (!a) return [`Bundle ${terminalText(s.root)}`];
  const names = a.archives.map((p) => terminalText(p.slice(p.lastIndexOf('/') + 1)));
  const head =
    a.kind === 'archive'
      ? `Bundle ${terminalText(a.path)}`
      : `Bundle ${terminalText(a.path)} (${plural(names.length, 'archive')}: ${names.join(', ')})`;
  const how = a.temporary
    ? 'a temporary folder, removed when this run ends'
    : a.reused
      ? 'reused from an earlier run'
      : 'unpacked by this run';
  const notes = a.notes.length ? `; ${plural(a.notes.length, 'note')} about unpacking, under Notes` : '';
  return [head, `  unpacked into ${terminalText(s.root)} (${how})${notes}`];
}

function printIndex(s: BundleSummary, archive?: ArchiveOrigin): string {
  const nodeCount = s.nodes.filter((n) => n.kind === 'node').length;
  const sourceCount = s.nodes.length - nodeCount;
  const out: string[] = [];
  out.push(...bundleLines(s, archive));
  if (s.layout) out.push(`  ${terminalText(s.layout)}`);
  for (const w of s.warnings) out.push(`  WARNING: ${terminalText(w)}`);
  out.push(
    `  ${plural(nodeCount, 'node')}, ${plural(sourceCount, 'other source')}, ${count(s.files)} ${noun(s.files, 'file')} (${count(s.indexedFiles)} indexed), ` +
      `${bytes(s.bytes)}, ${count(s.lines)} ${noun(s.lines, 'line')}`,
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
    }; ${plural(s.processes, 'process run')}`,
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
    for (const x of s.duplicates) out.push(`  ${terminalText(x.file)}: ${terminalText(x.reason ?? `a copy of ${x.of}`)}`);
  }
  if (s.notes.length) {
    out.push('', `Notes (${s.notes.length}):`);
    for (const x of s.notes) out.push(`  ${x.file === undefined ? '(bundle)' : terminalText(x.file)}: ${terminalText(x.note)}`);
  }
  return out.join('\n');
}

export const indexCommand: CliCommand = {
  name: 'index',
  synopsis: 'index DIR|ARCHIVE [--no-search-index] [--json]',
  summary: 'summary of a log bundle; saves its indexes for the other commands',
  run: (ctx, cl) => {
    const outputs = ctx.bundles.map((b) => indexOutput(service.summary(ctx, b), b.archive));
    // The summary is the first answer: the search index is built after it is printed, never before.
    const after = cl.noSearchIndex ? undefined : () => buildSearchIndexes(ctx.bundles, cl.stats);
    if (outputs.length === 1) return { ...outputs[0], after };
    // Several bundles side by side: each summarised on its own.
    return { json: { bundles: outputs.map((o) => o.json) }, human: () => outputs.map((o) => o.human()).join('\n\n'), after };
  },
};

/**
 * Builds (or brings up to date) each bundle's search index, after its event index: what trace, count and
 * stats use to skip the blocks that cannot match. With --stats, its time and size go to stderr.
 */
async function buildSearchIndexes(bundles: readonly BundleHandle[], stats: boolean): Promise<string[]> {
  const notes: string[] = [];
  if (process.stderr.isTTY) process.stderr.write('quorum-lens: bringing the search index up to date (--no-search-index skips it)…\n');
  for (const b of bundles) {
    const started = process.hrtime.bigint();
    const built = await service.buildBundleSearch(b);
    if (!built) {
      if (b.searchMissing) notes.push(b.searchMissing);
      continue;
    }
    if (stats) {
      const searchMs = Number(process.hrtime.bigint() - started) / 1e6;
      const searchBytes = (await fs.stat(built.file)).size;
      process.stderr.write(`${JSON.stringify({ searchMs, searchBytes, ...built, maxRssKb: process.resourceUsage().maxRSS })}\n`);
    }
  }
  return notes;
}
