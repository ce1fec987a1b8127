import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, test } from 'node:test';
import { leaderIntervals } from '../../src/core/leaderIntervals';
import type { BundleIndex, LogEvent } from '../../src/core/model';
import { findOverlaps } from '../../src/core/overlaps';
import { formatIso } from '../../src/core/time';
import { indexBundle } from '../../src/indexer/bundleIndexer';
import { sampleBundle, snapshot } from '../helpers';

// Expected answers for test/fixtures/sampleBundle.ts, written by hand from its scenario.
let bundle: BundleIndex;
let before0: string[];
before(async () => {
  before0 = snapshot(sampleBundle());
  bundle = await indexBundle(sampleBundle());
});

const META = 'zbs_logs/zbs-metad/zbs-metad.log.';
const row = (iv: { node: string; start: number; end: number; endReason: string }) =>
  `${iv.node} ${formatIso(iv.start)} ${formatIso(iv.end)} ${iv.endReason}`;

test('meta leader intervals: every term, with rotation, restarts, New Year and the log end', () => {
  assert.deepEqual(leaderIntervals(bundle, 'meta').map(row), [
    '172_20_131_245 2022-12-31T23:59:58.500000 2023-01-01T00:00:03.250000 meta.stoppingServices',
    '172_20_131_247 2023-01-01T00:00:01.000000 2023-01-01T00:00:02.000000 meta.stoppingServices',
    '172_20_131_241 2023-03-14T03:21:19.759223 2023-03-14T03:21:44.554621 meta.stoppingServices',
    '172_20_131_247 2023-03-14T04:18:03.268462 2023-03-14T04:23:53.477730 processExit',
    '172_20_131_241 2023-03-14T05:12:22.456939 2023-03-14T05:12:27.271276 meta.stoppingServices',
    '172_20_131_243 2023-03-14T05:12:24.461460 2023-03-14T05:12:28.821879 meta.stoppingServices',
    '172_20_131_242 2023-03-14T09:00:00.000000 2023-03-14T10:00:00.000000 meta.stoppingServices',
    '172_20_131_245 2023-03-14T10:00:00.000000 2023-03-14T10:05:00.000000 meta.stoppingServices',
    '172_20_131_242 2023-03-14T10:15:34.009204 2023-03-14T10:41:43.030067 meta.stoppingServices',
    '172_20_131_241 2023-03-14T10:20:00.000000 2023-03-14T10:21:00.000000 meta.stoppingServices',
    '172_20_131_241 2023-03-14T10:41:37.603965 2023-03-14T10:42:32.124393 meta.stoppingServices',
    '172_20_131_243 2023-03-14T11:38:25.395567 2023-03-14T16:32:00.248266 meta.stoppingServices',
    '172_20_131_243 2023-03-14T21:00:00.000000 2023-03-14T23:58:24.065742 processExit',
    '172_20_131_247 2023-03-14T23:58:26.634830 2023-03-15T00:17:42.196141 logEnd',
    '172_20_131_243 2023-03-14T23:58:27.605160 2023-03-15T00:44:05.055167 meta.stoppingServices',
  ]);
});

test('an interval spanning a rotation starts in one file and ends in the next one of the same pid', () => {
  const iv = leaderIntervals(bundle, 'meta').find((i) => i.node === '172_20_131_243' && formatIso(i.start).startsWith('2023-03-14T11:38'));
  assert.equal(iv?.startSource.file, `172_20_131_243/${META}20230314-111700.38748`);
  assert.equal(iv?.endSource.file, `172_20_131_243/${META}20230314-153257.38748`);
});

test('source lines point at the very lines that hold the messages', () => {
  for (const iv of leaderIntervals(bundle, 'meta')) {
    const lines = fs.readFileSync(path.join(sampleBundle(), iv.startSource.file), 'utf8').split('\n');
    assert.match(lines[iv.startSource.line - 1], /Start the leader role$/, `${iv.startSource.file}:${iv.startSource.line}`);
    if (iv.endReason === 'meta.stoppingServices') {
      const end = fs.readFileSync(path.join(sampleBundle(), iv.endSource.file), 'utf8').split('\n');
      assert.match(end[iv.endSource.line - 1], /Stopping the services of meta/);
    }
  }
});

test('meta overlaps: crossing New Year, case #1 of seed 000, nested, partial, and across midnight; touching is not one', () => {
  const got = findOverlaps(leaderIntervals(bundle, 'meta')).map(
    (o) => `${o.nodes.join(' ∩ ')} ${formatIso(o.start)} ${formatIso(o.end)} ${(o.end - o.start) / 1e6}`,
  );
  assert.deepEqual(got, [
    '172_20_131_245 ∩ 172_20_131_247 2023-01-01T00:00:01.000000 2023-01-01T00:00:02.000000 1',
    '172_20_131_241 ∩ 172_20_131_243 2023-03-14T05:12:24.461460 2023-03-14T05:12:27.271276 2.809816',
    '172_20_131_241 ∩ 172_20_131_242 2023-03-14T10:20:00.000000 2023-03-14T10:21:00.000000 60',
    '172_20_131_241 ∩ 172_20_131_242 2023-03-14T10:41:37.603965 2023-03-14T10:41:43.030067 5.426102',
    '172_20_131_243 ∩ 172_20_131_247 2023-03-14T23:58:27.605160 2023-03-15T00:17:42.196141 1154.590981',
  ]);
});

test('ZooKeeper leader intervals carry their epoch, and the stale leader overlaps the new one', () => {
  const zk = leaderIntervals(bundle, 'zk');
  assert.deepEqual(
    zk.map((iv) => `${row(iv)} ${String(iv.epoch)}`),
    [
      '172_20_131_247 2023-03-14T00:50:00.000000 2023-03-14T01:09:59.000000 zk.LOOKING 15',
      '172_20_131_242 2023-03-14T01:10:00.000000 2023-03-14T01:35:52.000000 zk.peerStateOther 16',
      '172_20_131_241 2023-03-14T01:35:50.500000 2023-03-14T02:00:00.000000 logEnd 17',
    ],
  );
  assert.deepEqual(
    findOverlaps(zk).map((o) => `${o.nodes.join(' ∩ ')} ${formatIso(o.start)} ${formatIso(o.end)}`),
    ['172_20_131_241 ∩ 172_20_131_242 2023-03-14T01:35:50.500000 2023-03-14T01:35:52.000000'],
  );
});

test('NameNode active intervals from ZKFC hand over without overlap', () => {
  const nn = leaderIntervals(bundle, 'namenode');
  assert.deepEqual(nn.map(row), [
    '172_20_131_241 2023-03-14T02:00:00.000000 2023-03-14T03:00:00.000000 namenode.shouldBecomeStandby',
    '172_20_131_242 2023-03-14T03:00:00.000000 2023-03-14T04:00:00.000000 logEnd',
  ]);
  assert.deepEqual(findOverlaps(nn), []);
});

test('nodes and aliases: folder addresses, ZooKeeper myids and data addresses from several sources', () => {
  assert.deepEqual(
    bundle.nodes.map((n) => `${n.name} ${n.kind} ${n.addresses.join(',')} ${n.myids.join(',')}`),
    [
      '172_20_131_241 node 10.0.131.241,172.20.131.241 1',
      '172_20_131_242 node 10.0.131.242,172.20.131.242 2',
      '172_20_131_243 node 10.0.131.243,172.20.131.243 3',
      '172_20_131_245 node 10.0.131.245,172.20.131.245 4',
      '172_20_131_247 node 10.0.131.247,172.20.131.247 5',
      'test-logs source  ',
    ],
  );
});

test('process runs: one per glog pid (rotations joined), ZooKeeper split at its restart banner', () => {
  const runs = (node: string, program: string) => bundle.processes.filter((p) => p.node === node && p.program === program);
  const metad243 = runs('172_20_131_243', 'zbs-metad');
  assert.deepEqual(
    metad243.map((r) => `${String(r.pid)}:${r.files.length}`),
    ['31424:1', '38748:3', '220436:1'],
  );
  const zk243 = runs('172_20_131_243', 'zookeeper');
  assert.deepEqual(
    zk243.map((r) => `${formatIso(r.start ?? 0)}→${formatIso(r.end ?? 0)}`),
    ['2023-03-14T01:00:00.000000→2023-03-14T01:39:59.990000', '2023-03-14T01:40:00.000000→2023-03-14T02:00:00.000000'],
  );
  assert.equal(runs('172_20_131_241', 'zookeeper').length, 1, 'zookeeper.log.1 and zookeeper.log are one run');
});

const events = (kind: LogEvent['kind']) => bundle.files.flatMap((f) => f.events.filter((e) => e.kind === kind).map((e) => ({ e, f })));

test('session lifecycle of 0x1000adfaccc0001 across nodes', () => {
  const got = events('session').map(
    ({ e, f }) =>
      e.kind === 'session' && `${f.node} ${formatIso(e.time)} ${e.action} ${e.sessionId}${e.timeoutMs ? ` ${e.timeoutMs}ms` : ''}`,
  );
  assert.deepEqual(got.sort(), [
    '172_20_131_241 2023-03-14T01:20:00.000000 committed 0x1000adfaccc0001',
    '172_20_131_242 2023-03-14T01:35:51.703000 expired 0x1000adfaccc0001 4000ms',
    '172_20_131_242 2023-03-14T01:35:51.704000 closeSubmitted 0x1000adfaccc0001',
    '172_20_131_242 2023-03-14T01:35:53.968000 invalid 0x1000adfaccc0001',
    '172_20_131_245 2023-03-14T01:35:55.330000 revalidated 0x1000adfaccc0001',
  ]);
  assert.deepEqual(
    events('metaSession')
      .map(({ e, f }) => e.kind === 'metaSession' && `${f.node} ${e.action}`)
      .sort(),
    [
      '172_20_131_242 expired',
      '172_20_131_242 expiredByDelayedRpc',
      '172_20_131_243 jeopardy',
      '172_20_131_243 keepaliveFailure',
      '172_20_131_243 reconnect',
    ],
  );
});

test('fault injections and restores from the test runner', () => {
  const got = events('fault').map(
    ({ e }) => e.kind === 'fault' && `${formatIso(e.time)} ${e.action} ${e.tool} ${e.target ?? '-'} ${e.host ?? '-'}`,
  );
  assert.deepEqual(got, [
    '2023-03-14T23:58:10.000000 inject iptables 10.0.131.247 172.20.131.247',
    '2023-03-14T23:59:00.000000 restore iptables - -',
    '2023-03-15T01:18:36.588000 inject iptables 10.0.131.242 172.20.131.242',
    '2023-03-15T01:18:36.588000 inject iptables 10.0.131.245 172.20.131.245',
    '2023-03-15T01:24:05.131000 restore iptables - -',
    '2023-03-15T01:24:27.048000 inject iptables 10.0.131.247 172.20.131.247',
    '2023-03-15T01:24:27.048000 inject iptables 10.0.131.243 172.20.131.243',
    '2023-03-15T01:29:53.025000 restore iptables - -',
    '2023-03-15T01:29:57.943000 inject tc 10.0.131.246 172.20.131.246',
  ]);
});

test('error entries are counted per minute (glog E/F only; warnings and filler are not)', () => {
  const errors = (node: string) =>
    bundle.files.filter((f) => f.node === node).flatMap((f) => f.errorsPerMinute.map(([m, n]) => `${formatIso(m)} ${n}`));
  assert.deepEqual(errors('172_20_131_241'), ['2023-03-14T05:12:00.000000 3']);
  assert.deepEqual(errors('172_20_131_242'), ['2023-03-14T09:30:00.000000 1']);
  assert.deepEqual(errors('172_20_131_243'), ['2023-03-14T16:32:00.000000 1']);
});

test('checkpoints map line ↔ byte offset ↔ time truthfully', () => {
  for (const f of bundle.files) {
    if (f.checkpoints.length === 0) continue;
    const buf = fs.readFileSync(path.join(sampleBundle(), f.path));
    for (const [line, offset, time] of f.checkpoints) {
      const before = buf.subarray(0, offset).toString('latin1');
      assert.equal(before.split('\n').length, line, `${f.path}: line of offset ${offset}`);
      const text = buf.subarray(offset, buf.indexOf(0x0a, offset)).toString('utf8');
      const stamp = formatIso(time);
      const short = `${stamp.slice(5, 7)}${stamp.slice(8, 10)} ${stamp.slice(11)}`;
      assert.ok(text.includes(short) || text.includes(stamp.slice(0, 10)), `${f.path}:${line} "${text.slice(0, 40)}" has time ${stamp}`);
    }
  }
});

test('event line numbers and offsets agree with the file', () => {
  for (const f of bundle.files) {
    const buf = fs.readFileSync(path.join(sampleBundle(), f.path));
    for (const e of f.events) {
      if (e.kind === 'processStart' && e.how === 'newPid') continue;
      assert.equal(buf.subarray(0, e.offset).toString('latin1').split('\n').length, e.line);
      assert.equal(buf.subarray(e.offset, buf.indexOf(0x0a, e.offset)).toString('utf8'), e.text);
    }
  }
});

test('glog years come from the header or the file name, and roll over at New Year', () => {
  const f = bundle.files.find((x) => x.path.endsWith('20221231-235500.7000'));
  assert.equal(f?.yearSource, 'fileName');
  assert.equal(formatIso(f?.lastTime ?? 0), '2023-01-01T00:05:00.000000');
  assert.equal(bundle.files.find((x) => x.path.endsWith('20221231-235000.5000'))?.yearSource, 'header');
});

test('indexing wrote nothing into the bundle', () => {
  assert.deepEqual(snapshot(sampleBundle()), before0);
});
