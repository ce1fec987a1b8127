import { formatById, type FormatId } from '../core/formats';

/**
 * Folding ranges for multi-line entries: an entry line followed by continuation lines (Java stack
 * traces, glog `Traceback:` lines) folds to its first line. Lines are 0-based.
 */
export function entryFoldingRanges(lines: readonly string[], format: FormatId): { start: number; end: number }[] {
  if (format === 'plain') return [];
  const entry = formatById(format).entryStart;
  const out: { start: number; end: number }[] = [];
  let start = -1;
  for (let i = 0; i < lines.length; i++) {
    if (entry.test(lines[i])) {
      if (start >= 0 && i - 1 > start) out.push({ start, end: i - 1 });
      start = i;
    }
  }
  if (start >= 0 && lines.length - 1 > start) {
    let end = lines.length - 1;
    while (end > start && lines[end].trim() === '') end--;
    if (end > start) out.push({ start, end });
  }
  return out;
}
