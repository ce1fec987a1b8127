import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NumberCollector, RELATIVE_ERROR } from '../../src/core/workflows/numberCollector';
import { summarize } from '../../src/core/workflows/numericStats';
import { random } from '../fixtures/logWriter';

// Statistics in bounded memory: exact while the numbers fit, and past that a sketch whose median and p99
// are within the stated relative error of the exact ones — checked against the exact answer on seeded
// data of several shapes (GC pauses, NTP offsets around zero, heavy tails), merged in pieces as files are.

/** The fixtures' seeded PRNG, so a failing seed can be rerun. */
const rng = (seed: number) => random(String(seed));

const shapes: Record<string, (r: () => number) => number> = {
  'GC pauses (seconds, log-normal)': (r) => Math.exp(-4 + 1.5 * Math.sqrt(-2 * Math.log(r() || 1e-12)) * Math.cos(2 * Math.PI * r())),
  'NTP offsets (both signs, some zero)': (r) => (r() < 0.05 ? 0 : (r() - 0.5) * 0.02),
  'latencies with a heavy tail (ms)': (r) => (r() < 0.01 ? 1000 + r() * 1e5 : 1 + r() * 20),
  'small integers (many ties)': (r) => Math.floor(r() * 5),
};

const within = (got: number, want: number) => Math.abs(got - want) <= RELATIVE_ERROR * Math.abs(want) + 1e-12;

test('past the exact cap, median and p99 are within the stated error; count, sum, min, max stay exact', () => {
  for (const [name, draw] of Object.entries(shapes)) {
    for (const seed of [1, 2, 3]) {
      const r = rng(seed);
      const values = Float64Array.from({ length: 50_000 }, () => draw(r));
      // Ten "files" of a collector each, with a small exact cap so the sketch takes over, merged in a seeded order.
      const whole = new NumberCollector(2_000);
      const pieces = Array.from({ length: 10 }, () => new NumberCollector(2_000));
      values.forEach((v, i) => pieces[i % 10].add(v));
      for (const p of pieces) whole.merge(p.data());
      const got = whole.summary();
      const want = summarize(values);
      assert.ok(got && want);
      assert.equal(got.approximate, true, name);
      assert.equal(got.count, want.count);
      assert.equal(got.min, want.min);
      assert.equal(got.max, want.max);
      assert.ok(Math.abs(got.sum - want.sum) <= 1e-9 * Math.max(1, Math.abs(want.sum)), `${name}: sum`);
      // The sketch's median is the lower middle value's bucket; exact median of an even count averages two.
      const sorted = Float64Array.from(values).sort();
      const lowerMiddle = sorted[Math.floor((sorted.length - 1) / 2)];
      assert.ok(within(got.median, lowerMiddle), `${name} seed ${seed}: median ${got.median} vs ${lowerMiddle}`);
      assert.ok(within(got.p99, want.p99), `${name} seed ${seed}: p99 ${got.p99} vs ${want.p99}`);
    }
  }
});

test('under the cap the summary is exact, and merging exact pieces gives the exact summary of the whole', () => {
  const r = rng(9);
  const values = Array.from({ length: 3000 }, () => Math.round(r() * 1e6) / 1e3);
  const pieces = [new NumberCollector(), new NumberCollector(), new NumberCollector()];
  values.forEach((v, i) => pieces[i % 3].add(v));
  const whole = new NumberCollector();
  for (const p of pieces) whole.merge(p.data());
  const got = whole.summary();
  assert.equal(got?.approximate, undefined);
  const want = summarize(values);
  assert.ok(got && want);
  assert.deepEqual({ ...got, sum: 0, mean: 0 }, { ...want, sum: 0, mean: 0 });
  assert.ok(Math.abs(got.sum - want.sum) < 1e-6);
});

test('memory is the buckets, not the numbers: a million values of a wide range stay a few thousand buckets', () => {
  const c = new NumberCollector(1000);
  const r = rng(4);
  for (let i = 0; i < 1_000_000; i++) c.add((r() < 0.5 ? -1 : 1) * 10 ** (r() * 12 - 6));
  const d = c.data();
  assert.equal(d.exact, undefined);
  const buckets = (d.positive?.length ?? 0) + (d.negative?.length ?? 0);
  assert.ok(buckets < 6000, `${buckets} buckets`);
  assert.equal(d.count, 1_000_000);
});
