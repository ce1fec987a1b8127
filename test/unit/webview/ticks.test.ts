import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatIso } from '../../../src/core/time';
import { axisContext, formatDuration, formatFull, ticks } from '../../../src/webview/timeline/ticks';

const T = (iso: string) => Date.parse(iso + 'Z') * 1000;

test('days: ticks at midnight, labelled by date', () => {
  const r = ticks({ start: T('2023-03-10T00:00:00'), end: T('2023-03-20T00:00:00') }, 1000);
  assert.equal(r.step, 864e8);
  assert.equal(r.ticks[0].label, '03-10');
  assert.ok(r.ticks.every((t) => t.major));
  assert.equal(formatIso(r.ticks[1].t), '2023-03-11T00:00:00.000000');
});

test('hours and minutes read as clock times, midnight as a date', () => {
  const r = ticks({ start: T('2023-03-14T22:00:00'), end: T('2023-03-15T02:00:00') }, 1000);
  assert.equal(r.step, 18e8);
  assert.deepEqual(
    r.ticks.slice(0, 5).map((t) => t.label),
    ['22:00', '22:30', '23:00', '23:30', '03-15'],
  );
  assert.equal(r.ticks[4].major, true);
});

test('seconds, milliseconds and microseconds', () => {
  const base = T('2023-03-14T05:12:24');
  assert.equal(ticks({ start: base, end: base + 20e6 }, 1000).ticks[0].label, '05:12:24');
  const ms = ticks({ start: base, end: base + 20e3 }, 1000);
  assert.equal(ms.step, 2e3);
  assert.equal(ms.ticks[1].label, '12:24.002');
  const us = ticks({ start: base + 461460, end: base + 461480 }, 1000);
  assert.equal(us.step, 2);
  assert.equal(us.ticks[0].label, '24.461460');
});

test('every step leaves room for its labels', () => {
  for (const span of [50, 5e4, 5e7, 5e10, 5e12]) {
    const { step, ticks: list } = ticks({ start: 1.6e15, end: 1.6e15 + span }, 800);
    assert.ok(list.length >= 2 && list.length <= 10, `${span}: ${list.length} ticks of ${step}`);
  }
});

test('durations and full timestamps', () => {
  assert.equal(formatDuration(812), '812 µs');
  assert.equal(formatDuration(2_809_816), '2.810 s');
  assert.equal(formatDuration(1_154_590_981), '19 min 15 s');
  assert.equal(formatFull(T('2023-03-14T05:12:24') + 461460), '2023-03-14 05:12:24.461460');
  assert.equal(axisContext({ start: T('2023-03-14T05:12:24'), end: T('2023-03-14T05:12:25') }, 1e5), '2023-03-14 05:00');
});
