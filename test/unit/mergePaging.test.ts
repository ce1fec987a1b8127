import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, test } from 'node:test';
import * as zlib from 'node:zlib';
import type { MergeJson } from '../../src/cli/json';
import { BUILTIN_ROLE_RULES } from '../../src/core/rules/roleRules';
import { formatIso, parseUserTime } from '../../src/core/time';
import { decodeCursor, encodeCursor } from '../../src/core/workflows/mergeOrder';
import * as service from '../../src/service';
import type { MergeParams } from '../../src/service';
import { forgetLiveMerges } from '../../src/indexer/mergePages';
import { random } from '../fixtures/logWriter';
import { runCli, sampleBundle, tempDir } from '../helpers';

// Paging the merged log: pages of N, read forward after each page's `next` (or backward before each page's
// `previous`), join into exactly the unpaged answer — no line repeated or lost — for N down to 1, across
// .gz files and among lines that tie in time on several nodes and in one file. Over the service (as the
// editor will page) and over the CLI's `--after` / `--before`.

const rules = [...BUILTIN_ROLE_RULES];
async function contextOf(dir: string, clockOffsetsMs: Record<string, number> = {}): Promise<service.ServiceContext> {
  return { rules, clockOffsetsMs, label: formatIso, bundles: [await service.openBundle(dir, { roleRules: rules, cacheDir: false })] };
}

const key = (l: service.MergedLineInfo) => `${l.time} ${l.node} ${l.location.file}:${l.location.line}`;

/** The whole merged answer in one page. */
async function unpaged(ctx: service.ServiceContext, params: MergeParams = {}): Promise<string[]> {
  const r = await service.mergedLines(ctx, { ...params, limit: 1_000_000 });
  assert.equal(r.truncated, false);
  return r.lines.map(key);
}

/**
 * Pages of `n` forward, each after the last one's `next`, joined. Every other page starts from the cursor
 * alone (the read the page before left open is forgotten): both ways must give the same lines.
 */
async function pagedForward(ctx: service.ServiceContext, n: number, params: MergeParams = {}): Promise<string[]> {
  const out: string[] = [];
  let cursor: service.MergeCursor | undefined;
  for (let pages = 0; ; pages++) {
    if (pages % 2 === 1) await forgetLiveMerges();
    const r = await service.mergedLines(ctx, { ...params, limit: n, cursor });
    assert.ok(r.lines.length <= n);
    out.push(...r.lines.map(key));
    if (!r.next) {
      assert.equal(r.truncated, false, 'a page without `next` is the last');
      return out;
    }
    assert.equal(r.lines.length, n, 'a page with more after it is full');
    assert.equal(r.nextToken, encodeCursor(r.next));
    cursor = decodeCursor(r.nextToken);
    assert.ok(pages < 1_000_000);
  }
}

/** Pages of `n` backward from the end, each before the last one's `previous`, joined in time order. */
async function pagedBackward(ctx: service.ServiceContext, n: number, params: MergeParams = {}): Promise<string[]> {
  const pages: string[][] = [];
  let cursor: service.MergeCursor | undefined;
  for (;;) {
    const r = await service.mergedLines(ctx, { ...params, limit: n, cursor, direction: 'backward' });
    assert.ok(r.lines.length <= n);
    pages.unshift(r.lines.map(key));
    if (!r.previous) return pages.flat();
    assert.equal(r.lines.length, n, 'a page with more before it is full');
    cursor = r.previous;
  }
}

/** Lines that tie: every file writes on whole seconds (and some lines in a burst at one instant); half the files are .gz. */
function tiesBundle(): string {
  const root = path.join(tempDir('ql-merge-ties-'), 'bundle');
  const rnd = random('merge-ties');
  const second = Date.UTC(2023, 2, 14, 1, 0, 0) * 1000;
  for (let k = 0; k < 6; k++) {
    const node = `10_0_0_${1 + (k % 3)}`;
    const lines: string[] = [];
    for (let s = 0; s < 60; s++) {
      const n = 1 + Math.floor(rnd() * 4);
      for (let j = 0; j < n; j++) {
        const t = new Date((second + s * 1e6) / 1000).toISOString();
        lines.push(`${t.slice(0, 10)} ${t.slice(11, 19)},000 [myid:1] - INFO  [main:X@1] - file ${k} second ${s} line ${j}`);
        if (rnd() < 0.1) lines.push('java.lang.IllegalStateException: tied', '\tat a.b.C(C.java:1)');
      }
    }
    const dir = path.join(root, node, 'zookeeper');
    fs.mkdirSync(dir, { recursive: true });
    const text = `${lines.join('\n')}\n`;
    if (k >= 3) fs.writeFileSync(path.join(dir, `zookeeper.log.${k}.gz`), zlib.gzipSync(text));
    else fs.writeFileSync(path.join(dir, `zookeeper.log.${k}`), text);
  }
  return root;
}

let sample: service.ServiceContext;
let ties: service.ServiceContext;
before(async () => {
  sample = await contextOf(sampleBundle());
  ties = await contextOf(tiesBundle());
});

test('lines that tie in time on several nodes, in one file and in .gz files: pages of 1, 2, 3, 7, 64 join into the unpaged answer', async () => {
  const all = await unpaged(ties);
  assert.ok(all.length > 700, `${all.length} lines`);
  assert.equal(new Set(all).size, all.length, 'every line once');
  const times = all.map((k) => Number(k.split(' ')[0]));
  assert.ok(
    times.some((t, i) => i > 0 && t === times[i - 1]),
    'the bundle has ties',
  );
  for (const n of [1, 2, 3, 7, 64]) assert.deepEqual(await pagedForward(ties, n), all, `forward pages of ${n}`);
  for (const n of [1, 5, 64]) assert.deepEqual(await pagedBackward(ties, n), all, `backward pages of ${n}`);
});

test('the sample bundle: forward and backward pages of several sizes join into the unpaged answer', async () => {
  const window = { from: parseUserTime('2023-03-14 01:30:00'), to: parseUserTime('2023-03-14 03:30:00') };
  const part = await unpaged(sample, window);
  assert.ok(part.length > 200, `${part.length} lines`);
  for (const n of [1, 3, 50]) {
    assert.deepEqual(await pagedForward(sample, n, window), part, `forward pages of ${n} in a window`);
    assert.deepEqual(await pagedBackward(sample, n, window), part, `backward pages of ${n} in a window`);
  }
  const all = await unpaged(sample);
  for (const n of [97, 1000]) {
    assert.deepEqual(await pagedForward(sample, n), all, `forward pages of ${n}`);
    assert.deepEqual(await pagedBackward(sample, n), all, `backward pages of ${n}`);
  }
});

test('paging with filters and clock offsets joins too, and a page back from a page starts right before it', async () => {
  const ctx = await contextOf(sampleBundle(), { '172_20_131_242': -1400 });
  const params: MergeParams = { exclude: ['Accepted socket'], level: 'W', sources: ['zookeeper', 'meta'] };
  const all = await unpaged(ctx, params);
  assert.ok(all.length > 50);
  assert.deepEqual(await pagedForward(ctx, 9, params), all);
  assert.deepEqual(await pagedBackward(ctx, 9, params), all);
  // From the middle: the page after a cursor, then the page before that page's first line.
  const mid = await service.mergedLines(ctx, { ...params, limit: 20, from: parseUserTime('2023-03-14 05:00:00') });
  const back = await service.mergedLines(ctx, { ...params, limit: 20, cursor: mid.previous, direction: 'backward' });
  const i = all.indexOf(key(mid.lines[0]));
  assert.ok(i >= 20);
  assert.deepEqual(back.lines.map(key), all.slice(i - 20, i));
  assert.deepEqual(
    (await service.mergedLines(ctx, { ...params, limit: 20, cursor: back.next })).lines.map(key),
    mid.lines.map(key),
    'forward from the back page lands on the first page again',
  );
});

test('the CLI pages with --after and --before: the pages join into the unpaged --json answer', () => {
  const dir = sampleBundle();
  const json = (args: string[]) => {
    const r = runCli(['merge', dir, '--json', '--from', '2023-03-14 01:30:00', '--to', '2023-03-14 02:30:00', ...args]);
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout) as MergeJson;
  };
  const all = json(['--max', '100000']).lines;
  assert.ok(all.length > 60, `${all.length} lines`);
  const forward: MergeJson['lines'] = [];
  for (let page = json(['--max', '25']); ; page = json(['--max', '25', '--after', page.next])) {
    forward.push(...page.lines);
    if (!page.next) break;
  }
  assert.deepEqual(forward, all);
  const backward: MergeJson['lines'][] = [];
  for (let page = json(['--max', '25', '--before', '2023-03-14 02:30:00']); ; page = json(['--max', '25', '--before', page.previous!])) {
    backward.unshift(page.lines);
    if (!page.truncated) break;
  }
  assert.deepEqual(backward.flat(), all);
  const human = runCli(['merge', dir, '--from', '2023-03-14 01:30:00', '--max', '3']);
  // The node column: each node's short name (the last part that tells them apart), as the Cluster Log view shows it.
  assert.match(human.stdout, /^2023-03-14 01:30:00\.\d{6} +│ 24\d +│ /);
  assert.match(human.stdout, /Read on with: --after m1,\d+,0,\d+,/);
});

test('a cursor that is not one, and --after with --before, are usage errors', () => {
  for (const args of [
    ['--after', 'garbage'],
    ['--before', 'm1,12,x,3,a,b'],
    ['--after', 'm1,1,0,1,a,b', '--before', 'm1,1,0,1,a,b'],
    ['--level', 'loud'],
    ['--source', 'kernel'],
  ]) {
    const r = runCli(['merge', sampleBundle(), ...args]);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /merge|--/);
  }
  const unknown = runCli(['merge', sampleBundle(), '--node', 'nowhere']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /--node nowhere: no such node/);
});

test('a stray line (its clock ten minutes behind, once, inside a stretch): placed among its neighbours with its own time kept, and paging stays exact', async () => {
  const root = path.join(tempDir('ql-merge-stray-'), 'bundle');
  const dir = path.join(root, '10_0_0_1', 'zookeeper');
  fs.mkdirSync(dir, { recursive: true });
  const lines: string[] = [];
  const zk = (s: number, msg: string) => {
    const t = new Date(Date.UTC(2023, 2, 14, 1, 0, 0) + s * 1000).toISOString();
    return `${t.slice(0, 10)} ${t.slice(11, 19)},000 [myid:1] - INFO  [main:X@1] - ${msg} ${'.'.repeat(120)}`;
  };
  for (let s = 0; s < 3000; s++) lines.push(s === 1500 ? zk(s - 600, 'stray') : zk(s, `tick ${s}`));
  fs.writeFileSync(path.join(dir, 'zookeeper.log'), `${lines.join('\n')}\n`);
  fs.writeFileSync(path.join(root, '10_0_0_1', 'other.log'), `${[0, 1000, 1440, 1500, 2000].map((s) => zk(s, `other ${s}`)).join('\n')}\n`);
  const ctx = await contextOf(root);
  const r = await service.mergedLines(ctx, { limit: 100_000 });
  const stray = r.lines.find((l) => l.text.includes('stray'))!;
  assert.ok(stray.ownTime !== undefined, 'the stray line is flagged');
  assert.equal(formatIso(stray.ownTime), '2023-03-14T01:15:00.000000');
  assert.ok(stray.time > stray.ownTime, 'placed later than its own time, among the lines around it');
  for (let i = 1; i < r.lines.length; i++) assert.ok(r.lines[i - 1].time <= r.lines[i].time, 'time never goes back');
  assert.equal(r.lines.length, 3005);
  assert.ok(
    r.notes.some((n) => /outside the checkpoints around them/.test(n.note)),
    JSON.stringify(r.notes),
  );
  const all = r.lines.map(key);
  for (const n of [1, 13]) {
    const window = { from: stray.time - 5e6, to: stray.time + 5e6 };
    assert.deepEqual(await pagedForward(ctx, n, window), await unpaged(ctx, window), `pages of ${n} around the stray line`);
  }
  assert.deepEqual(await pagedBackward(ctx, 500), all);
});
