import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, test } from 'node:test';
import { BUILTIN_ROLE_RULES } from '../../src/core/rules/roleRules';
import { formatIso } from '../../src/core/time';
import * as service from '../../src/service';
import { quietSampleBundle, runCli, tempDir } from '../helpers';

// The use cases the CLI and the language server share. One bundle answers as the CLI does; two bundles
// (the same logs copied into two folders) must answer every question over both, twice over.
let one: service.ServiceContext;
let two: service.ServiceContext;
before(async () => {
  const rules = [...BUILTIN_ROLE_RULES];
  const base = { rules, clockOffsetsMs: {}, label: formatIso };
  const copies = tempDir('ql-multi-');
  for (const name of ['cluster-a', 'cluster-b']) fs.cpSync(quietSampleBundle(), path.join(copies, name), { recursive: true });
  const open = (dir: string) => service.openBundle(dir, { roleRules: rules, cacheDir: false });
  one = { ...base, bundles: [await open(path.join(copies, 'cluster-a'))] };
  two = { ...base, bundles: [one.bundles[0], await open(path.join(copies, 'cluster-b'))] };
});

test('every search covers every bundle: trace, count, stats and session answer twice over for two copies', async () => {
  const trace1 = await service.trace(one, { text: 'pid: 65380' });
  const trace2 = await service.trace(two, { text: 'pid: 65380' });
  assert.ok(trace1.lines.length > 0);
  assert.equal(trace2.lines.length, 2 * trace1.lines.length);
  assert.deepEqual(new Set(trace2.lines.map((l) => l.location.uri.split('/').at(-5))).size, 2, 'lines from both bundles');
  const times = trace2.lines.map((l) => l.time ?? Infinity);
  assert.deepEqual(
    times,
    [...times].sort((a, b) => a - b),
    'one time order across bundles',
  );

  const count1 = await service.count(one, { pattern: 'Exception when following the leader', by: 'hour' });
  const count2 = await service.count(two, { pattern: 'Exception when following the leader', by: 'hour' });
  assert.deepEqual(count2.buckets, count1.buckets);
  assert.equal(count2.nodes.length, 2 * count1.nodes.length);
  assert.deepEqual(
    count2.nodes.map((n) => n.label),
    [...count1.nodes.map((n) => `cluster-a:${n.label}`), ...count1.nodes.map((n) => `cluster-b:${n.label}`)],
    'nodes of the same name in two bundles stay apart',
  );

  const stats1 = await service.stats(one, { regex: 'GC pause .*, ([0-9.]+) secs' });
  const stats2 = await service.stats(two, { regex: 'GC pause .*, ([0-9.]+) secs' });
  assert.ok(stats1.all && stats2.all);
  assert.equal(stats2.all.count, 2 * stats1.all.count);
  assert.equal(stats2.all.median, stats1.all.median);

  const session1 = service.sessionLifecycle(one, { id: '0x1000adfaccc0001' });
  const session2 = service.sessionLifecycle(two, { id: '0x1000adfaccc0001' });
  assert.ok(session1.events.length > 0);
  assert.equal(session2.events.length, 2 * session1.events.length);
  assert.equal(session2.createdBy?.myid, session1.createdBy?.myid);
});

test('leaders, overlaps, summaries, offsets and timelines cover every bundle too', () => {
  const o1 = service.overlaps(one, { role: 'all' });
  const o2 = service.overlaps(two, { role: 'all' });
  assert.ok(o1.overlaps.length > 0);
  assert.equal(o2.overlaps.length, 2 * o1.overlaps.length);
  assert.deepEqual(o2.examined, { intervals: 2 * o1.examined.intervals, nodes: 2 * o1.examined.nodes });
  assert.equal(service.leaders(two, { role: 'meta' }).intervals.length, 2 * service.leaders(one, { role: 'meta' }).intervals.length);
  assert.equal(service.summaries(two).length, 2);
  assert.equal(service.timelines(two, '').length, 2);
  assert.equal(service.clockOffsets(two).nodes.length, 2 * service.clockOffsets(one).nodes.length);
  assert.equal(service.indexCounts(two).files, 2 * service.indexCounts(one).files);
});

test('input is judged once, the same way for every caller', () => {
  assert.throws(() => service.resolveRoles(one, 'nosuch'), service.InputError);
  assert.deepEqual(service.resolveRoles(one, 'all'), ['meta', 'zk', 'namenode']);
  assert.deepEqual(service.resolveRoles(one, undefined), ['meta']);
  assert.match(service.statsRegexProblem('(') ?? '', /bad REGEX/);
  assert.match(service.statsRegexProblem('GC pause') ?? '', /capture group/);
  assert.equal(service.statsRegexProblem('GC pause ([0-9.]+)'), undefined);
  assert.equal(service.statsRegexProblem('(?:x)(\\d+)'), undefined);
});

test('decode reads a value once: rc=-7 is a retcode in the answer and in its words; session_id= is a session', () => {
  const rc = service.decode(one, { value: 'rc=-7' });
  assert.equal(rc.decoded?.retcode?.code, -7);
  assert.match(rc.markdown, /retcode -7/);
  assert.doesNotMatch(rc.markdown, /not a zxid/);
  const session = service.decode(one, { value: 'session_id=0x1000adfaccc0001' });
  assert.equal(session.decoded?.sessionId?.myid, 1);
  assert.match(session.markdown, /ZooKeeper session 0x1000adfaccc0001/);
  const zxid = service.decode(one, { value: '0x100000175e' });
  assert.equal(zxid.decoded?.zxid?.epoch, 16);
  assert.match(service.decode(one, { value: 'hello' }).markdown, /is not a zxid, session id, retcode or errno/);
});

test('the CLI prints what the service answers', async () => {
  const r = runCli(['trace', one.bundles[0].root, 'pid: 65380', '--json', '--no-cache']);
  assert.equal(r.code, 0, r.stderr);
  const cli = (JSON.parse(r.stdout) as { hits: { node: string; file: string; line: number; time: string; text: string }[] }).hits;
  const direct = await service.trace(one, { text: 'pid: 65380' });
  assert.deepEqual(
    cli,
    direct.lines.map((l) => ({ node: l.node, file: l.location.file, line: l.location.line, time: l.timeLabel, text: l.text })),
  );
  assert.equal(direct.lines.length <= service.TRACE_DEFAULT_MAX, true);
});
