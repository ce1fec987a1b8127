import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RoleInterval } from '../../src/core/leaderIntervals';
import { findOverlaps } from '../../src/core/overlaps';

const S = 1_000_000;
const iv = (node: string, start: number, end: number, role = 'meta'): RoleInterval => ({
  role,
  node,
  start: start * S,
  end: end * S,
  endReason: 'test',
  startRule: 'test',
  startText: '',
  startSource: { file: `${node}.log`, line: start, offset: 0 },
  endSource: { file: `${node}.log`, line: end, offset: 0 },
});
const spans = (list: RoleInterval[], offsets = {}) =>
  findOverlaps(list, offsets).map((o) => `${o.nodes.join('∩')} ${o.start / S}-${o.end / S}`);

test('intervals that truly intersect overlap, on the intersection', () => {
  assert.deepEqual(spans([iv('a', 0, 10), iv('b', 5, 15)]), ['a∩b 5-10']);
});

test('touching intervals do not overlap', () => {
  assert.deepEqual(spans([iv('a', 0, 10), iv('b', 10, 20)]), []);
});

test('a nested interval overlaps for its whole length', () => {
  assert.deepEqual(spans([iv('a', 0, 100), iv('b', 20, 30)]), ['a∩b 20-30']);
});

test('the same node never overlaps itself, and roles are compared only with themselves', () => {
  assert.deepEqual(spans([iv('a', 0, 10), iv('a', 5, 15)]), []);
  assert.deepEqual(spans([iv('a', 0, 10, 'meta'), iv('b', 5, 15, 'zk')]), []);
});

test('three nodes give every overlapping pair, sorted by start', () => {
  assert.deepEqual(spans([iv('c', 8, 30), iv('a', 0, 10), iv('b', 5, 20)]), ['a∩b 5-10', 'a∩c 8-10', 'b∩c 8-20']);
});

test('a long interval is compared with every later one it spans, not just its neighbour', () => {
  assert.deepEqual(spans([iv('a', 0, 100), iv('b', 10, 11), iv('b', 50, 51), iv('c', 90, 95)]), ['a∩b 10-11', 'a∩b 50-51', 'a∩c 90-95']);
});

test('clock offsets shift a node before comparing', () => {
  assert.deepEqual(spans([iv('a', 0, 10), iv('b', 10.5, 20)], { b: -1 * S }), ['a∩b 9.5-10']);
  assert.deepEqual(spans([iv('a', 0, 10), iv('b', 9, 20)], { b: 1 * S }), []);
});
