import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import * as zlib from 'node:zlib';
import { BUILTIN_ROLE_RULES } from '../../src/core/rules/roleRules';
import { formatIso } from '../../src/core/time';
import * as service from '../../src/service';
import type { ContextJson } from '../../src/cli/json';
import { CLI, tempDir } from '../helpers';
import { hostileCli } from '../measuredCli';

// The cluster-context reader against broken and hostile files: rotated .gz logs, a clock that steps back,
// a 200 MB line, a 20 GB hole of NUL bytes, and more lines in the window than one answer holds. Each
// answers within a deadline and bounded memory, and says what it did not read.

const DEADLINE_MS = 60_000;
const RSS_BOUND_KB = 400 * 1024;

/** A ZooKeeper 3.4 line at `hh:mm:ss` (optionally `,mmm`) on 2023-03-14. */
function zk(clock: string, message: string, ms = '000'): string {
  return `2023-03-14 ${clock},${ms} [myid:1] - INFO  [QuorumPeer[myid=1]/0.0.0.0:2181:QuorumPeer@751] - ${message}`;
}

/** `hh:mm:ss` of `seconds` after midnight. */
function hms(seconds: number): string {
  return [Math.floor(seconds / 3600), Math.floor(seconds / 60) % 60, seconds % 60].map((n) => String(n).padStart(2, '0')).join(':');
}

/** One line a second from `from` to `to` (seconds after midnight), padded so checkpoints fall in between. */
function everySecond(from: number, to: number, tag: string): string[] {
  const out: string[] = [];
  for (let s = from; s <= to; s++) out.push(zk(hms(s), `${tag} tick ${s} ${'.'.repeat(100)}`));
  return out;
}

/** A bundle folder with one ZooKeeper folder per node; returns the bundle root and a node's log folder. */
function bundleDir(): { root: string; zkDir: (node: string) => string } {
  const root = path.join(tempDir('ql-ctx-'), 'bundle');
  return {
    root,
    zkDir: (node) => {
      const dir = path.join(root, node, 'zookeeper');
      fs.mkdirSync(dir, { recursive: true });
      return dir;
    },
  };
}

/** Runs the CLI with a fresh cache and a deadline, measured (peak RSS, time) and held to the bundle (see hostileCli). */
const cli = (args: string[]) => hostileCli(args, { bundle: args[1], timeoutMs: DEADLINE_MS * 2 });

/** The editor's path to the same answer: the service's cluster context at 01:30:00, as the views get it. */
async function serviceContextAt0130(root: string, windowSeconds: number) {
  const rules = [...BUILTIN_ROLE_RULES];
  const bundles = [await service.openBundle(root, { roleRules: rules, cacheDir: false })];
  const ctx: service.ServiceContext = { rules, clockOffsetsMs: {}, label: formatIso, bundles };
  return service.clusterContext(ctx, { time: Date.UTC(2023, 2, 14, 1, 30) * 1000, windowSeconds });
}

function contextJson(root: string, time: string, window: string): { out: ContextJson; ms: number; rssKb: number } {
  const r = cli(['context', root, time, '--window', window, '--json', '--no-cache']);
  assert.equal(r.status, 0, `exit ${String(r.status)} after ${r.ms} ms: ${r.stderr.slice(0, 2000)}`);
  return { out: JSON.parse(r.stdout) as ContextJson, ms: r.ms, rssKb: r.rssKb };
}

const messages = (out: ContextJson) =>
  out.lines.map((l) =>
    l.text
      .replace(/^.*\] - /, '')
      .replace(/ \.+$/, '')
      .slice(0, 60),
  );

test('a rotated zookeeper.log.1.gz holding the moment is read: its lines are in the answer', () => {
  const { root, zkDir } = bundleDir();
  const dir = zkDir('10_0_0_1');
  fs.writeFileSync(path.join(dir, 'zookeeper.log.1.gz'), zlib.gzipSync(`${everySecond(3600, 5400, 'rotated').join('\n')}\n`));
  fs.writeFileSync(path.join(dir, 'zookeeper.log'), `${everySecond(5401, 7200, 'current').join('\n')}\n`);
  const { out } = contextJson(root, '2023-03-14 01:15:00', '2s');
  assert.deepEqual(
    messages(out),
    [4498, 4499, 4500, 4501, 4502].map((s) => `rotated tick ${s}`),
  );
  assert.ok(out.lines.every((l) => l.file.endsWith('zookeeper.log.1.gz')));
  assert.equal(out.lines[0].line, 4498 - 3600 + 1, 'line numbers count from the top of the decompressed file');
  // Across the rotation: the last seconds of the .gz and the first of the current file, in time order.
  const across = contextJson(root, '2023-03-14 01:30:00', '2s').out;
  assert.deepEqual(messages(across), [
    'rotated tick 5398',
    'rotated tick 5399',
    'rotated tick 5400',
    'current tick 5401',
    'current tick 5402',
  ]);
});

test('a clock stepping back an hour: the moment is found in both stretches of the file, and in a file whose last line is before it', () => {
  const { root, zkDir } = bundleDir();
  // 01:00 → 02:00, then the clock steps back to 01:00 and runs to 02:00 again.
  fs.writeFileSync(
    path.join(zkDir('10_0_0_1'), 'zookeeper.log'),
    `${[...everySecond(3600, 7200, 'before the step'), ...everySecond(3600, 7200, 'after the step')].join('\n')}\n`,
  );
  // 02:00 → 03:00, then back to 01:00 → 01:45: its first line is after the moment, its last line before the window.
  fs.writeFileSync(
    path.join(zkDir('10_0_0_2'), 'zookeeper.log'),
    `${[...everySecond(7200, 10800, 'late'), ...everySecond(3600, 6300, 'stepped back')].join('\n')}\n`,
  );
  const { out } = contextJson(root, '2023-03-14 01:30:00', '1s');
  const got = messages(out).sort();
  assert.deepEqual(got, [
    'after the step tick 5399',
    'after the step tick 5400',
    'after the step tick 5401',
    'before the step tick 5399',
    'before the step tick 5400',
    'before the step tick 5401',
    'stepped back tick 5399',
    'stepped back tick 5400',
    'stepped back tick 5401',
  ]);
  const second = out.lines.find((l) => l.text.includes('after the step tick 5400'));
  assert.equal(second?.line, 3601 + 5400 - 3600 + 1, 'the second stretch has its own line numbers');
});

/** Writes `bytes` of `fill` to a stream in 1 MiB pieces, never holding it whole. */
function writeRun(fd: number, bytes: number, fill: string): void {
  const piece = Buffer.alloc(1 << 20, fill);
  for (let left = bytes; left > 0; left -= piece.length) fs.writeSync(fd, piece, 0, Math.min(piece.length, left));
}

test('a 200 MB single line near the moment: answered within the deadline and bounded memory, with the lines around it', (t) => {
  const { root, zkDir } = bundleDir();
  const file = path.join(zkDir('10_0_0_1'), 'zookeeper.log');
  const fd = fs.openSync(file, 'w');
  fs.writeSync(fd, `${everySecond(3600, 5400, 'before').join('\n')}\n`);
  fs.writeSync(fd, zk('01:30:00', 'HUGE ', '500'));
  writeRun(fd, 200 << 20, 'x');
  fs.writeSync(fd, `\n${everySecond(5401, 7200, 'after').join('\n')}\n`);
  fs.closeSync(fd);
  const { out, ms, rssKb } = contextJson(root, '2023-03-14 01:30:00', '2s');
  t.diagnostic(`200 MB line: ${ms} ms, peak RSS ${Math.round(rssKb / 1024)} MB`);
  assert.ok(ms < DEADLINE_MS, `${ms} ms`);
  assert.ok(rssKb < RSS_BOUND_KB, `peak RSS ${rssKb} KB`);
  assert.deepEqual(messages(out), [
    'before tick 5398',
    'before tick 5399',
    'before tick 5400',
    `HUGE ${'x'.repeat(55)}`,
    'after tick 5401',
    'after tick 5402',
  ]);
  const huge = out.lines[3];
  assert.ok(huge.text.length <= 64 * 1024, `the huge line is kept cut (${huge.text.length} characters)`);
  assert.equal(huge.line, 5400 - 3600 + 2);
  assert.equal(out.lines[4].line, huge.line + 1, 'the huge line counts as one line');
});

test('a sparse 20 GB hole of NUL bytes right after the moment: answered within the deadline, the file noted', (t) => {
  const { root, zkDir } = bundleDir();
  const file = path.join(zkDir('10_0_0_1'), 'zookeeper.log');
  // The node wrote until 01:31:00, its log was preallocated, and it came back at 03:00.
  fs.writeFileSync(file, `${everySecond(5340, 5460, 'before the hole').join('\n')}\n`);
  fs.truncateSync(file, 20 * 1024 ** 3); // sparse: costs no disk
  fs.appendFileSync(file, `\n${everySecond(10800, 12600, 'after the hole').join('\n')}\n`);
  fs.writeFileSync(path.join(zkDir('10_0_0_2'), 'zookeeper.log'), `${everySecond(5340, 5520, 'other node').join('\n')}\n`);
  // Index once (reading 20 GB is the indexer's cost, not the context reader's), then time the answers.
  const tmp = tempDir('ql-ctx-hole-');
  const env = { ...process.env, XDG_CACHE_HOME: tmp };
  const indexed = spawnSync(process.execPath, [CLI, 'index', root, '--json'], { encoding: 'utf8', env, timeout: 600_000 });
  assert.equal(indexed.status, 0, indexed.stderr);
  const context = (time: string) => {
    const r = hostileCli(['context', root, time, '--window', '1s', '--json'], { bundle: root, cacheHome: tmp, timeoutMs: DEADLINE_MS });
    const { ms, rssKb } = r;
    assert.equal(r.status, 0, `exit ${String(r.status)} / ${String(r.signal)} after ${ms} ms`);
    assert.ok(rssKb < RSS_BOUND_KB, `peak RSS ${rssKb} KB`);
    return { out: JSON.parse(r.stdout) as ContextJson, ms, rssKb };
  };
  const { out, ms, rssKb } = context('2023-03-14 01:31:00');
  t.diagnostic(`20 GB NUL hole: ${ms} ms, peak RSS ${Math.round(rssKb / 1024)} MB`);
  assert.deepEqual(messages(out).sort(), [
    'before the hole tick 5459',
    'before the hole tick 5460',
    'other node tick 5459',
    'other node tick 5460',
    'other node tick 5461',
  ]);
  assert.deepEqual(out.unreadable, [], 'the file was read, not given up on');
  const notes = (out as ContextJson & { notes?: { file: string; note: string }[] }).notes;
  const note = notes?.find((n) => n.file === '10_0_0_1/zookeeper/zookeeper.log');
  assert.ok(note, JSON.stringify(notes));
  assert.match(note.note, /without a dated line/);
  // After the hole, the checkpoints lead straight there.
  const after = context('2023-03-14 03:20:00');
  assert.deepEqual(messages(after.out), ['after the hole tick 11999', 'after the hole tick 12000', 'after the hole tick 12001']);
});

test('more lines in the window than one answer holds: the cut file is named in the human output and the service answer', async () => {
  const { root, zkDir } = bundleDir();
  const lines: string[] = [];
  for (let i = 0; i < 6000; i++) lines.push(zk('01:30:00', `burst ${i}`, String(i % 1000).padStart(3, '0')));
  fs.writeFileSync(path.join(zkDir('10_0_0_1'), 'zookeeper.log'), `${lines.join('\n')}\n`);
  fs.writeFileSync(path.join(zkDir('10_0_0_2'), 'zookeeper.log'), `${everySecond(5390, 5410, 'quiet').join('\n')}\n`);
  const human = cli(['context', root, '2023-03-14 01:30:00', '--window', '2s', '--no-cache']);
  assert.equal(human.status, 0, human.stderr);
  const tail = human.stdout.slice(human.stdout.lastIndexOf('burst'));
  assert.match(tail, /10_0_0_1\/zookeeper\/zookeeper\.log/);
  assert.match(tail, /more lines|cut|truncated|limit/i);
  const { out } = contextJson(root, '2023-03-14 01:30:00', '2s');
  assert.deepEqual(out.truncatedFiles, ['10_0_0_1/zookeeper/zookeeper.log']);
  assert.equal(out.lines.filter((l) => l.text.includes('burst')).length, 5000);

  const r = await serviceContextAt0130(root, 2);
  assert.deepEqual(r.truncatedFiles, ['10_0_0_1/zookeeper/zookeeper.log']);
});

test('files left out are named with the reason in the JSON, the human output and the service answer', async () => {
  const { root, zkDir } = bundleDir();
  const dir = zkDir('10_0_0_1');
  fs.writeFileSync(path.join(dir, 'zookeeper.log'), `${everySecond(5390, 5410, 'kept').join('\n')}\n`);
  fs.writeFileSync(path.join(dir, 'undated.log'), 'no time here\nnor here\n');
  const human = cli(['context', root, '2023-03-14 01:30:00', '--window', '1s', '--no-cache']);
  assert.equal(human.status, 0, human.stderr);
  assert.match(human.stdout, /undated\.log/);
  const { out } = contextJson(root, '2023-03-14 01:30:00', '1s');
  const skipped = (out as ContextJson & { skippedFiles?: { file: string; reason: string }[] }).skippedFiles;
  assert.ok(
    skipped?.some((s) => s.file === '10_0_0_1/zookeeper/undated.log' && s.reason.length > 0),
    JSON.stringify(skipped),
  );
  const r = await serviceContextAt0130(root, 1);
  assert.ok(r.skippedFiles.some((s) => s.file.endsWith('undated.log')));
});
