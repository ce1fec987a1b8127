import assert from 'node:assert/strict';
import * as path from 'node:path';
import { before, test } from 'node:test';
import type { CountJson, IndexJson, LeadersJson, OverlapsJson } from '../../src/cli/json';
import { reshape, SHAPES, type Shape } from '../fixtures/bundleShapes';
import { quietSampleBundle, runCli, tempDir } from '../helpers';

// Issue 11: the same bundle, as it really arrives, gives the same answers — or, where the folders cannot
// tell the machines apart (a flat folder), says so in every answer that depends on nodes. A silent "No
// overlaps" on a bundle we misread is the worst answer there is.

const json = <T>(args: string[]): T => {
  const r = runCli([...args, '--json']);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as T;
};
/** An overlap as the plain bundle's nodes would name it: the address from the node folder or its learned alias. */
const times = (o: OverlapsJson['overlaps'][number]) => `${o.start} → ${o.end} (${o.seconds} s)`;

let plain: { overlaps: OverlapsJson; leaders: LeadersJson };
const opened = new Map<Shape, string>();
before(() => {
  plain = { overlaps: json<OverlapsJson>(['overlaps', quietSampleBundle()]), leaders: json<LeadersJson>(['leaders', quietSampleBundle()]) };
  assert.equal(plain.overlaps.overlaps.length, 5, 'the quiet sample has 5 meta overlaps');
  const work = tempDir('ql-shapes-');
  for (const shape of SHAPES) opened.set(shape, reshape(quietSampleBundle(), path.join(work, shape), shape));
});

for (const shape of ['nested', 'hostnames', 'uuidSuffix', 'rotatedGz'] as const) {
  test(`${shape}: the same overlaps and leader terms as the plain bundle, no warning`, () => {
    const dir = opened.get(shape)!;
    const overlaps = json<OverlapsJson>(['overlaps', dir]);
    assert.deepEqual(overlaps.overlaps.map(times), plain.overlaps.overlaps.map(times));
    assert.deepEqual(overlaps.examined, plain.overlaps.examined);
    assert.deepEqual(overlaps.warnings, []);
    const leaders = json<LeadersJson>(['leaders', dir, '--role', 'all']);
    const plainAll = json<LeadersJson>(['leaders', quietSampleBundle(), '--role', 'all']);
    assert.equal(leaders.intervals.length, plainAll.intervals.length);
    assert.deepEqual(
      leaders.intervals.map((iv) => `${iv.role} ${iv.start} ${iv.end} ${iv.endReason}`),
      plainAll.intervals.map((iv) => `${iv.role} ${iv.start} ${iv.end} ${iv.endReason}`),
    );
    const total = (d: string) =>
      json<CountJson>(['count', d, 'Exception when following the leader']).nodes.reduce((n, x) => n + x.total, 0);
    assert.equal(total(dir), total(quietSampleBundle()));
    assert.ok(total(dir) > 0);
  });
}

test('nested: the index names the bundle root it chose, and the nodes are the five machines', () => {
  const out = json<IndexJson & { layout?: { base: string; description: string } }>(['index', opened.get('nested')!]);
  const nodes = out.nodes.filter((n) => n.kind === 'node').map((n) => n.name);
  assert.deepEqual(nodes, ['172_20_131_241', '172_20_131_242', '172_20_131_243', '172_20_131_245', '172_20_131_247']);
  const human = runCli(['index', opened.get('nested')!]);
  assert.match(human.stdout, /bundle root: downloads\/cluster-logs-2023031400-2023031606-4a0d8348\/ \(5 node folders named by address\)/);
});

test('hostnames: node folders named by host are nodes, tied to their addresses by what the logs announce', () => {
  const out = json<IndexJson>(['index', opened.get('hostnames')!]);
  const nodes = out.nodes.filter((n) => n.kind === 'node');
  assert.deepEqual(
    nodes.map((n) => n.name),
    ['node-241', 'node-242', 'node-243', 'node-245', 'node-247'],
  );
  for (const n of nodes) assert.ok(n.myids.length === 1 || n.myids.length === 0, `${n.name}: ${n.myids.join(',')}`);
  assert.ok(
    out.nodes.some((n) => n.name === 'test-logs' && n.kind === 'source'),
    'test-logs stays a source',
  );
});

test('flat: all machines in one folder is said loudly in overlaps and leaders, never a quiet "No overlaps"', () => {
  const dir = opened.get('flat')!;
  const overlaps = json<OverlapsJson>(['overlaps', dir]);
  assert.equal(overlaps.warnings.length, 1, JSON.stringify(overlaps.warnings));
  assert.match(overlaps.warnings[0], /announce 5 ZooKeeper myids \(1, 2, 3, 4, 5\).*overlaps between them are NOT found/);
  assert.deepEqual(json<LeadersJson>(['leaders', dir]).warnings, overlaps.warnings);
  const human = runCli(['overlaps', dir]);
  assert.match(human.stdout, /^WARNING: node flat: its files announce 5 ZooKeeper myids/);
});

test('two bundles side by side are two bundles: each has its own overlaps, none between them', () => {
  const overlaps = json<OverlapsJson>(['overlaps', opened.get('sideBySide')!]);
  assert.equal(overlaps.overlaps.length, 2 * plain.overlaps.overlaps.length);
  assert.deepEqual(overlaps.warnings, []);
  for (const o of overlaps.overlaps) {
    assert.match(o.bundle ?? '', /cluster-[ab]$/, 'each overlap names its bundle');
    assert.deepEqual(
      o.intervals.map((iv) => iv.bundle),
      [o.bundle, o.bundle],
      'an overlap stays within one bundle',
    );
  }
  assert.equal(overlaps.overlaps.filter((o) => o.bundle?.endsWith('cluster-a')).length, plain.overlaps.overlaps.length);
  assert.deepEqual(overlaps.examined, { intervals: 2 * plain.overlaps.examined.intervals, nodes: 2 * plain.overlaps.examined.nodes });
});
