import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DecodeJson, IndexJson, LeadersJson, OverlapsJson } from '../../src/cli/json';
import { spawn } from 'node:child_process';
import { CLI, runCli, sampleBundle, tempDir } from '../helpers';

/** stdout of a `--json` run, parsed as the command's JSON shape `T`. */
const parse = <T>(stdout: string): T => JSON.parse(stdout) as T;

test('overlaps --json follows the CLI contract, sorted by start', () => {
  const r = runCli(['overlaps', sampleBundle(), '--role', 'meta', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const out = parse<OverlapsJson>(r.stdout);
  assert.equal(out.overlaps.length, 5);
  const o = out.overlaps[1];
  assert.deepEqual(
    { role: o.role, nodes: o.nodes, start: o.start, end: o.end, seconds: o.seconds },
    {
      role: 'meta',
      nodes: ['172_20_131_241', '172_20_131_243'],
      start: '2023-03-14T05:12:24.461460',
      end: '2023-03-14T05:12:27.271276',
      seconds: 2.809816,
    },
  );
  assert.deepEqual(Object.keys(o.intervals[0]).sort(), [
    'electionSeq',
    'end',
    'endReason',
    'endSource',
    'node',
    'role',
    'seconds',
    'start',
    'startSource',
  ]);
  assert.deepEqual(o.intervals[0].startSource, {
    file: '172_20_131_241/zbs_logs/zbs-metad/zbs-metad.log.20230314-031904.42461',
    line: o.intervals[0].startSource.line,
  });
  assert.deepEqual(out.examined, { intervals: 15, nodes: 5 });
  const starts = out.overlaps.map((x) => x.start);
  assert.deepEqual(starts, [...starts].sort());
});

test('leaders --json lists intervals with sources and end reasons', () => {
  const r = runCli(['leaders', sampleBundle(), '--role', 'zk', '--json']);
  assert.equal(r.code, 0);
  const out = parse<LeadersJson>(r.stdout);
  assert.deepEqual(
    out.intervals.map((i) => `${i.node}:${String(i.epoch)}`),
    ['172_20_131_247:15', '172_20_131_242:16', '172_20_131_241:17'],
  );
});

test('--tz gives times with the zone offset', () => {
  const r = runCli(['overlaps', sampleBundle(), '--json', '--tz', 'Asia/Shanghai']);
  assert.equal(parse<OverlapsJson>(r.stdout).overlaps[1].start, '2023-03-14T05:12:24.461460+08:00');
});

test('index --json summarises nodes, formats and skipped files', () => {
  const r = runCli(['index', sampleBundle(), '--json']);
  const out = parse<IndexJson>(r.stdout);
  assert.equal(out.nodes.length, 6);
  assert.deepEqual(out.files.byFormat, { glog: 21, zookeeper: 7, log4j: 2, python: 1, plain: 2 });
  assert.deepEqual(out.skipped, []);
  assert.equal(out.timeRange.start!.slice(0, 10), '2022-12-31');
});

test('human output names the overlap and its lines', () => {
  const r = runCli(['overlaps', sampleBundle()]);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /5 overlaps \(15 meta leader intervals on 5 nodes examined\)/);
  assert.match(r.stdout, /172_20_131_241 ∩ 172_20_131_243 {2}2\.809816 s/);
});

test('decode explains a zxid and a session id', () => {
  assert.match(runCli(['decode', '0x100000175e']).stdout, /epoch 16 \(0x10\), counter 5982 \(0x175e\)/);
  const s = runCli(['decode', '0x1000adfaccc0001', '--json']);
  assert.equal(parse<DecodeJson>(s.stdout).sessionId!.myid, 1);
  assert.match(runCli(['decode', '-7']).stdout, /ZOPERATIONTIMEOUT/);
});

test('usage errors exit 2 with one line on stderr', () => {
  for (const args of [
    ['overlaps', '/no/such/bundle'],
    ['overlaps', sampleBundle(), '--role', 'nope'],
    ['decode', 'banana'],
    ['frobnicate', 'x'],
    ['overlaps', sampleBundle(), '--tz', 'Mars/Base'],
  ]) {
    const r = runCli(args);
    assert.equal(r.code, 2, args.join(' '));
    assert.equal(r.stdout, '');
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
});

test('a user rules file adds a role', async () => {
  const fs = await import('node:fs');
  const path = await import('node:path');
  const os = await import('node:os');
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ql-rules-')), 'rules.json');
  fs.writeFileSync(
    file,
    JSON.stringify([
      { role: 'follower', starts: [{ keyword: 'Start the follower role' }], ends: [{ keyword: 'Stopping the services of meta' }] },
    ]),
  );
  const r = runCli(['leaders', sampleBundle(), '--rules', file, '--role', 'follower', '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(parse<LeadersJson>(r.stdout).intervals.length, 2);
});

test('a reader that closes the pipe early (`| head`) ends the CLI quietly, exit 0, no stack trace', async () => {
  const cache = tempDir('ql-cli-epipe-');
  const child = spawn(process.execPath, [CLI, 'trace', sampleBundle(), 'INFO', '--json', '--max', '100000'], {
    env: { ...process.env, XDG_CACHE_HOME: cache },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  let got = 0;
  // Read one piece, well short of the answer, then close the pipe as `head` does.
  child.stdout.once('data', (d: Buffer) => {
    got = d.length;
    child.stdout.destroy();
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.ok(got > 0, 'the answer started');
  assert.equal(code, 0, stderr);
  assert.doesNotMatch(stderr, /EPIPE|at /);
});
