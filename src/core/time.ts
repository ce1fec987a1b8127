import { DateTime } from 'luxon';

/**
 * Wall-clock microseconds: the time a log line shows, counted as if it were UTC.
 * Logs rarely say their zone, so the core never guesses one; a zone is applied only at the edges.
 */
export type Micros = number;

const MS_PER_DAY = 86_400_000;

/** The last real date wallMicros saw, and its midnight (ms). */
let lastDay = { year: NaN, month: NaN, day: NaN, ms: NaN };

/** Micros for a calendar date and time of day, as written in a log. Returns NaN for impossible dates. */
export function wallMicros(year: number, month: number, day: number, hour: number, minute: number, second: number, micro: number): Micros {
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return NaN;
  // Lines come in runs of one day: its start is worked out once (Date.UTC adds the time of day the same way).
  if (
    year === lastDay.year &&
    month === lastDay.month &&
    day === lastDay.day &&
    second < 60 &&
    hour >= 0 &&
    minute >= 0 &&
    second >= 0 &&
    Number.isInteger(hour) &&
    Number.isInteger(minute) &&
    Number.isInteger(second)
  )
    return (lastDay.ms + ((hour * 60 + minute) * 60 + second) * 1000) * 1000 + micro;
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  // Date.UTC silently rolls 02-30 into March; a log never prints that, so it is garbage.
  if (new Date(ms).getUTCDate() !== day && second !== 60) return NaN;
  if (second < 60) lastDay = { year, month, day, ms: Date.UTC(year, month - 1, day) };
  return ms * 1000 + micro;
}

/** Parses a fractional-seconds field of any width ("456939", "747", "6544916") into microseconds. */
export function fractionToMicros(fraction: string): number {
  if (!fraction) return 0;
  const six = (fraction + '000000').slice(0, 6);
  return Number(six);
}

/** ISO 8601 with microseconds and no zone: how the logs' own wall clock reads. */
export function formatIso(t: Micros): string {
  const ms = Math.floor(t / 1000);
  const micro = t - ms * 1000;
  const d = new Date(ms);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds() * 1000 + micro, 6)}`;
}

/** A shorter human form: "2023-03-14 05:12:24.461460". */
export function formatHuman(t: Micros): string {
  return formatIso(t).replace('T', ' ');
}

/**
 * ISO 8601 with the offset of `zone`, reading the wall clock as local time in that zone
 * (the user tells us which zone the logs were written in).
 */
export function formatInZone(t: Micros, zone: string): string {
  const ms = Math.floor(t / 1000);
  const micro = t - ms * 1000;
  const wall = DateTime.fromMillis(ms, { zone: 'utc' });
  const local = DateTime.fromObject(
    {
      year: wall.year,
      month: wall.month,
      day: wall.day,
      hour: wall.hour,
      minute: wall.minute,
      second: wall.second,
      millisecond: wall.millisecond,
    },
    { zone },
  );
  if (!local.isValid) throw new Error(`unknown time zone "${zone}"`);
  const base = local.toISO({ includeOffset: false, suppressMilliseconds: false }) ?? '';
  return `${base.slice(0, 19)}.${String(wall.millisecond * 1000 + micro).padStart(6, '0')}${local.toFormat('ZZ')}`;
}

/** True when luxon knows the IANA zone name. */
export function isValidZone(zone: string): boolean {
  return DateTime.local().setZone(zone).isValid;
}

/** Seconds between two micros values, rounded to the microsecond. */
export function secondsBetween(a: Micros, b: Micros): number {
  return Math.round(b - a) / 1e6;
}

let lastMonthDay = { t: NaN, year: NaN, month: NaN, day: NaN };

/** Month and day of a micros value (for year-rollover checks). */
export function monthDay(t: Micros): { month: number; day: number; year: number } {
  // Searches ask again for the checkpoint before each match: the same instant, many times in a row.
  if (t !== lastMonthDay.t) {
    const d = new Date(Math.floor(t / 1000));
    lastMonthDay = { t, year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
  }
  return { year: lastMonthDay.year, month: lastMonthDay.month, day: lastMonthDay.day };
}

/** Start of the minute containing t. */
export function minuteOf(t: Micros): Micros {
  return Math.floor(t / 60_000_000) * 60_000_000;
}

/** Start of the day containing t. */
export function dayOf(t: Micros): Micros {
  return Math.floor(t / (MS_PER_DAY * 1000)) * MS_PER_DAY * 1000;
}

/**
 * Parses a user-typed time: "2023-03-14 05:12:24.461", "2023-03-14T05:12:24,461", "2023-03-14".
 * Returns undefined when it is not a time.
 */
export function parseUserTime(text: string): Micros | undefined {
  const m = /^\s*(\d{4})-(\d\d)-(\d\d)(?:[ T](\d\d):(\d\d)(?::(\d\d)(?:[.,](\d{1,9}))?)?)?\s*$/.exec(text);
  if (!m) return undefined;
  const t = wallMicros(+m[1], +m[2], +m[3], +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0), fractionToMicros(m[7] ?? ''));
  return Number.isNaN(t) ? undefined : t;
}
