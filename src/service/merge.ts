import { addressFromFolderName } from '../core/bundleLayout';
import { withoutPort } from '../core/identifiers';
import type { FileIndex } from '../core/model';
import { nodeResolver } from '../core/nodeAliases';
import type { Micros } from '../core/time';
import { userRegexProblem } from '../core/userRegex';
import { MIN_LEVELS, SOURCE_KINDS, type EntryFilter, type MinLevel } from '../core/workflows/mergeFilter';
import { compareKeys, encodeCursor, isMergeCursor, type MergeCursor, type MergeKey } from '../core/workflows/mergeOrder';
import { keyOfLine, pageBackward, pageForward, type PageQuery } from '../indexer/mergePages';
import { timeKey, type MergedLine, type MergeInput, type MergeOptions } from '../indexer/mergeReader';
import type { BundleHandle } from './bundleHandle';
import { foundLine, nodeName } from './present';
import type { MergedLineInfo, MergeFilters, MergeResult } from './results';
import { offsetsUs, type ServiceContext } from './serviceContext';

export { decodeCursor, encodeCursor } from '../core/workflows/mergeOrder';

/** Lines one page holds unless asked otherwise (the Cluster Log view's page, the CLI's default `--max`). */
export const MERGE_DEFAULT_LIMIT = 1000;
/** Lines one page holds at most. */
export const MERGE_MAX_LIMIT = 1_000_000;
/** Characters of line text one page holds at most (with 2000 per line, 16 Ki long lines). */
export const MERGE_MAX_CHARS = 32 << 20;

export interface MergeParams {
  /** Only lines at or after this corrected time. */
  from?: Micros;
  /** Only lines before this corrected time. */
  to?: Micros;
  /** Regexes (JavaScript syntax): an entry is shown when one of its lines matches any of them (none given: every entry). */
  include?: string[];
  /** Regexes: an entry is hidden when one of its lines matches any of them. */
  exclude?: string[];
  ignoreCase?: boolean;
  /** Minimum level: W (warnings and worse) or E (errors and fatal). */
  level?: MinLevel;
  /** Nodes to read, by folder name, address (`172.20.131.241`, `10.0.131.241`) or label; none: every node. */
  nodes?: string[];
  /** Source kinds to read (meta, chunk, zookeeper, …); none: every kind. */
  sources?: string[];
  /** Only this bundle (its root, as the summary gives it), with several in the workspace; the cursors then count it as bundle 0. */
  bundle?: string;
  /** Lines in the page (default MERGE_DEFAULT_LIMIT). */
  limit?: number;
  /** Forward: the lines after it; backward: the lines before it. From a result's `next` / `previous`. */
  cursor?: MergeCursor;
  /** Forward (default): the first `limit` lines from `from` (or after `cursor`); backward: the last `limit` lines before `cursor` (or `to`). */
  direction?: 'forward' | 'backward';
}

/** What a page is read with, once checked, and the filters as the answer names them. */
interface Plan extends PageQuery {
  filters: MergeFilters;
}

/**
 * The merged cluster log: every node's lines interleaved in (clock-offset-corrected) time order, filtered as
 * lnav filters, one page at a time — forward from a time or a cursor, or backward before one. Pages join
 * exactly: the page after `next` (or before `previous`) starts with the line that follows (or precedes), so
 * paging through loses and repeats nothing. Memory is the page plus a read buffer per open file.
 */
export async function mergedLines(whole: ServiceContext, params: MergeParams = {}): Promise<MergeResult> {
  const ctx = params.bundle === undefined ? whole : { ...whole, bundles: whole.bundles.filter((b) => b.root === params.bundle) };
  const limit = Math.max(1, Math.min(MERGE_MAX_LIMIT, Math.floor(params.limit ?? MERGE_DEFAULT_LIMIT)));
  const direction = params.direction ?? 'forward';
  const empty = (filters: MergeFilters, problem?: string): MergeResult => ({
    lines: [],
    direction,
    truncated: false,
    limit,
    filters,
    unreadable: [],
    skippedFiles: [],
    notes: [],
    nodes: nodesOf(ctx),
    ...(problem !== undefined && { problem }),
  });
  if (ctx.bundles.length === 0) return empty(baseFilters(ctx, params), `No bundle ${params.bundle ?? ''} is indexed.`.replace('  ', ' '));
  const plan = planOf(ctx, params);
  if (typeof plan === 'string') return empty(baseFilters(ctx, params), plan);
  if (params.cursor !== undefined && !isMergeCursor(params.cursor)) return empty(plan.filters, 'The cursor is not one a merged page gave.');
  const lower = params.from === undefined ? undefined : timeKey(params.from);
  const upper = params.to === undefined ? undefined : timeKey(params.to);
  const page =
    direction === 'forward'
      ? await pageForward(plan, later(lower, params.cursor), earlier(upper, params.cursor, false), limit, MERGE_MAX_CHARS, params.cursor)
      : await pageBackward(plan, lower, earlier(upper, params.cursor, true), limit, MERGE_MAX_CHARS);
  const lines = lineInfos(ctx, page.lines);
  const keyOf = (i: number) => keyOfLine(plan.inputs, page.lines[i]);
  const result: MergeResult = {
    lines,
    direction,
    truncated: page.truncated,
    limit,
    filters: plan.filters,
    unreadable: page.unreadable,
    skippedFiles: page.skippedFiles,
    notes: page.notes,
    nodes: nodesOf(ctx),
  };
  if (page.skippedBytes > 0) result.search = { skippedBytes: page.skippedBytes };
  if (lines.length > 0) {
    // Forward: `next` only when more follow; backward: `previous` only when more precede. The other way always.
    if (direction === 'backward' || page.truncated) Object.assign(result, withToken('next', keyOf(lines.length - 1)));
    if (direction === 'forward' || page.truncated) Object.assign(result, withToken('previous', keyOf(0)));
  }
  return result;
}

function withToken(name: 'next' | 'previous', k: MergeCursor): Partial<MergeResult> {
  return { [name]: k, [`${name}Token`]: encodeCursor(k) };
}

/** Where forward reading starts: the later of `from` (inclusive) and the cursor (exclusive). */
function later(from: MergeKey | undefined, cursor: MergeCursor | undefined): MergeOptions['start'] {
  if (cursor && (!from || compareKeys(cursor, from) >= 0)) return { key: cursor, inclusive: false };
  return from ? { key: from, inclusive: true } : undefined;
}

/** Where reading stops (exclusive): the earlier of `to` and (backward) the cursor. */
function earlier(to: MergeKey | undefined, cursor: MergeCursor | undefined, useCursor: boolean): MergeKey | undefined {
  if (useCursor && cursor && (!to || compareKeys(cursor, to) < 0)) return cursor;
  return to;
}

/** Turns merged lines into answers; a file's URI and node label are made once and shared by its lines. */
function lineInfos(ctx: ServiceContext, lines: readonly MergedLine[]): MergedLineInfo[] {
  const perFile = new Map<string, { uri: string; file: string; node: string; nodeLabel: string }>();
  return lines.map((l) => {
    const b = ctx.bundles[l.bundle];
    const id = `${l.bundle}\0${l.file}`;
    let f = perFile.get(id);
    if (!f) {
      const index = b.index.files[l.file];
      const found = foundLine(ctx, b, { file: l.file, line: l.line, text: '' });
      f = { uri: found.location.uri, file: index.path, node: found.node, nodeLabel: found.nodeLabel };
      perFile.set(id, f);
    }
    const out: MergedLineInfo = {
      location: { uri: f.uri, file: f.file, line: l.line },
      node: f.node,
      nodeLabel: f.nodeLabel,
      time: l.time,
      timeLabel: ctx.label(l.time),
      text: l.text,
    };
    if (l.continuation) out.continuation = true;
    if (l.ownTime !== undefined) Object.assign(out, { ownTime: l.ownTime, ownTimeLabel: ctx.label(l.ownTime) });
    if (ctx.bundles.length > 1) out.bundle = b.root;
    return out;
  });
}

/** Every node of the bundles read, with the clock offset applied to it: a view's node column and its hovers. */
function nodesOf(ctx: ServiceContext): MergeResult['nodes'] {
  return ctx.bundles.flatMap((b) =>
    b.index.nodes.map((n) => ({ node: n.name, label: nodeName(ctx, b, n.name), offsetMs: ctx.clockOffsetsMs[n.name] ?? 0 })),
  );
}

function baseFilters(ctx: ServiceContext, p: MergeParams): MergeFilters {
  const f: MergeFilters = {
    include: p.include ?? [],
    exclude: p.exclude ?? [],
    ignoreCase: p.ignoreCase === true,
    nodes: p.nodes ?? [],
    sources: p.sources ?? [],
  };
  if (p.level !== undefined) f.level = p.level;
  if (p.from !== undefined) Object.assign(f, { from: p.from, fromLabel: ctx.label(p.from) });
  if (p.to !== undefined) Object.assign(f, { to: p.to, toLabel: ctx.label(p.to) });
  return f;
}

/** Why the filters cannot be used, as one sentence (a bad regex, an unknown node, source or level). */
export function mergeFilterProblem(p: Pick<MergeParams, 'include' | 'exclude' | 'ignoreCase' | 'level' | 'sources'>): string | undefined {
  const flags = p.ignoreCase ? 'i' : '';
  for (const [what, list] of [
    ['--include', p.include],
    ['--exclude', p.exclude],
  ] as const)
    for (const source of list ?? []) {
      const problem = userRegexProblem(source, flags);
      // V8's linear-time engine has no case folding: the same pattern without -i would run.
      if (problem && flags && !userRegexProblem(source))
        return `bad ${what} REGEX "${source}": a case-insensitive (-i) regex cannot run on the linear-time engine that keeps crafted lines from hanging it; drop -i and spell the cases out ([Ss]ession)`;
      if (problem) return `bad ${what} REGEX "${source}": ${problem}`;
    }
  if (p.level !== undefined && !MIN_LEVELS.includes(p.level)) return `--level takes ${MIN_LEVELS.join(' or ')}, not "${String(p.level)}"`;
  const kinds: readonly string[] = SOURCE_KINDS;
  const unknown = (p.sources ?? []).filter((s) => !kinds.includes(s));
  if (unknown.length > 0) return `--source ${unknown.join(', ')}: no such source kind (kinds: ${SOURCE_KINDS.join(', ')})`;
  return undefined;
}

/** The filters checked and the files chosen, or why they cannot be used. */
function planOf(ctx: ServiceContext, p: MergeParams): Plan | string {
  const problem = mergeFilterProblem(p);
  if (problem) return problem;
  const flags = p.ignoreCase ? 'i' : '';
  const filter: EntryFilter = {
    include: (p.include ?? []).map((s) => new RegExp(s, flags)),
    exclude: (p.exclude ?? []).map((s) => new RegExp(s, flags)),
    level: p.level,
  };
  const offsets = offsetsUs(ctx);
  const wantedNodes = p.nodes ?? [];
  const perBundle = ctx.bundles.map((b) => nodesNamed(ctx, b, wantedNodes));
  const unknown = wantedNodes.filter((name) => perBundle.every((m) => !m.matched.has(name)));
  if (unknown.length > 0) {
    const all = [...new Set(ctx.bundles.flatMap((b) => b.index.nodes.map((n) => n.name)))].sort();
    return `--node ${unknown.join(', ')}: no such node in this bundle (nodes: ${all.join(', ')}; an address of a node works too)`;
  }
  const sources = new Set(p.sources ?? []);
  const inputs = ctx.bundles.map((b, i): MergeInput => ({
    index: b.index,
    search: b.search,
    offsets,
    files: (f: FileIndex) => (wantedNodes.length === 0 || perBundle[i].nodes.has(f.node)) && (sources.size === 0 || sources.has(f.source)),
  }));
  const filters = baseFilters(ctx, p);
  filters.nodes = [...new Set(perBundle.flatMap((m, i) => [...m.nodes].map((n) => nodeName(ctx, ctx.bundles[i], n))))];
  const signature = JSON.stringify([
    p.include ?? [],
    p.exclude ?? [],
    p.ignoreCase === true,
    p.level ?? null,
    perBundle.map((m) => [...m.nodes].sort()),
    [...sources].sort(),
    offsets,
    p.from ?? null,
    p.to ?? null,
  ]);
  return { inputs, filter, filters, signature };
}

/** The nodes of a bundle that the names stand for: folder name, label, an address of theirs or an address spelt as a folder. */
function nodesNamed(ctx: ServiceContext, b: BundleHandle, names: readonly string[]): { nodes: Set<string>; matched: Set<string> } {
  const nodes = new Set<string>();
  const matched = new Set<string>();
  const resolver = nodeResolver(b.index.nodes);
  for (const name of names) {
    let node = b.index.nodes.find((n) => n.name === name || nodeName(ctx, b, n.name) === name)?.name;
    node ??= resolver.byAddress(addressFromFolderName(name) ?? withoutPort(name));
    if (node !== undefined) {
      nodes.add(node);
      matched.add(name);
    }
  }
  return { nodes, matched };
}
