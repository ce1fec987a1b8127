import assert from 'node:assert/strict';
import { test } from 'node:test';
import { monthDay, wallMicros } from '../../src/core/time';

/** wallMicros as it was before it remembered the day: Date.UTC for every call. */
function reference(year: number, month: number, day: number, hour: number, minute: number, second: number, micro: number): number {
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return NaN;
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  if (new Date(ms).getUTCDate() !== day && second !== 60) return NaN;
  return ms * 1000 + micro;
}

test('wallMicros, which remembers the last day, equals Date.UTC on runs of days, impossible dates, leap seconds and odd input', () => {
  let x = 7;
  const next = (n: number) => ((x = (x * 1103515245 + 12345) % 2147483648), x % n);
  const odd = [-1, 1.5, 99, 0, 60, 61, 24];
  let day = [2023, 3, 14];
  for (let i = 0; i < 200_000; i++) {
    // Mostly the same day again (as log lines are), sometimes another, sometimes garbage.
    if (next(50) === 0) day = [[2023, 2024, 1999, 50, 2100][next(5)], 1 + next(13), 1 + next(32)];
    const f = next(20);
    const hms =
      f === 0 ? [odd[next(7)], next(60), next(61)] : f === 1 ? [next(24), odd[next(7)], odd[next(7)]] : [next(24), next(60), next(61)];
    const args = [day[0], day[1], day[2], hms[0], hms[1], hms[2], next(1_000_000)] as const;
    assert.equal(Object.is(wallMicros(...args), reference(...args)) || wallMicros(...args) === reference(...args), true, args.join(' '));
  }
});

test('monthDay answers each instant alike, asked once or many times in a row', () => {
  const ts = [0, 1_678_752_000_000_000, 1_678_752_000_000_000, 1_704_067_199_999_999, 1_704_067_200_000_000, -1];
  for (const t of ts) {
    const d = new Date(Math.floor(t / 1000));
    assert.deepEqual(monthDay(t), { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() });
    const m = monthDay(t);
    m.year = 1; // a caller's copy: changing it changes no later answer
    assert.equal(monthDay(t).year, d.getUTCFullYear());
  }
});
