import { terminalText } from '../../core/inertText';
import { plural } from '../../core/plural';
import { searchPatternProblem, type FoundLine, type ServiceContext, type UnreadableFile } from '../../service';
import type { SearchUse } from '../../service';
import type { LineJson } from '../json';
import type { CommandLine } from '../args';

/** What a command prints: JSON for `--json`, else the human text (built only when asked for). */
export interface Output {
  json: unknown;
  human(): string;
  /** Files left out of the answer; named on stderr, where scripts look for warnings. */
  unreadable?: readonly UnreadableFile[];
  /** Said on stderr after the answer: how it was reached, when that matters (every byte read, and why). */
  notes?: readonly string[];
  /**
   * Work that follows the answer, run once it is printed (so it never delays it): `index` builds the search
   * index after its summary. What it returns is said on stderr as notes.
   */
  after?: () => Promise<readonly string[]>;
}

/** `2023-03-14T05:12:24.461460` → `2023-03-14 05:12:24.461460`: tables read better without the T. */
export const spaced = (label: string | undefined): string => label?.replace('T', ' ') ?? '-';

/** One CLI command: how `--help` shows it, what it needs after the folder, and the service call it translates. */
export interface CliCommand {
  name: string;
  /** `trace DIR TEXT [--regex] [--json]`. */
  synopsis: string;
  summary: string;
  /** What must follow the bundle folder ("a PATTERN"), when anything must. */
  needs?: string;
  /** Decode takes a value, not a bundle folder. */
  noBundle?: boolean;
  /** A mistake in the arguments found before indexing (exit 2), or undefined. */
  check?(cl: CommandLine): string | undefined;
  run(ctx: ServiceContext, cl: CommandLine): Promise<Output> | Output;
}

/** The `check` of a command searching for PATTERN (`--regex`, `-i`): a regex that cannot be used is a usage error. */
export function searchPatternCheck(name: string): (cl: CommandLine) => string | undefined {
  return (cl) => {
    const problem = searchPatternProblem({ text: cl.arg, regex: cl.regex, ignoreCase: cl.ignoreCase });
    return problem && `${name}: ${problem}`;
  };
}

/** How much of a log line a table row shows; `--json` prints every line whole. */
export const ROW_TEXT_CHARS = 160;

/** A log line for a table row: whole, or its first ROW_TEXT_CHARS characters marked `… [2345 chars]`. */
export function rowText(text: string): string {
  if (text.length <= ROW_TEXT_CHARS) return text;
  // Never half of a surrogate pair: the cut falls before it.
  const end = /[\uD800-\uDBFF]/.test(text[ROW_TEXT_CHARS - 1]) ? ROW_TEXT_CHARS - 1 : ROW_TEXT_CHARS;
  return `${text.slice(0, end)}… [${text.length} chars]`;
}

/** Said once under a table whose rows `rowText` cut: how, and where the whole lines are. */
export function cutRowsNote(texts: readonly string[]): string {
  const cut = texts.filter((t) => t.length > ROW_TEXT_CHARS).length;
  if (cut === 0) return '';
  return `\n\n${plural(cut, 'line')} longer than ${ROW_TEXT_CHARS} characters ${cut === 1 ? 'is' : 'are'} cut at "…" (its length in brackets); --json prints ${cut === 1 ? 'it' : 'them'} whole.`;
}

/** One found line as `--json` prints it: node, bundle-relative file, 1-based line, time label or null, text. */
export function lineJson(l: FoundLine): LineJson {
  return { node: l.node, file: l.location.file, line: l.location.line, time: l.timeLabel ?? null, text: l.text };
}

/** Warnings go first, in capitals: an answer ("No overlaps") must not be read without them. */
export function warningLines(warnings: readonly string[]): string {
  return warnings.map((w) => `WARNING: ${terminalText(w)}\n`).join('') + (warnings.length ? '\n' : '');
}

/** The note a search answer carries about the search index, when it could not rule on every byte. */
export function searchNotes(search: SearchUse | undefined): string[] {
  return search?.note ? [search.note] : [];
}
