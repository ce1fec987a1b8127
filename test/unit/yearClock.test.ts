import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RollingYearClock } from '../../src/core/yearClock';

test('the year rolls forward when the date goes from December to January', () => {
  const c = new RollingYearClock({ year: 2022, month: 12, day: 31 });
  assert.equal(c.yearFor(12, 31), 2022);
  assert.equal(c.yearFor(1, 1), 2023);
  assert.equal(c.yearFor(1, 2), 2023);
});

test('a clock stepping back a day is not a new year', () => {
  const c = new RollingYearClock({ year: 2023, month: 3, day: 14 });
  assert.equal(c.yearFor(3, 15), 2023);
  assert.equal(c.yearFor(3, 14), 2023);
  assert.equal(c.yearFor(3, 15), 2023);
});

test('a straggler from the old year right after the rollover keeps the old year', () => {
  const c = new RollingYearClock({ year: 2022, month: 12, day: 31 });
  assert.equal(c.yearFor(1, 1), 2023);
  assert.equal(c.yearFor(12, 31), 2022);
  assert.equal(c.yearFor(1, 1), 2023);
});

test('a clock with no known start date takes the first date it sees', () => {
  const c = new RollingYearClock({ year: 2014, month: 0, day: 0 });
  assert.equal(c.yearFor(11, 18), 2014);
  assert.equal(c.yearFor(1, 3), 2015);
});
