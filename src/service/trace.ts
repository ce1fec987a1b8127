import { correctedTime } from '../core/workflows/hitOrder';
import { userRegexProblem } from '../core/userRegex';
import { grepBundle } from '../indexer/grepBundle';
import { foundLine } from './present';
import type { FoundLine, TraceResult, UnreadableFile } from './results';
import { offsetsUs, type SearchControl, type ServiceContext } from './serviceContext';

/** How many lines a trace returns unless asked otherwise (CLI `--max`, the editor's views). */
export const TRACE_DEFAULT_MAX = 100_000;

export interface TraceParams {
  text: string;
  regex?: boolean;
  ignoreCase?: boolean;
  max?: number;
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
  if (problem) return { query: params.text, regex: true, lines: [], truncated: false, files: 0, bytes: 0, unreadable: [], problem };
  const offsets = offsetsUs(ctx);
  const pattern = { source: params.text, regex: params.regex === true, ignoreCase: params.ignoreCase === true };
  const keyed: { line: FoundLine; bundle: number; node: string; file: number; n: number }[] = [];
  let truncated = false;
  let files = 0;
  let bytes = 0;
  const unreadable: UnreadableFile[] = [];
  for (const [bundleNo, b] of ctx.bundles.entries()) {
    const r = await grepBundle(b.index, pattern, { maxMatches: params.max ?? TRACE_DEFAULT_MAX, ...control });
    truncated ||= r.truncated;
    files += r.files;
    bytes += r.bytes;
    unreadable.push(...r.unreadable);
    for (const h of r.hits) {
      const line = foundLine(ctx, b, h, correctedTime(b.index, h, offsets));
      keyed.push({ line, bundle: bundleNo, node: line.node, file: h.file, n: h.line });
    }
  }
  // By corrected time, then bundle, node, file and line; lines without a time last, in file order.
  const t = (x: (typeof keyed)[number]) => x.line.time ?? Number.POSITIVE_INFINITY;
  keyed.sort((a, b) => t(a) - t(b) || a.bundle - b.bundle || a.node.localeCompare(b.node) || a.file - b.file || a.n - b.n);
  return { query: params.text, regex: pattern.regex, lines: keyed.map((k) => k.line), truncated, files, bytes, unreadable };
}
