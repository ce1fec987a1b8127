import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import * as zlib from 'node:zlib';
import { FORMATS } from '../../src/core/formats';
import type { BundleIndex, FileIndex } from '../../src/core/model';
import { findProcesses } from '../../src/core/processes';
import { LineMatcher } from '../../src/core/rules/lineMatcher';
import { BUILTIN_ROLE_RULES } from '../../src/core/rules/roleRules';
import { MAX_GAPS, silences, silencesTouching, usualSpacing, type Silence } from '../../src/core/silences';
import { formatHuman, formatIso } from '../../src/core/time';
import { indexBundle, indexBundleCached } from '../../src/indexer/bundleIndexer';
import { scanFile } from '../../src/indexer/fileScanner';
import { scanProblem } from '../../src/indexer/indexCache';
import { REAL_LOGS, tempDir } from '../helpers';

const matcher = new LineMatcher(BUILTIN_ROLE_RULES);
const START = Date.UTC(2023, 2, 14, 1, 0, 0);
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** `2023-03-14 01:00:00,200` for a time in ms since 01:00:00. */
function zkStamp(ms: number): string {
  const d = new Date(START + ms);
  return (
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())},${pad(d.getUTCMilliseconds(), 3)}`
  );
}
const zkLine = (ms: number, msg: string) => `${zkStamp(ms)} [myid:1] - INFO  [SyncThread:0:FileTxnLog@203] - ${msg}`;
const banner = (ms: number) => `${zkStamp(ms)} [myid:1] - INFO  [main:QuorumPeerConfig@136] - Reading configuration from: /conf/zoo.cfg`;

/** `I0314 01:00:00.003000` for a time in µs since 01:00:00. */
function glogLine(us: number, msg: string): string {
  const d = new Date(START + Math.floor(us / 1000));
  return (
    `I${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.` +
    `${pad(us % 1_000_000, 6)} 40187 meta_server.cc:408] ${msg}`
  );
}

/** Lines at the given times (ms), each saying which line it is. */
const zkLines = (times: number[]) => times.map((t, i) => zkLine(t, `line ${i + 1} ${'x'.repeat(40)}`));

/** Times every `stepMs` from `from`, `count` of them, with a hole of `holeMs` before the `holeAt`-th one (0-based). */
function steady(count: number, stepMs: number, holeAt = -1, holeMs = 0, from = 0): number[] {
  const out: number[] = [];
  let t = from;
  for (let i = 0; i < count; i++) {
    if (i > 0) t += i === holeAt ? holeMs : stepMs;
    out.push(t);
  }
  return out;
}

function bundleDir(files: Record<string, string | Buffer>): string {
  const dir = tempDir('ql-silence-');
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), content);
  }
  return dir;
}

const text = (lines: string[]) => lines.join('\n') + '\n';
const offsetOfLine = (content: string, line: number) =>
  content
    .split('\n')
    .slice(0, line - 1)
    .join('\n').length + (line > 1 ? 1 : 0);

/** A bundle of scanned files, assembled as the indexer does (runs from `findProcesses`). */
function bundleOf(files: FileIndex[]): BundleIndex {
  return { root: '/', files, nodes: [], processes: findProcesses(files), notes: [] };
}

async function scan(file: string, rel: string, previous?: FileIndex): Promise<FileIndex> {
  const st = fs.statSync(file);
  return scanFile({ relPath: rel, absPath: file, node: rel.split('/')[0], size: st.size, mtimeMs: st.mtimeMs, matcher, previous });
}

const brief = (s: Silence) => `${s.node} ${s.file}:${s.line} after ${s.fileBefore}:${s.lineBefore} ${s.seconds} s`;

test('a steady log (every 200 ms) with one 8.05 s hole has exactly that silence, with its lines', async () => {
  const content = text(zkLines(steady(3000, 200, 1500, 8050)));
  const dir = bundleDir({ '172_20_131_241/zookeeper.log': content });
  const bundle = await indexBundle(dir);
  const list = silences(bundle);
  assert.deepEqual(list.map(brief), ['172_20_131_241 172_20_131_241/zookeeper.log:1501 after 172_20_131_241/zookeeper.log:1500 8.05 s']);
  const [s] = list;
  assert.equal(s.offset, offsetOfLine(content, 1501));
  assert.equal(s.program, 'zookeeper');
  assert.equal(formatHuman(s.from), '2023-03-14 01:04:59.800000');
  assert.equal(formatHuman(s.to), '2023-03-14 01:05:07.850000');
  assert.ok(s.usualSpacingMs > 100 && s.usualSpacingMs < 400, `${s.usualSpacingMs}`);
  assert.equal(silences(bundle), list, 'computed once per bundle');
  // Saved with the index and read back from it.
  const cache = tempDir('ql-silence-cache-');
  await indexBundleCached(dir, cache);
  assert.deepEqual(silences(await indexBundleCached(dir, cache)), list);
});

test('a glog service writing every 3 ms with one 3 s stall has that silence', async () => {
  const lines: string[] = [];
  let us = 0;
  for (let i = 0; i < 20_000; i++) {
    us += i === 12_345 ? 3_000_000 : 3_000;
    lines.push(glogLine(us, `[EXTENT GC CMD] pid: ${i}`));
  }
  const dir = bundleDir({ '172_20_131_243/zbs_logs/zbs-metad/zbs-metad.log.20230314-010000.4242': text(lines) });
  const list = silences(await indexBundle(dir));
  assert.deepEqual(
    list.map((s) => [s.program, s.pid, s.line, s.lineBefore, s.seconds]),
    [['zbs-metad', 4242, 12_346, 12_345, 3]],
  );
  assert.ok(list[0].usualSpacingMs < 10, `${list[0].usualSpacingMs}`);
});

test('a quiet log (one line a minute) has no silences, and neither does a steady one without holes', async () => {
  const dir = bundleDir({
    '172_20_131_241/zookeeper.log': text(zkLines(steady(300, 60_000))),
    '172_20_131_242/zookeeper.log': text(zkLines(steady(3000, 200))),
  });
  const bundle = await indexBundle(dir);
  assert.deepEqual(silences(bundle).map(brief), []);
  const quiet = bundle.files.find((f) => f.node === '172_20_131_241');
  assert.equal(quiet?.gaps?.length, 299, 'every minute-long step is a gap, but none is a silence');
});

test('an appended file is resumed and the hole in its new part is found, as a full scan finds it', async () => {
  const dir = tempDir('ql-silence-');
  const file = path.join(dir, 'zookeeper.log');
  const times = steady(4000, 200, 3000, 9000);
  fs.writeFileSync(file, text(zkLines(times).slice(0, 2000)));
  const first = await scan(file, 'n/zookeeper.log');
  assert.ok(first.resume);
  assert.deepEqual(first.gaps, []);
  fs.appendFileSync(file, text(zkLines(times).slice(2000)));
  const resumed = await scan(file, 'n/zookeeper.log', first);
  const full = await scan(file, 'n/zookeeper.log');
  assert.deepEqual(
    resumed.gaps?.map((g) => [g.lineBefore, g.line, g.to - g.from]),
    [[3000, 3001, 9_000_000]],
  );
  const steps = (f: FileIndex) => ({ gaps: f.gaps, histogram: f.gapHistogram, first: f.firstDated, last: f.lastDated });
  assert.deepEqual(steps(resumed), steps(full));
  assert.deepEqual(silences(bundleOf([resumed])).map(brief), ['n n/zookeeper.log:3001 after n/zookeeper.log:3000 9 s']);
});

test('a last line cut short is read again when the file grows: the step to it is counted once', async () => {
  const dir = tempDir('ql-silence-');
  const file = path.join(dir, 'zookeeper.log');
  const lines = zkLines(steady(1000, 200, 600, 5000));
  fs.writeFileSync(file, text(lines.slice(0, 600)) + lines[600].slice(0, 30));
  const first = await scan(file, 'n/zookeeper.log');
  fs.appendFileSync(file, lines[600].slice(30) + '\n' + text(lines.slice(601)));
  const resumed = await scan(file, 'n/zookeeper.log', first);
  const full = await scan(file, 'n/zookeeper.log');
  assert.deepEqual(resumed.gaps, full.gaps);
  assert.deepEqual(resumed.gapHistogram, full.gapHistogram);
  assert.deepEqual(
    full.gaps?.map((g) => g.line),
    [601],
  );
});

test("a hole across a rotation of gzip files is found, from the old file's last line to the new one's first", async () => {
  const times = steady(4000, 200, 2500, 8000);
  const older = zkLines(times.slice(0, 2500));
  const newer = zkLines(times.slice(2500));
  const dir = bundleDir({
    '172_20_131_241/zookeeper.log.2.gz': zlib.gzipSync(text(older)),
    '172_20_131_241/zookeeper.log.1.gz': zlib.gzipSync(text(newer)),
  });
  const bundle = await indexBundle(dir);
  assert.ok(bundle.files.every((f) => f.gzip));
  assert.deepEqual(silences(bundle).map(brief), [
    '172_20_131_241 172_20_131_241/zookeeper.log.1.gz:1 after 172_20_131_241/zookeeper.log.2.gz:2500 8 s',
  ]);
});

test('a restart inside one ZooKeeper file (a new start-up banner) is no silence; a hole inside either run is', async () => {
  const run1 = zkLines(steady(2000, 200));
  const restartAt = 2000 * 200 + 60_000;
  const run2Times = steady(2000, 200, 1000, 7000, restartAt + 200);
  const lines = [...run1, banner(restartAt), ...zkLines(run2Times)];
  const dir = bundleDir({ '172_20_131_241/zookeeper.log': text(lines) });
  const bundle = await indexBundle(dir);
  assert.equal(bundle.processes.filter((p) => p.program === 'zookeeper').length, 2);
  // The 60 s before the banner is where the server was down: the gap is recorded, but it is no silence.
  assert.ok(bundle.files[0].gaps?.some((g) => g.line === 2001 && g.to - g.from === 60_200_000));
  assert.deepEqual(silences(bundle).map(brief), [
    '172_20_131_241 172_20_131_241/zookeeper.log:3002 after 172_20_131_241/zookeeper.log:3001 7 s',
  ]);
});

test('the clock stepping back, or one old line written late, makes no gap', async () => {
  const ahead = steady(1500, 200);
  const back = steady(1500, 200, -1, 0, ahead[ahead.length - 1] - 3_600_000);
  const stepBack = await scanLines([...ahead, ...back]);
  assert.deepEqual(stepBack.gaps, []);
  const times = steady(3000, 200);
  times[1500] -= 30_000; // a line stamped 30 s before it was written
  const late = await scanLines(times);
  assert.deepEqual(late.gaps, []);
  // Nor does a line of another year among the others (a yearless glog line read with the wrong year).
  const stray = steady(3000, 200);
  stray[700] += 400 * 86_400_000;
  assert.deepEqual((await scanLines(stray)).gaps, []);
});

async function scanLines(times: number[]): Promise<FileIndex> {
  const dir = tempDir('ql-silence-');
  const file = path.join(dir, 'zookeeper.log');
  fs.writeFileSync(file, text(zkLines(times)));
  return scan(file, 'n/zookeeper.log');
}

test('a file of 100 000 gaps keeps at most 512, the longest ones', async () => {
  const times: number[] = [0];
  for (let i = 1; i <= 100_000; i++) times.push(times[i - 1] + (i % 1000 === 0 ? 7_000 : 1_000 + (i % 7) * 100));
  const f = await scanLines(times);
  assert.ok(f.gaps && f.gaps.length <= MAX_GAPS && f.gaps.length >= MAX_GAPS / 2, `${f.gaps?.length ?? 0} gaps`);
  assert.deepEqual(
    f.gaps.filter((g) => g.to - g.from === 7_000_000).map((g) => g.line),
    Array.from({ length: 100 }, (_, k) => (k + 1) * 1000 + 1),
  );
  assert.ok(
    f.gaps.every((g, i) => i === 0 || g.offset > f.gaps![i - 1].offset),
    'in file order',
  );
  const again = await scanLines(times);
  assert.deepEqual(again.gaps, f.gaps, 'deterministic');
});

test('lines without a stamp (stack traces, banners) neither break nor make a step', async () => {
  const lines: string[] = [];
  steady(2000, 200, 1200, 8000).forEach((t, i) => {
    lines.push(zkLine(t, `line ${i}`));
    if (i % 10 === 0) lines.push('java.io.IOException: x', '\tat org.apache.zookeeper.server.X.y(X.java:1)');
  });
  const dir = bundleDir({ '172_20_131_241/zookeeper.log': text(lines) });
  const list = silences(await indexBundle(dir));
  assert.equal(list.length, 1);
  assert.equal(lines[list[0].line - 1].slice(0, 23), zkStamp(steady(2000, 200, 1200, 8000)[1200]));
});

test('every layout that starts a line with its stamp is read as the formats read it; the others are not dated', async () => {
  const dir = tempDir('ql-silence-');
  const notAtStart: string[] = [];
  for (const format of FORMATS) {
    for (const sample of format.samples) {
      // A file name that gives yearless glog lines the year the sample expects.
      const file = path.join(dir, `t.log.${sample.expect.time.slice(0, 4)}0101-000000.1`);
      fs.writeFileSync(file, sample.line + '\n');
      const f = await scan(file, `n/${path.basename(file)}`);
      if (f.firstDated) assert.equal(formatIso(f.firstDated[2]), sample.expect.time, sample.line);
      else notAtStart.push(sample.line.slice(0, 20));
    }
  }
  // Stamps behind a prefix, syslog's and LogHub's compact one: such lines take no part in silences.
  assert.deepEqual(notAtStart, ['zookeeper_1  | 2020-', 'nova-api.log.1.2017-', 'Jan  7 06:52:09.5685', '081109 203615 148 IN']);
});

test("silencesTouching finds a node's silences that overlap a window", () => {
  const s = (node: string, from: number, to: number): Silence => ({
    node,
    program: 'p',
    from: from * 1e6,
    to: to * 1e6,
    seconds: to - from,
    usualSpacingMs: 100,
    file: 'f',
    line: 1,
    offset: 0,
    fileBefore: 'f',
    lineBefore: 1,
  });
  const list = [s('a', 0, 100), s('b', 10, 20), s('a', 150, 160), s('a', 300, 301)];
  const at = (node: string, from: number, to: number) => silencesTouching(list, node, from * 1e6, to * 1e6).map((x) => x.from / 1e6);
  assert.deepEqual(at('a', 50, 60), [0]);
  assert.deepEqual(at('a', 100, 150), [0, 150]);
  assert.deepEqual(at('a', 101, 149), []);
  assert.deepEqual(at('a', 0, 1000), [0, 150, 300]);
  assert.deepEqual(at('b', 0, 5), []);
  assert.deepEqual(at('c', 0, 1000), []);
});

test('the usual spacing is the time-weighted median step', () => {
  const h = new Array<number>(42).fill(0);
  assert.equal(usualSpacing(h), undefined);
  h[18] = 1000; // steps of 131–262 ms cover 1000 seconds
  h[23] = 8; // one 8 s step covers 8
  const u = usualSpacing(h) ?? 0;
  assert.ok(u >= 131_072 && u < 262_144, `${u}`);
});

test('saved gaps that are damaged are refused with the rest of the scan', async () => {
  const f = await scanLines(steady(100, 2000));
  assert.equal(scanProblem(f.path, f), undefined);
  assert.match(scanProblem(f.path, { ...f, gaps: [{ from: 5, to: 1, line: 1, offset: 0, lineBefore: 1 }] }) ?? '', /gaps/);
  assert.match(scanProblem(f.path, { ...f, gaps: new Array(MAX_GAPS + 1).fill(f.gaps?.[0]) }) ?? '', /gaps/);
  assert.match(scanProblem(f.path, { ...f, gapHistogram: [1, 2, 3] }) ?? '', /gaps/);
  const r = f.resume;
  assert.ok(r);
  assert.match(scanProblem(f.path, { ...f, resume: { ...r, state: { ...r.state, steps: undefined as never } } }) ?? '', /resume state/);
});

const realSkip = fs.existsSync(REAL_LOGS) ? false : `real logs not found at ${REAL_LOGS}`;

test(
  'on the real corpus, the silences are the Hadoop job cut off from the network and the hung ZooKeeper test',
  { skip: realSkip },
  async () => {
    const bundle = await indexBundle(REAL_LOGS);
    const list = silences(bundle);
    assert.deepEqual(list.map(brief), [
      'real-logs loghub/Hadoop/Hadoop_2k.log:848 after loghub/Hadoop/Hadoop_2k.log:847 24.752 s',
      'real-logs zookeeper/anduril/zookeeper-3157_bad-run-log.txt:776 after zookeeper/anduril/zookeeper-3157_bad-run-log.txt:775 26.47 s',
    ]);
    for (const s of list) assert.ok(s.seconds * 1000 >= 10 * s.usualSpacingMs, brief(s));
    assert.equal(formatHuman(list[0].from), '2015-10-18 18:05:02.818000');
  },
);
