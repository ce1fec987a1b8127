import { glog } from './glog';
import { log4j } from './log4j';
import { plain } from './plain';
import { python } from './python';
import type { FormatId, LogFormat, ParsedLine, YearClock } from './types';
import { zkClient } from './zkClient';
import { zookeeper } from './zookeeper';

export type { FormatId, LogFormat, ParsedLine, Severity, YearClock } from './types';

/** Detection order: on a tie the more specific layout wins. */
export const FORMATS: readonly LogFormat[] = [zookeeper, glog, zkClient, log4j, python, plain];

const BY_ID = new Map<FormatId, LogFormat>(FORMATS.map((f) => [f.id, f]));

export function formatById(id: FormatId): LogFormat {
  const f = BY_ID.get(id);
  if (!f) throw new Error(`unknown format ${id}`);
  return f;
}

/**
 * Other layouts that show up inside a file of the given format: the ZooKeeper C client writes its own
 * lines into the stderr of the C++ service whose glog file we read (Mesos does this).
 */
const ALSO: Partial<Record<FormatId, LogFormat[]>> = {
  glog: [zkClient],
  zkclient: [glog],
};

/** Parses a line with the file's format, then with the layouts known to be interleaved with it. */
export function parseLine(format: LogFormat, line: string, clock: YearClock): ParsedLine | undefined {
  const p = format.parse(line, clock);
  if (p) return p;
  const also = ALSO[format.id];
  if (also) {
    for (const f of also) {
      const q = f.parse(line, clock);
      if (q) return q;
    }
  }
  return undefined;
}

/**
 * Picks the format of a file from a sample of its first lines: the layout that recognises the most
 * lines wins; plain text when none does. Content decides, not the name.
 */
export function detectFormat(sample: readonly string[]): LogFormat {
  let best: LogFormat = plain;
  let bestCount = 0;
  for (const f of FORMATS) {
    if (f.id === 'plain') continue;
    let count = 0;
    for (const line of sample) if (f.entryStart.test(stripNul(line))) count++;
    if (count > bestCount) {
      best = f;
      bestCount = count;
    }
  }
  return best;
}

/** Lines after a hole in a truncated file start with NUL bytes; the entry behind them is still good. */
export function stripNul(line: string): string {
  if (line.charCodeAt(0) !== 0) return line;
  let i = 0;
  while (i < line.length && line.charCodeAt(i) === 0) i++;
  return line.slice(i);
}
