import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, test } from 'node:test';
import * as zlib from 'node:zlib';
import type { MergeJson } from '../../src/cli/json';
import { formatById, stripNul, type Severity } from '../../src/core/formats';
import type { BundleIndex } from '../../src/core/model';
import { formatIso, monthDay, parseUserTime } from '../../src/core/time';
import { RollingYearClock } from '../../src/core/yearClock';
import { indexBundle } from '../../src/indexer/bundleIndexer';
import { findBundleRoots } from '../../src/indexer/bundleRoots';
import { reshape, type Shape } from '../fixtures/bundleShapes';
import { addGlogShapes } from '../fixtures/glogShapes';
import { random, renderLine, t as at, type Entry, type FileSpec, type Layout, type Level } from '../fixtures/logWriter';
import { sampleBundle, runCli, tempDir } from '../helpers';

// Issue 13's "Done when": `merge --json` equals an independent merge of the same bundle window. The reference
// below is written the naive way on purpose — every file read whole, each line parsed with the format's own
// parser and a year clock from the file's start, undated lines given their entry's time, everything sorted
// by (time, bundle, node, path, line), then filtered — and shares nothing with the engine (no checkpoints,
// no readers, no heap). Both run on the sample bundle, on the shapes a bundle really arrives in, and on
// seeded bundles with jitter, ties, gz rotations, CRLF and lone-CR files, a clock step, New Year in a
// yearless file and undated files.

interface RefFilter {
  from?: string;
  to?: string;
  include?: string[];
  exclude?: string[];
  level?: 'W' | 'E';
  nodes?: string[];
  sources?: string[];
  offsetsMs?: Record<string, number>;
}

interface RefLine {
  time: number;
  bundle: number;
  node: string;
  file: string;
  line: number;
  text: string;
}

const RANK: Record<Severity, number> = { trace: 0, debug: 1, info: 2, warn: 3, error: 4, fatal: 5 };

/** Every line of every dated, non-copy file of the bundles, the naive way, filtered and sorted. */
function reference(indexes: readonly BundleIndex[], filter: RefFilter = {}): RefLine[] {
  const out: RefLine[] = [];
  const from = filter.from === undefined ? -Infinity : (parseUserTime(filter.from) as number);
  const to = filter.to === undefined ? Infinity : (parseUserTime(filter.to) as number);
  const include = (filter.include ?? []).map((s) => new RegExp(s));
  const exclude = (filter.exclude ?? []).map((s) => new RegExp(s));
  indexes.forEach((index, bundle) => {
    for (const f of index.files) {
      if (f.skipped || f.duplicateOf || f.firstTime === undefined) continue;
      if (filter.nodes && !filter.nodes.includes(f.node)) continue;
      if (filter.sources && !filter.sources.includes(f.source)) continue;
      const bytes = fs.readFileSync(path.join(index.root, f.path));
      const text = (f.gzip ? zlib.gunzipSync(bytes) : bytes).toString('utf8');
      const lines = text.split(/\r\n|\r|\n/);
      if (/[\r\n]$/.test(text)) lines.pop();
      const format = formatById(f.format);
      const clock = new RollingYearClock(monthDay(f.created ?? f.firstTime));
      const shift = (filter.offsetsMs?.[f.node] ?? 0) * 1000;
      // Entries: a dated line and the undated lines after it; the lines before the first dated line take its time.
      const entries: { time?: number; severity?: Severity; lines: { line: number; text: string }[] }[] = [];
      let leading: { time?: number; severity?: Severity; lines: { line: number; text: string }[] } | undefined;
      lines.forEach((raw, i) => {
        const l = { line: i + 1, text: stripNul(raw) };
        const p =
          format.parse(l.text, clock) ??
          (f.format === 'glog' || f.format === 'zkclient' ? otherLayout(f.format, l.text, clock) : undefined);
        if (p) {
          if (leading) leading.time = p.time;
          leading = undefined;
          entries.push({ time: p.time, severity: p.severity, lines: [l] });
        } else if (entries.length === 0 || leading) {
          if (!leading) entries.push((leading = { lines: [] }));
          leading.lines.push(l);
        } else entries[entries.length - 1].lines.push(l);
      });
      for (const e of entries) {
        const time = (e.time ?? f.firstTime) + shift;
        if (filter.level && !(e.severity && RANK[e.severity] >= (filter.level === 'W' ? RANK.warn : RANK.error))) continue;
        if (include.length > 0 && !e.lines.some((l) => include.some((re) => re.test(l.text)))) continue;
        if (e.lines.some((l) => exclude.some((re) => re.test(l.text)))) continue;
        if (time < from || time >= to) continue;
        for (const l of e.lines) out.push({ time, bundle, node: f.node, file: f.path, line: l.line, text: l.text });
      }
    }
  });
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return out.sort((a, b) => a.time - b.time || a.bundle - b.bundle || cmp(a.node, b.node) || cmp(a.file, b.file) || a.line - b.line);
}

/** glog files carry ZooKeeper C client lines and the other way round (the formats' documented interleaving). */
function otherLayout(id: 'glog' | 'zkclient', line: string, clock: RollingYearClock) {
  return formatById(id === 'glog' ? 'zkclient' : 'glog').parse(line, clock);
}

const show = (l: { time: string; node: string; file: string; line: number; text: string }) =>
  `${l.time} ${l.node} ${l.file}:${l.line} ${l.text}`;
const showRef = (l: RefLine) => show({ ...l, time: formatIso(l.time) });

/** `merge --json` over the whole bundle (one page), with the filter as flags. */
function mergeJson(dir: string, filter: RefFilter = {}): MergeJson {
  const args = ['merge', dir, '--json', '--max', '1000000'];
  if (filter.from) args.push('--from', filter.from);
  if (filter.to) args.push('--to', filter.to);
  for (const re of filter.include ?? []) args.push('--include', re);
  for (const re of filter.exclude ?? []) args.push('--exclude', re);
  if (filter.level) args.push('--level', filter.level);
  for (const n of filter.nodes ?? []) args.push('--node', n);
  for (const s of filter.sources ?? []) args.push('--source', s);
  for (const [n, ms] of Object.entries(filter.offsetsMs ?? {})) args.push('--offset', `${n}=${ms}`);
  const r = runCli(args);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as MergeJson;
}

async function indexesOf(dir: string): Promise<BundleIndex[]> {
  const out: BundleIndex[] = [];
  for (const { root } of await findBundleRoots(dir)) out.push(await indexBundle(root));
  return out;
}

/** The CLI's answer against the reference: the same lines (file, line, time, text) in the same order, times never going back. */
async function assertSameAsReference(dir: string, filter: RefFilter, what: string, indexes?: BundleIndex[]): Promise<number> {
  const json = mergeJson(dir, filter);
  const ref = reference(indexes ?? (await indexesOf(dir)), filter);
  assert.equal(json.truncated, false, what);
  assert.equal(json.next, undefined, `${what}: nothing follows the whole merge`);
  for (let i = 1; i < json.lines.length; i++) assert.ok(json.lines[i - 1].time <= json.lines[i].time, `${what}: time goes back at ${i}`);
  const got = json.lines.map(show);
  const want = ref.map(showRef);
  if (got.length !== want.length || got.some((g, i) => g !== want[i])) {
    const i = got.findIndex((g, k) => g !== want[k]);
    assert.fail(`${what}: ${got.length} lines, reference ${want.length}; first difference at ${i}:\n  got  ${got[i]}\n  want ${want[i]}`);
  }
  assert.ok(
    json.lines.every((l) => l.ownTime === undefined),
    `${what}: every line in its own place`,
  );
  return got.length;
}

// ---- Seeded bundles: jitter, ties, rotations, line endings, a clock step, New Year, undated files ----

/** A seeded bundle of three nodes and a test runner; returns its folder. */
function seededBundle(seed: number): string {
  const root = path.join(tempDir(`ql-merge-seed-${seed}-`), 'bundle');
  const rnd = random(`merge-oracle-${seed}`);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
  const newYear = seed % 2 === 0;
  const start = at(newYear ? '2023-12-31 23:50:00' : '2023-03-14 01:00:00');
  const levels: Level[] = ['I', 'I', 'I', 'I', 'W', 'E', 'F'];
  const write = (
    rel: string,
    spec: Omit<FileSpec, 'relPath' | 'entries' | 'start' | 'end'>,
    from: number,
    n: number,
    options: { eol?: string; gzip?: boolean; stepAt?: number } = {},
  ) => {
    const lines: string[] = [];
    const full: FileSpec = { ...spec, relPath: rel, start: from, end: from, entries: [] };
    if (spec.header) {
      const d = new Date(from / 1000).toISOString();
      lines.push(
        `Log file created at: ${d.slice(0, 4)}/${d.slice(5, 7)}/${d.slice(8, 10)} ${d.slice(11, 19)}`,
        `Running on machine: ${rel.split('/')[0]}`,
        'Log line format: [IWEF]mmdd hh:mm:ss.uuuuuu threadid file:line] msg',
      );
    }
    let base = from;
    for (let i = 0; i < n; i++) {
      base += Math.floor(rnd() * 400_000) + 1000;
      if (options.stepAt === i) base -= 30 * 60e6; // the node's clock steps back half an hour
      let time = base;
      const r = rnd();
      if (r < 0.08)
        time = base - Math.floor(rnd() * 300_000); // threads a little out of order
      else if (r < 0.25) time = Math.floor(base / 1e6) * 1e6; // on the second: the same instant as other lines and nodes
      const e: Entry = {
        t: time,
        level: pick(levels),
        msg: `${pick(['Accepted socket', 'Closed socket', 'fsync took', 'Processing srvr command', 'Peer state changed', 'GC pause'])} #${seed}-${i}`,
      };
      if (rnd() < 0.05)
        e.msg += '\njava.net.SocketTimeoutException: Read timed out\n\tat java.net.SocketInputStream.socketRead0(Native Method)';
      if (rnd() < 0.03) e.msg += ' ünïcødé 中文';
      lines.push(renderLine(full, e));
    }
    const eol = options.eol ?? '\n';
    const text = lines.join('\n').replace(/\n/g, eol) + eol;
    const abs = path.join(root, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, options.gzip ? zlib.gzipSync(text) : text);
  };
  const nodes = ['10_0_0_1', '10_0_0_2', '10_0_0_3'];
  nodes.forEach((node, k) => {
    const myid = k + 1;
    const zk: Layout = seed % 3 === 0 ? 'zk34' : 'zkT';
    const addr = `10.0.0.${myid}`;
    write(`${node}/zookeeper/zookeeper.log.1.gz`, { layout: zk, myid, address: addr }, start, 2500 + seed * 37, { gzip: true });
    write(`${node}/zookeeper/zookeeper.log`, { layout: zk, myid, address: addr }, start + 10 * 60e6, 4000, {
      eol: k === 1 ? '\r\n' : k === 2 && seed % 2 === 1 ? '\r' : '\n',
      stepAt: k === 2 && seed >= 3 ? 2100 : undefined,
    });
    const stamp = new Date(start / 1000).toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
    write(`${node}/zbs_logs/zbs-metad/zbs-metad.log.${stamp}.${4000 + k}`, { layout: 'glog', header: k !== 1, tid: 1000 + k }, start, 5000);
    write(
      `${node}/zbs_logs/zbs-chunkd/zbs-chunkd.log.${stamp}.${5000 + k}`,
      { layout: 'glogYear', header: true, tid: 2000 + k },
      start + 60e6,
      700,
    );
    fs.writeFileSync(path.join(root, node, 'README.txt'), 'No time here.\nNor here.\n');
  });
  write('test-logs/test_run.log', { layout: 'pipe' }, start, 300);
  return root;
}

// ---- The cases ----

let sample: string;
let sampleIndexes: BundleIndex[];
before(async () => {
  sample = sampleBundle();
  sampleIndexes = await indexesOf(sample);
});

const N = (n: number) => `172_20_131_${n}`;

test('the sample bundle, unfiltered: the same lines, times and order as the naive merge', async () => {
  const n = await assertSameAsReference(sample, {}, 'sample', sampleIndexes);
  assert.ok(n > 1000, `${n} lines`);
});

test('the sample bundle with each filter: time range, include and exclude, level, node, source, clock offset', async () => {
  const cases: [string, RefFilter][] = [
    ['from/to', { from: '2023-03-14 01:35:00', to: '2023-03-14 05:12:30' }],
    ['include', { include: ['Exception when following', 'Expiring session'] }],
    ['include a continuation line (whole entries come)', { include: ['SocketTimeoutException'] }],
    ['exclude', { exclude: ['Processing srvr command', 'SET PEXTENT'] }],
    ['include and exclude', { include: ['session'], exclude: ['closeSession'] }],
    ['level W', { level: 'W' }],
    ['level E', { level: 'E' }],
    ['nodes', { nodes: [N(241), N(243)] }],
    ['sources', { sources: ['zookeeper', 'testRunner'] }],
    ['offsets', { offsetsMs: { [N(242)]: -1400, [N(245)]: 2500 }, from: '2023-03-14 01:35:00', to: '2023-03-14 01:40:00' }],
    [
      'everything at once',
      { from: '2023-03-14 01:00:00', level: 'W', exclude: ['fsync'], sources: ['zookeeper', 'meta'], nodes: [N(242)] },
    ],
  ];
  for (const [what, filter] of cases) await assertSameAsReference(sample, filter, what, sampleIndexes);
});

test('--node takes a node by address and by label as well as by folder', () => {
  const byFolder = mergeJson(sample, { nodes: [N(243)], from: '2023-03-14 01:30:00', to: '2023-03-14 02:00:00' });
  assert.ok(byFolder.lines.length > 0);
  for (const name of ['172.20.131.243', '10.0.131.243'])
    assert.deepEqual(
      mergeJson(sample, { nodes: [name], from: '2023-03-14 01:30:00', to: '2023-03-14 02:00:00' }).lines,
      byFolder.lines,
      name,
    );
});

for (const shape of ['nested', 'hostnames', 'rotatedGz', 'uuidSuffix', 'flat', 'sideBySide'] as Shape[]) {
  test(`the sample bundle as it arrives (${shape}): the same as the naive merge of the same files`, async () => {
    const dir = reshape(sample, path.join(tempDir('ql-merge-shape-'), shape), shape);
    await assertSameAsReference(dir, {}, shape);
    await assertSameAsReference(dir, { from: '2023-03-14 01:35:00', to: '2023-03-14 01:36:00', exclude: ['Accepted'] }, `${shape}, window`);
  });
}

test('glog severity copies and links are read once: their lines are not merged twice', async () => {
  const dir = path.join(tempDir('ql-merge-glog-'), 'bundle');
  fs.cpSync(sample, dir, { recursive: true });
  const shapes = addGlogShapes(dir);
  assert.ok(shapes.copies.length > 0);
  const json = mergeJson(dir);
  for (const c of shapes.copies)
    assert.ok(
      json.skippedFiles.some((s) => s.file === c.file && /copy/.test(s.reason)),
      c.file,
    );
  await assertSameAsReference(dir, {}, 'glog shapes');
});

for (const seed of [1, 2, 3, 4, 5]) {
  test(`seeded bundle ${seed}: jitter, ties, gz, CRLF/CR, ${seed >= 3 ? 'a clock step, ' : ''}${seed % 2 === 0 ? 'New Year in yearless glog, ' : ''}the same as the naive merge`, async () => {
    const dir = seededBundle(seed);
    const indexes = await indexesOf(dir);
    const n = await assertSameAsReference(dir, {}, `seed ${seed}`, indexes);
    assert.ok(n > 40_000, `${n} lines`);
    const first = formatIso(Math.min(...indexes[0].files.filter((f) => f.firstTime !== undefined).map((f) => f.firstTime!)));
    const t0 = first.slice(0, 10) + ' ' + first.slice(11, 16);
    const later = (minutes: number) => formatIso(parseUserTime(t0)! + minutes * 60e6).replace('T', ' ');
    const json = mergeJson(dir);
    assert.ok(
      json.skippedFiles.some((s) => s.file.endsWith('README.txt') && /no line with a time/.test(s.reason)),
      'an undated file is named, not merged',
    );
    for (const [what, filter] of [
      ['window', { from: later(3), to: later(9) }],
      ['level E + exclude', { level: 'E', exclude: ['GC pause'] }],
      ['include continuation', { include: ['Read timed out'] }],
      ['node + source', { nodes: ['10_0_0_3'], sources: ['zookeeper'] }],
      ['offsets', { offsetsMs: { '10_0_0_1': 350, '10_0_0_2': -20_000 } }],
    ] as [string, RefFilter][])
      await assertSameAsReference(dir, filter, `seed ${seed}, ${what}`, indexes);
  });
}
