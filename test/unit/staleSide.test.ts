import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { OverlapsJson } from '../../src/cli/json';
import type { RoleInterval } from '../../src/core/leaderIntervals';
import { staleSide } from '../../src/core/staleSide';
import { quietSampleBundle, runCli } from '../helpers';

// Issue 12: each overlap names the side whose leadership is older — the lower ZooKeeper epoch, else the
// lower meta election seq, else (NameNodes, or logs that print neither) the term that began first, said so.

const term = (node: string, start: number, extra: Partial<RoleInterval> = {}): RoleInterval => ({
  role: 'zk',
  node,
  start,
  end: start + 10_000_000,
  startSource: { file: `${node}/zookeeper.log`, line: 1, offset: 0 },
  endSource: { file: `${node}/zookeeper.log`, line: 2, offset: 100 },
  endReason: 'zk.LOOKING',
  startRule: 'zk.LEADING',
  startText: 'LEADING',
  ...extra,
});
const overlap = (a: RoleInterval, b: RoleInterval) => ({
  role: a.role,
  nodes: [a.node, b.node] as [string, string],
  start: b.start,
  end: a.end,
  intervals: [a, b] as [RoleInterval, RoleInterval],
});

test('the lower epoch is stale whichever term started first; then the lower election seq; then the earlier start', () => {
  // The deposed leader woke from a pause: it started first, and its epoch is lower.
  const byEpoch = staleSide(overlap(term('a', 0, { epoch: 2 }), term('b', 5_000_000, { epoch: 1 })));
  assert.equal(byEpoch?.node, 'b');
  assert.equal(byEpoch?.why, 'epoch 1 < epoch 2');
  assert.deepEqual(
    byEpoch?.evidence.map((e) => e.node),
    ['b', 'a'],
  );
  const bySeq = staleSide(overlap(term('a', 0, { electionSeq: 416 }), term('b', 5_000_000, { electionSeq: 381 })));
  assert.equal(bySeq?.node, 'b');
  assert.equal(bySeq?.by, 'electionSeq');
  const byStart = staleSide(overlap(term('a', 0, { epoch: 3 }), term('b', 5_000_000)));
  assert.equal(byStart?.node, 'a');
  assert.equal(byStart?.by, 'start');
  assert.match(byStart?.why ?? '', /by the clocks only/);
  assert.equal(staleSide(overlap(term('a', 0), term('b', 0))), undefined, 'no side when nothing tells them apart');
});

test("overlaps --json names each meta overlap's stale side from the election seqs, with both election lines as evidence", () => {
  const out = JSON.parse(runCli(['overlaps', quietSampleBundle(), '--json']).stdout) as OverlapsJson;
  assert.equal(out.overlaps.length, 5);
  for (const o of out.overlaps) {
    assert.equal(o.staleBy, 'electionSeq', JSON.stringify(o));
    const [older, newer] = (/election seq (\d+) < (\d+)/.exec(o.staleWhy ?? '') ?? []).slice(1).map(Number);
    assert.ok(older < newer, o.staleWhy);
    assert.ok(o.nodes.includes(o.stale ?? ''));
    assert.equal(o.evidence?.[0].node, o.stale);
    // The evidence is where each seq is written, stale side first.
    const seqs = (o.evidence ?? []).map((e) => Number(/I am the leader now\.\s+seq is (\d+)/.exec(e.text)?.[1]));
    assert.deepEqual(seqs, [older, newer], JSON.stringify(o.evidence));
    const seqOf = (node: string) => o.intervals.find((iv) => iv.node === node)?.electionSeq;
    assert.equal(seqOf(o.stale ?? ''), older);
  }
});
