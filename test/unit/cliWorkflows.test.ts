import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { test } from 'node:test';
import type { ContextJson, CountJson, OffsetsJson, OverlapsJson, SessionJson, StatsJson, TraceJson } from '../../src/cli/json';
import { CLI, quietSampleBundle, runCli, sampleBundle } from '../helpers';

/** Runs the CLI with `--json`, expects exit 0 and parses stdout as the command's JSON shape `T`. */
const json = <T>(args: string[]): T => {
  const r = runCli([...args, '--json']);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as T;
};

test('trace --json: hits in time order with node, file, line, time and text', () => {
  const out = json<TraceJson>(['trace', quietSampleBundle(), 'pid: 65380']);
  assert.deepEqual(Object.keys(out).sort(), [
    'bytesSearched',
    'filesSearched',
    'hits',
    'limit',
    'query',
    'regex',
    'truncated',
    'unreadable',
  ]);
  assert.equal(out.filesSearched, 33);
  assert.deepEqual(
    out.hits.map((h) => `${h.node} ${String(h.time)}`),
    [
      '172_20_131_241 2023-03-14T04:02:20.291517',
      '172_20_131_247 2023-03-14T05:29:53.919777',
      '172_20_131_242 2023-03-14T10:29:53.924180',
      '172_20_131_243 2023-03-14T11:53:55.297724',
    ],
  );
  assert.deepEqual(Object.keys(out.hits[0]).sort(), ['file', 'line', 'node', 'text', 'time']);
  assert.match(out.hits[0].file, /^172_20_131_241\/zbs_logs\/zbs-metad\/zbs-metad\.log\.20230314-031904\.42461$/);
  // --offset moves a node's clock (milliseconds) before ordering; --tz prints the zone.
  const shifted = json<TraceJson>([
    'trace',
    quietSampleBundle(),
    'pid: 65380',
    '--offset',
    '172_20_131_242=-25200000',
    '--tz',
    'Asia/Shanghai',
  ]);
  assert.deepEqual(
    shifted.hits.map((h) => h.node),
    ['172_20_131_242', '172_20_131_241', '172_20_131_247', '172_20_131_243'],
  );
  assert.equal(shifted.hits[0].time, '2023-03-14T03:29:53.924180+08:00');
});

test('trace --max cuts at a time and --from reads on: the pages add up to the whole trace, nothing twice', () => {
  const whole = json<TraceJson>(['trace', sampleBundle(), 'leader']);
  assert.equal(whole.truncated, false);
  assert.ok(whole.hits.length > 12, `${whole.hits.length} hits to page through`);
  const key = (h: TraceJson['hits'][number]) => `${h.file}:${h.line}`;
  const seen: string[] = [];
  let from: string | undefined;
  for (let page = 0; page < 100; page++) {
    const out = json<TraceJson>(['trace', sampleBundle(), 'leader', '--max', '5', ...(from ? ['--from', from] : [])]);
    assert.equal(out.limit, 5);
    assert.ok(out.hits.length <= 5);
    // Every line of a cut page lies before `next`: the next page starts there.
    if (out.next) for (const h of out.hits) assert.ok(String(h.time) < out.next, `${String(h.time)} before ${out.next}`);
    seen.push(...out.hits.map(key));
    if (!out.truncated) break;
    assert.ok(out.next && out.next !== from, 'a cut page says where the next begins, and moves on');
    from = out.next;
  }
  // Lines without a time come only on a page without --from (they sort last): the sample has none.
  assert.deepEqual(seen, whole.hits.map(key));
  const human = runCli(['trace', sampleBundle(), 'leader', '--max', '5']);
  assert.match(human.stdout, /Cut at 5 lines: these are every matching line before .*\nRead on with: --from \d{4}-/);
  assert.equal(runCli(['trace', sampleBundle(), 'Exception', '--from', 'yesterday']).code, 2);
});

test("context --json: the moment, the window and every node's lines in it", () => {
  const out = json<ContextJson>(['context', quietSampleBundle(), '2023-03-14 01:35:51', '--window', '1s']);
  assert.equal(out.center, '2023-03-14T01:35:51.000000');
  assert.equal(out.windowSeconds, 1);
  assert.equal(out.lines.length, 10);
  assert.deepEqual([...new Set(out.lines.map((l) => l.node))], ['172_20_131_241', '172_20_131_243', '172_20_131_242']);
  const times = out.lines.map((l) => l.time);
  assert.deepEqual(times, [...times].sort());
});

test('count --json: per node and hour', () => {
  const out = json<CountJson>(['count', quietSampleBundle(), 'Exception when following the leader', '--by', 'hour']);
  assert.deepEqual(out.buckets, ['2023-03-14 00:00', '2023-03-14 01:00']);
  assert.deepEqual(out.nodes, [
    { node: '172_20_131_243', total: 2, counts: [0, 2] },
    { node: '172_20_131_245', total: 1, counts: [0, 1] },
    { node: '172_20_131_247', total: 1, counts: [1, 0] },
  ]);
  assert.equal(json<CountJson>(['count', quietSampleBundle(), 'Exception when following the leader']).by, 'day');
});

test('stats --json: the captured number summarized per node and overall', () => {
  const out = json<StatsJson>(['stats', quietSampleBundle(), 'GC pause .*, ([0-9.]+) secs']);
  assert.deepEqual(
    out.nodes.map((n) => `${n.node} ${n.count} ${n.max}`),
    ['172_20_131_241 3 0.4796178', '172_20_131_243 2 0.21'],
  );
  assert.deepEqual(Object.keys(out.all!).sort(), ['count', 'max', 'mean', 'median', 'min', 'p99', 'sum']);
  const r = runCli(['stats', quietSampleBundle(), 'GC pause']);
  assert.equal(r.code, 2, 'a regex without a capture group is a usage error');
  assert.match(r.stderr, /capture group/);
});

test('offsets --json and the overlap uncertainty they imply', () => {
  const out = json<OffsetsJson>(['offsets', quietSampleBundle()]);
  assert.deepEqual(
    out.nodes.map((n) => `${n.node} ${n.maxAbs}`),
    ['172_20_131_241 1.402', '172_20_131_242 0.021', '172_20_131_243 1.434', '172_20_131_245 0.11', '172_20_131_247 0.0575'],
  );
  const overlaps = json<OverlapsJson>(['overlaps', quietSampleBundle(), '--role', 'meta']).overlaps;
  assert.deepEqual(
    overlaps.map((o) => `${o.nodes.join('∩')} ${String(o.clockUncertaintyMs)} ${String(o.uncertain)}`),
    [
      '172_20_131_245∩172_20_131_247 167.5 false',
      '172_20_131_241∩172_20_131_243 2836 true',
      '172_20_131_241∩172_20_131_242 1423 false',
      '172_20_131_241∩172_20_131_242 1423 false',
      '172_20_131_243∩172_20_131_247 1491.5 false',
    ],
  );
  assert.match(
    runCli(['overlaps', quietSampleBundle(), '--role', 'meta']).stdout,
    /2\.809816 s .*clocks may differ by up to 2836 ms: UNCERTAIN/,
  );
});

test('session --json: creator and lifecycle of a ZooKeeper session; a meta uuid; every meta session event', () => {
  const zk = json<SessionJson>(['session', quietSampleBundle(), '0x1000adfaccc0001']);
  assert.deepEqual(zk.createdBy, { myid: 1, node: '172_20_131_241' });
  assert.deepEqual(
    zk.events.map((e) => e.what),
    [
      'committed (global session)',
      'expired by the leader (timeout 4000 ms)',
      'closeSession submitted',
      '"Invalid session … probably expired"',
      'revalidated (client moved here)',
    ],
  );
  assert.deepEqual(Object.keys(zk.events[0]).sort(), ['file', 'line', 'node', 'text', 'time', 'what']);
  const meta = json<SessionJson>(['session', quietSampleBundle(), 'a1ee10af-a8b6-4d50-b11d-eb09642685ac']);
  assert.deepEqual([meta.kind, meta.createdBy, meta.events.length], ['meta', null, 2]);
  assert.equal(json<SessionJson>(['session', quietSampleBundle(), 'meta']).events.length, 5);
});

/** The scheduler state of a process's main thread (`S` asleep, `R` running, …), or undefined when it is gone. */
function processState(pid: number | undefined): string | undefined {
  if (pid === undefined) return undefined;
  if (process.platform === 'linux') {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    } catch {
      return undefined;
    }
  }
  const r = spawnSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim().slice(0, 1) : undefined;
}

test('a long JSON answer (over 1 MB) reaches a slow reader whole', async () => {
  // A reader that reads nothing until the CLI has written into the pipe (the paused stream holds data) and then
  // either exited or gone to sleep in its event loop (so it is past the tick that wrote, where an early exit
  // would be): the CLI must not exit with its output still queued.
  const child = spawn(process.execPath, [CLI, 'trace', sampleBundle(), '^[IWE]0314 ', '--regex', '--json', '--no-cache']);
  child.stdout.pause();
  const chunks: Buffer[] = [];
  child.stdout.on('data', (c: Buffer) => chunks.push(c));
  let gone = false;
  child.on('exit', () => {
    gone = true;
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  const deadline = Date.now() + 60_000;
  for (let idlePolls = 0; !gone && idlePolls < 2;) {
    if (Date.now() >= deadline) {
      child.kill();
      assert.fail('the CLI neither wrote its answer and waited nor exited within 60 s');
    }
    await new Promise((r) => setTimeout(r, 20));
    idlePolls = child.stdout.readableLength > 0 && processState(child.pid) === 'S' ? idlePolls + 1 : 0;
  }
  child.stdout.resume();
  assert.equal(await exited, 0);
  const text = Buffer.concat(chunks).toString('utf8');
  assert.ok(text.length > 1 << 20, `${text.length} bytes`);
  assert.ok((JSON.parse(text) as TraceJson).hits.length > 5000);
});
