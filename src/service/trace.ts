import { correctedTime } from '../core/workflows/hitOrder';
import { userRegexProblem } from '../core/userRegex';
import { addSearchUse, searchWith } from './searchIndex';
import type { FileIndex } from '../core/model';
import type { Micros } from '../core/time';
import { EarliestHits } from '../core/workflows/earliestHits';
import { DEFAULT_MAX_CHARS, grepBundle } from '../indexer/grepBundle';
import { foundLine } from './present';
import type { FoundLine, SearchUse, TraceResult, UnreadableFile } from './results';
import { offsetsUs, type SearchControl, type ServiceContext } from './serviceContext';

/** How many lines a trace returns unless asked otherwise (CLI `--max`, the editor's views). */
export const TRACE_DEFAULT_MAX = 100_000;

export interface TraceParams {
  text: string;
  regex?: boolean;
  ignoreCase?: boolean;
  /** Lines returned at most (default TRACE_DEFAULT_MAX): the earliest, with `next` saying where the rest begin. */
  max?: number;
  /** Only lines at or after this corrected time (the next page of a cut trace); lines without a time are left out. */
  from?: Micros;
}

/** Why a search pattern cannot be used (a regex that does not compile or could backtrack for hours), or undefined. */
export function searchPatternProblem(params: { text: string; regex?: boolean; ignoreCase?: boolean }): string | undefined {
  if (!params.regex) return undefined;
  const problem = userRegexProblem(params.text, params.ignoreCase ? 'i' : '');
  return problem && `bad REGEX: ${problem}`;
}

/** Every line that mentions `text`, on every node of every bundle, in the order things happened. */
export async function trace(ctx: ServiceContext, params: TraceParams, control: SearchControl = {}): Promise<TraceResult> {
  const problem = searchPatternProblem(params);
  if (problem)
    return { query: params.text, regex: true, lines: [], truncated: false, limit: 0, files: 0, bytes: 0, unreadable: [], problem };
  const offsets = offsetsUs(ctx);
  const pattern = { source: params.text, regex: params.regex === true, ignoreCase: params.ignoreCase === true };
  const max = params.max ?? TRACE_DEFAULT_MAX;
  type Keyed = { line: FoundLine; bundle: number; node: string; file: number; n: number };
  const order = (a: Keyed, b: Keyed) => a.bundle - b.bundle || a.node.localeCompare(b.node) || a.file - b.file || a.n - b.n;
  // Each bundle's search is bounded; across bundles the same rule keeps the earliest lines (see EarliestHits).
  const kept = new EarliestHits<Keyed>(
    max,
    DEFAULT_MAX_CHARS,
    (k) => k.line.time,
    (k) => k.line.text.length,
    order,
  );
  let truncated = false;
  let crowded: Micros | undefined;
  let files = 0;
  let bytes = 0;
  const unreadable: UnreadableFile[] = [];
  const search: SearchUse = { skippedBytes: 0 };
  for (const [bundleNo, b] of ctx.bundles.entries()) {
    const shiftUs = (f: FileIndex) => offsets[f.node] ?? 0;
    const r = await grepBundle(b.index, pattern, {
      ...searchWith(b),
      maxMatches: max,
      shiftUs,
      keep: (f) => ({
        kind: 'lines',
        maxChars: DEFAULT_MAX_CHARS,
        fromUs: params.from === undefined ? undefined : params.from - shiftUs(f),
      }),
      ...control,
    });
    truncated ||= r.truncated;
    crowded ??= r.crowded;
    files += r.files;
    bytes += r.bytes;
    unreadable.push(...r.unreadable);
    addSearchUse(search, r);
    const lines = r.hits.map((h): Keyed => {
      const line = foundLine(ctx, b, h, correctedTime(b.index, h, offsets));
      return { line, bundle: bundleNo, node: line.node, file: h.file, n: h.line };
    });
    kept.add(lines, r.horizon);
  }
  const cut = kept.result();
  // By corrected time, then bundle, node, file and line; lines without a time last, in file order.
  const t = (x: Keyed) => x.line.time ?? Number.POSITIVE_INFINITY;
  const keyed = cut.hits.sort((a, b) => t(a) - t(b) || order(a, b));
  const result: TraceResult = {
    query: params.text,
    regex: pattern.regex,
    lines: keyed.map((k) => k.line),
    truncated: truncated || cut.truncated,
    limit: max,
    files,
    bytes,
    unreadable,
    search,
  };
  if (params.from !== undefined) result.fromLabel = ctx.label(params.from);
  if (cut.horizon !== undefined) Object.assign(result, { next: cut.horizon, nextLabel: ctx.label(cut.horizon) });
  crowded = cut.crowded ?? crowded;
  if (crowded !== undefined) result.crowdedAt = ctx.label(crowded);
  return result;
}
