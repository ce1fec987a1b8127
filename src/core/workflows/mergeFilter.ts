import type { Severity } from '../formats/types';
import type { SourceKind } from '../model';

/** `--level W`: warnings and worse; `E`: errors and fatal lines. */
export type MinLevel = 'W' | 'E';

export const MIN_LEVELS: readonly MinLevel[] = ['W', 'E'];

const RANK: Record<Severity, number> = { trace: 0, debug: 1, info: 2, warn: 3, error: 4, fatal: 5 };
const FLOOR: Record<MinLevel, number> = { W: RANK.warn, E: RANK.error };

/** Every source kind, for checking what a user typed (`--source zookeeper`). */
export const SOURCE_KINDS = [
  'meta',
  'chunk',
  'zookeeper',
  'zkfc',
  'namenode',
  'hadoop',
  'kazoo',
  'testRunner',
  'ntp',
  'service',
  'other',
] as const satisfies readonly SourceKind[];

// A kind added to the model and forgotten here fails the build.
type Missing = Exclude<SourceKind, (typeof SOURCE_KINDS)[number]>;
const _allKinds: Missing extends never ? true : never = true;
void _allKinds;

/** Whether an entry of this severity passes a minimum level (an entry without one never does). */
export function severityPasses(severity: Severity | undefined, min: MinLevel | undefined): boolean {
  if (min === undefined) return true;
  return severity !== undefined && RANK[severity] >= FLOOR[min];
}

/** The filters that look at an entry's text and level (files, nodes and sources are chosen before reading). */
export interface EntryFilter {
  include: readonly RegExp[];
  exclude: readonly RegExp[];
  level?: MinLevel;
}

/** True when the filter keeps every entry (nothing to test). */
export function keepsAll(f: EntryFilter): boolean {
  return f.include.length === 0 && f.exclude.length === 0 && f.level === undefined;
}

/**
 * lnav's rule, per entry (a dated line and its continuation lines, as lnav filters whole messages): shown
 * when it has the level, some line matches some include filter (or there is none) and no line matches an
 * exclude filter. Each regex is tested on each line on its own, never across lines.
 */
export function entryPasses(lines: readonly string[], severity: Severity | undefined, f: EntryFilter): boolean {
  if (!severityPasses(severity, f.level)) return false;
  if (f.include.length > 0 && !lines.some((l) => f.include.some((re) => re.test(l)))) return false;
  return !lines.some((l) => f.exclude.some((re) => re.test(l)));
}
