import { formatById, parseLine, stripNul, type FormatId } from '../core/formats';
import type { Checkpoint } from '../core/model';
import { monthDay, type Micros } from '../core/time';
import { RollingYearClock } from '../core/yearClock';
import { chunks } from './readChunks';

/** What to look for: a literal (exact bytes) or a regex (JavaScript syntax), as plain data for workers. */
export interface GrepPattern {
  source: string;
  regex: boolean;
  ignoreCase?: boolean;
}

export interface GrepFileRequest {
  absPath: string;
  gzip: boolean;
  format: FormatId;
  /** The file's checkpoints: they date continuation lines and give yearless lines their year. */
  checkpoints: readonly Checkpoint[];
  pattern: GrepPattern;
  maxMatches: number;
}

export interface GrepHit {
  line: number;
  offset: number;
  /** The line's own time, or its entry's (a continuation line), when known. */
  time?: Micros;
  text: string;
  /** Regex capture groups, when the pattern has any. */
  captures?: string[];
}

const MAX_TEXT = 2000;

/**
 * Every line of one file that matches, with its line number, byte offset and time. Streams the file in
 * large chunks as Latin-1 (the pattern is converted to the same bytes), so any file can be searched
 * whatever its encoding, and memory stays flat.
 */
export async function grepFile(req: GrepFileRequest): Promise<{ hits: GrepHit[]; truncated: boolean; bytes: number }> {
  const asLatin1 = Buffer.from(req.pattern.source, 'utf8').toString('latin1');
  const flags = `g${req.pattern.ignoreCase ? 'i' : ''}`;
  const re = req.pattern.regex
    ? new RegExp(asLatin1, `${flags}m`)
    : new RegExp(asLatin1.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), flags);
  const format = formatById(req.format);
  const hits: GrepHit[] = [];
  let lineNo = 1;
  let base = 0;
  let carry = '';
  let truncated = false;

  const timeOf = (line: string, offset: number, text: string, ls: number): Micros | undefined => {
    const clock = clockAt(req.checkpoints, offset);
    const p = parseLine(format, stripNul(line), clock);
    if (p) return p.time;
    // A continuation line: the nearest entry line above it (within this chunk), else the checkpoint.
    let end = ls - 1;
    for (let tries = 0; tries < 200 && end > 0; tries++) {
      const start = text.lastIndexOf('\n', end - 1) + 1;
      const q = parseLine(format, stripNul(text.slice(start, Math.min(end, start + 256)).replace(/\r$/, '')), clock);
      if (q) return q.time;
      end = start - 1;
    }
    return checkpointAtOrBefore(req.checkpoints, offset)?.[2];
  };

  for await (const chunk of chunks(req.absPath, req.gzip)) {
    const s = carry + chunk.toString('latin1');
    const lastNl = s.lastIndexOf('\n');
    const text = lastNl >= 0 ? s.slice(0, lastNl + 1) : '';
    carry = lastNl >= 0 ? s.slice(lastNl + 1) : s.length > 64 << 20 ? '' : s;
    let cursor = 0;
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const ls = m.index === 0 ? 0 : text.lastIndexOf('\n', m.index - 1) + 1;
      let le = text.indexOf('\n', m.index);
      if (le < 0) le = text.length;
      for (let i = text.indexOf('\n', cursor); i >= 0 && i < ls; i = text.indexOf('\n', i + 1)) lineNo++;
      cursor = ls;
      const raw = text.slice(ls, Math.min(le, ls + MAX_TEXT)).replace(/\r$/, '');
      const hit: GrepHit = { line: lineNo, offset: base + ls, time: timeOf(raw, base + ls, text, ls), text: Buffer.from(raw, 'latin1').toString('utf8') };
      if (m.length > 1) hit.captures = m.slice(1).map((c) => (c === undefined ? '' : Buffer.from(c, 'latin1').toString('utf8')));
      hits.push(hit);
      if (hits.length >= req.maxMatches) {
        truncated = true;
        return { hits, truncated, bytes: base + le };
      }
      re.lastIndex = le + 1;
    }
    for (let i = text.indexOf('\n', cursor); i >= 0; i = text.indexOf('\n', i + 1)) lineNo++;
    base += text.length;
  }
  if (carry) {
    re.lastIndex = 0;
    const m = re.exec(carry);
    if (m) {
      const raw = carry.slice(0, MAX_TEXT).replace(/\r$/, '');
      hits.push({ line: lineNo, offset: base, time: timeOf(raw, base, carry, 0), text: Buffer.from(raw, 'latin1').toString('utf8'), captures: m.length > 1 ? m.slice(1) : undefined });
    }
  }
  return { hits, truncated, bytes: base + carry.length };
}

/** The last checkpoint at or before a byte offset. */
export function checkpointAtOrBefore(checkpoints: readonly Checkpoint[], offset: number): Checkpoint | undefined {
  let lo = 0;
  let hi = checkpoints.length - 1;
  let best: Checkpoint | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (checkpoints[mid][1] <= offset) {
      best = checkpoints[mid];
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return best;
}

/** A year clock dated by the checkpoint before `offset` (how yearless lines there get their year). */
export function clockAt(checkpoints: readonly Checkpoint[], offset: number): RollingYearClock {
  const cp = checkpointAtOrBefore(checkpoints, offset) ?? checkpoints[0];
  return new RollingYearClock(cp ? monthDay(cp[2]) : { year: 2000, month: 0, day: 0 });
}
