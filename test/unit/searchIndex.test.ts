import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { candidateBlocks, GRAM_FILTER_SHAPE, needleRows, SEGMENT_BLOCKS, SegmentFilter } from '../../src/core/search/gramBloom';
import { BUILTIN_ROLE_RULES } from '../../src/core/rules/roleRules';
import type { FileIndex } from '../../src/core/model';
import { grepFile, type GrepFileRequest } from '../../src/indexer/grepFile';
import { blockStarts, buildFileSearch } from '../../src/indexer/searchBuild';
import { SearchIndex, searchFile } from '../../src/indexer/searchStore';
import * as service from '../../src/service';
import type { BundleHandle, ServiceContext } from '../../src/service';
import { random } from '../fixtures/logWriter';
import { writeVariedBundle } from '../fixtures/variedBundle';
import { tempDir } from '../helpers';

// Issue 14: a search that skips blocks by the search index must answer exactly what reading every byte
// answers. Every check here compares the two on bundles generated from seeds, with queries taken from the
// generated text itself (so the generator decides nothing), and the blocks a search reads are checked
// against the bytes: a block that holds the needle is never skipped.

const ctxOf = (bundles: BundleHandle[]): ServiceContext => ({
  bundles,
  rules: BUILTIN_ROLE_RULES,
  clockOffsetsMs: {},
  label: (t) => new Date(t / 1000).toISOString(),
});

/** The same bundle with its search index dropped: what a full scan answers. */
const withoutIndex = (b: BundleHandle): BundleHandle => ({ ...b, search: undefined, searchMissing: 'off for the test' });

/** An answer without what reading less changes (bytes read, the index's note). */
function answer<T extends { search?: unknown; bytes?: number }>(r: T): T {
  return { ...r, search: undefined, bytes: undefined };
}

async function indexed(root: string): Promise<BundleHandle> {
  const cacheDir = tempDir('ql-search-cache-');
  const b = await service.openBundle(root, { roleRules: BUILTIN_ROLE_RULES, cacheDir });
  await service.buildBundleSearch(b, { workers: 0 });
  assert.ok(b.search, `search index built (${b.searchMissing ?? '?'})`);
  return b;
}

/** Substrings of random lines of the bundle's plain files: identifiers, words, pieces of continuation lines. */
function queriesFrom(b: BundleHandle, seed: number, n: number): string[] {
  const rnd = random(`queries-${seed}`);
  const files = b.index.files.filter((f) => !f.gzip && f.size > 0 && !f.skipped);
  const out: string[] = [];
  while (out.length < n) {
    const f = files[Math.floor(rnd() * files.length)];
    const buf = fs.readFileSync(path.join(b.root, f.path));
    const at = Math.floor(rnd() * buf.length);
    const ls = buf.lastIndexOf(10, at) + 1;
    let le = buf.indexOf(10, at);
    if (le < 0) le = buf.length;
    const line = buf.toString('latin1', ls, le).replace(/\r$/, '');
    if (line.length < 6) continue;
    const from = Math.floor(rnd() * (line.length - 4));
    const q = line.slice(from, from + 4 + Math.floor(rnd() * 20)).trim();
    if (q.length >= 4 && !/[\x80-\xff]/.test(q)) out.push(q);
  }
  return out;
}

for (const seed of [1, 2, 3]) {
  test(`seed ${seed}: trace, count and stats answer the same with the search index as reading every byte`, async () => {
    const v = writeVariedBundle(path.join(tempDir(`ql-varied-${seed}-`), 'b'), { seed, mb: 8 });
    const b = await indexed(v.root);
    const ctx = ctxOf([b]);
    const full = ctxOf([withoutIndex(b)]);
    const queries = [v.queries.rare, v.queries.phrase, ...queriesFrom(b, seed, 25)];
    let skipped = 0;
    for (const text of queries) {
      const a = await service.trace(ctx, { text });
      const e = await service.trace(full, { text });
      assert.deepEqual(answer(a), answer(e), `trace ${JSON.stringify(text)}`);
      skipped += a.search?.skippedBytes ?? 0;
    }
    for (const text of [v.queries.regex, 'pid: [0-9]+ epoch', 'sessionid 0x[0-9a-f]+']) {
      assert.deepEqual(
        answer(await service.trace(ctx, { text, regex: true })),
        answer(await service.trace(full, { text, regex: true })),
        text,
      );
      const by = 'hour' as const;
      assert.deepEqual(
        answer(await service.count(ctx, { pattern: text, regex: true, by })),
        answer(await service.count(full, { pattern: text, regex: true, by })),
        `count ${text}`,
      );
    }
    assert.deepEqual(
      answer(await service.stats(ctx, { regex: v.queries.stats })),
      answer(await service.stats(full, { regex: v.queries.stats })),
    );
    // The index did rule blocks out (else this compared two full scans), and the rare value was found.
    assert.ok(skipped > 0, 'the search index skipped nothing');
    assert.ok((await service.trace(ctx, { text: v.queries.rare })).lines.length > 0, 'the rare value is in the bundle');
  });
}

test('a block that holds the needle is never ruled out (every block of every summarised file, random needles)', async () => {
  const v = writeVariedBundle(path.join(tempDir('ql-varied-blocks-'), 'b'), { seed: 4, mb: 6 });
  const b = await indexed(v.root);
  let checked = 0;
  for (const f of b.index.files) {
    const e = b.search?.current(f);
    if (!e) continue;
    const buf = fs.readFileSync(path.join(b.root, f.path));
    for (const needle of queriesFrom(b, checked, 10)) {
      const rows = needleRows(Buffer.from(needle, 'latin1'));
      if (!rows) continue;
      const ranges = b.search?.candidates(f, rows) ?? [];
      const inRanges = (off: number) => ranges.some(([s, t]) => off >= s && off < t);
      for (let i = buf.indexOf(needle, 0, 'latin1'); i >= 0; i = buf.indexOf(needle, i + 1, 'latin1')) {
        assert.ok(inRanges(i), `${f.path}: "${needle}" at ${i} was ruled out`);
        checked++;
      }
    }
  }
  assert.ok(checked > 20, `${checked} occurrences checked`);
});

test('reading any set of blocks finds exactly the lines of a full read that lie in them, with the same line numbers and times', async () => {
  const v = writeVariedBundle(path.join(tempDir('ql-varied-ranges-'), 'b'), { seed: 5, mb: 6 });
  const b = await indexed(v.root);
  const rnd = random('ranges');
  const f = [...b.index.files].filter((x) => !x.gzip).sort((x, y) => y.checkpoints.length - x.checkpoints.length)[0];
  const starts = blockStarts(f.checkpoints);
  assert.ok(starts.length > 10, `${starts.length} blocks`);
  const req: GrepFileRequest = {
    absPath: path.join(b.root, f.path),
    gzip: false,
    format: f.format,
    checkpoints: f.checkpoints,
    pattern: { source: '1', regex: false },
    maxMatches: 1e7,
    size: f.size,
  };
  const whole = await grepFile(req);
  assert.ok(whole.hits.length > 1000);
  for (let trial = 0; trial < 5; trial++) {
    // Random blocks, some adjacent and joined, as the index hands them over.
    const ranges: [number, number][] = [];
    starts.forEach((s, i) => {
      if (rnd() < 0.3) return;
      const end = starts[i + 1] ?? f.size;
      const last = ranges[ranges.length - 1];
      if (last && last[1] === s && rnd() < 0.5) last[1] = end;
      else ranges.push([s, end]);
    });
    const part = await grepFile({ ...req, ranges });
    const expected = whole.hits.filter((h) => ranges.some(([s, e]) => h.offset >= s && h.offset < e));
    assert.deepEqual(part.hits, expected, `trial ${trial}`);
  }
});

test('an appended file is extended, not reread: its filters equal a fresh build, and answers stay those of a full scan', async () => {
  const v = writeVariedBundle(path.join(tempDir('ql-varied-append-'), 'b'), { seed: 6, mb: 6 });
  const cacheDir = tempDir('ql-search-append-');
  const open = () => service.openBundle(v.root, { roleRules: BUILTIN_ROLE_RULES, cacheDir });
  const first = await open();
  await service.buildBundleSearch(first, { workers: 0 });
  // Nothing changed: the saved index is left as it is, not rewritten.
  const file = first.search?.file as string;
  const written = fs.statSync(file).mtimeMs;
  const again = await service.buildBundleSearch(first, { workers: 0 });
  assert.equal(again?.built, 0);
  assert.ok((again?.kept ?? 0) > 0);
  assert.equal(fs.statSync(file).mtimeMs, written, 'an unchanged bundle does not rewrite its search index');
  const grown = first.index.files.find((f) => !f.gzip && first.search?.current(f) && /metad/.test(f.path)) as FileIndex;
  const abs = path.join(v.root, grown.path);
  const tail =
    fs.readFileSync(abs, 'latin1').split('\n').slice(-2000, -1).join('\n') + '\nI0314 23:59:59.000000  1001 x.cc:1] appended-needle-42\n';
  fs.appendFileSync(abs, tail, 'latin1');
  const second = await open();
  // Before the rebuild the grown file is read whole, and the answer says so.
  const before = await service.trace(ctxOf([second]), { text: 'appended-needle-42' });
  assert.equal(before.lines.length, 1);
  assert.match(before.search?.note ?? '', /1 file changed since the search index was built/);
  const stats = await service.buildBundleSearch(second, { workers: 0 });
  assert.equal(stats?.extended, 1, JSON.stringify(stats));
  assert.equal(stats?.built, 0, 'no other file was read');
  assert.ok((stats?.kept ?? 0) > 0);
  const f = second.index.files.find((x) => x.path === grown.path) as FileIndex;
  const saved = second.search?.fileSearch(second.search.current(f)!);
  const fresh = await buildFileSearch({
    absPath: abs,
    root: v.root,
    path: f.path,
    size: f.size,
    mtimeMs: f.mtimeMs,
    checkpoints: f.checkpoints,
  });
  assert.deepEqual(saved?.starts, fresh?.starts);
  assert.deepEqual(
    saved?.segments.map((m) => Buffer.from(m).toString('base64')),
    fresh?.segments.map((m) => Buffer.from(m).toString('base64')),
  );
  const ctx = ctxOf([second]);
  const full = ctxOf([withoutIndex(second)]);
  for (const text of ['appended-needle-42', v.queries.rare, ...queriesFrom(second, 6, 10)])
    assert.deepEqual(answer(await service.trace(ctx, { text })), answer(await service.trace(full, { text })), text);
  assert.equal((await service.trace(ctx, { text: 'appended-needle-42' })).search?.note, undefined);
});

test("a needle in a continuation line deep inside an entry longer than a block is found, with its entry's time", async () => {
  const root = path.join(tempDir('ql-long-entry-'), 'b');
  const file = path.join(root, '10_0_0_1', 'zookeeper', 'zookeeper.log');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const lines: string[] = [];
  const two = (n: number) => String(n).padStart(2, '0');
  const stamp = (i: number) => `2023-03-14 ${two(1 + Math.floor(i / 3600))}:${two(Math.floor(i / 60) % 60)}:${two(i % 60)},000`;
  for (let i = 0; i < 9000; i++) {
    lines.push(`${stamp(i)} [myid:1] - INFO  [main:Foo@1] - ordinary line ${i} ${'z'.repeat(i % 90)}`);
    // Entries of 3000 continuation lines (~150 KB): longer than a block, so the next checkpoint is after them.
    if (i % 1500 === 700)
      for (let k = 0; k < 3000; k++) lines.push(`\tat org.example.Deep.frame${k}(Deep.java:${k})${k === 2500 ? ' deep-needle' : ''}`);
  }
  fs.writeFileSync(file, lines.join('\n') + '\n');
  const b = await indexed(root);
  const f = b.index.files[0];
  assert.ok(b.search?.current(f), 'the file is summarised');
  const ctx = ctxOf([b]);
  const a = await service.trace(ctx, { text: 'deep-needle' });
  const e = await service.trace(ctxOf([withoutIndex(b)]), { text: 'deep-needle' });
  assert.equal(a.lines.length, 6);
  assert.deepEqual(answer(a), answer(e));
  // Each continuation line carries its entry's time: the stamp of the dated line that opened it.
  assert.deepEqual(
    a.lines.map((l) => l.timeLabel?.slice(11, 19)),
    [700, 2200, 3700, 5200, 6700, 8200].map((i) => stamp(i).slice(11, 19)),
  );
  // The six long entries are half the file and each holds the needle; most of the rest is skipped.
  assert.ok((a.search?.skippedBytes ?? 0) > f.size / 3, `${a.search?.skippedBytes ?? 0} of ${f.size} bytes skipped`);
});

test('the bit-sliced filter keeps every gram of each block and rules out blocks that lack one', () => {
  const rnd = random('filter');
  const blocks = Array.from({ length: 40 }, (_, i) =>
    Buffer.from(Array.from({ length: 200 }, () => `w${Math.floor(rnd() * 5000)}`).join(' ') + ` [only-in-${i}]\n`),
  );
  const filter = new SegmentFilter(blocks.length);
  blocks.forEach((bytes, i) => {
    // In two feeds: a gram spanning the two is still added.
    filter.add(bytes, 0, 7, i);
    filter.add(bytes, 7, bytes.length, i);
  });
  const m = filter.matrix;
  const stride = Math.ceil(blocks.length / 8);
  const row = (r: number) => m.subarray(r * stride, (r + 1) * stride);
  for (let i = 0; i < blocks.length; i++) {
    const rows = needleRows(Buffer.from(`[only-in-${i}]`));
    assert.ok(rows);
    const got = candidateBlocks(blocks.length, rows, row);
    assert.ok(got.includes(i), `block ${i} holds its own needle`);
    assert.ok(got.length <= 3, `[only-in-${i}]: ${got.length} candidates`);
    // A needle drawn from inside the block (spanning the first feed's end) is found too.
    assert.ok(candidateBlocks(blocks.length, needleRows(blocks[i].subarray(3, 12))!, row).includes(i));
  }
  assert.equal(needleRows(Buffer.from('abc')), undefined, 'under 4 bytes: no gram, no ruling');
  assert.equal(needleRows(Buffer.from('ab\ncd')), undefined, 'a needle across lines is not ruled on');
  assert.ok(SEGMENT_BLOCKS % 8 === 0);
});

test('digit runs: a block holding every 4-gram of `pid: 65380` but no number starting 65380 is ruled out, and no block holding a needle is, however its bytes were fed', () => {
  const rnd = random('runs');
  const num = () => String(Math.floor(rnd() * 10 ** (1 + Math.floor(rnd() * 8))));
  const blocks = Array.from({ length: 48 }, () =>
    Buffer.from(
      Array.from({ length: 120 }, () => `I0314 10:10:${num()}.${num()} pid: ${num()} epoch: ${num()} 0x${num()}e`).join('\n') + '\n',
    ),
  );
  // Every 4-gram of the needle is here (`pid:` … ` 653`, `6538`, `5380`); the run 65380 is not the start of one.
  const decoy = Buffer.from('I0314 pid: 65381 165380\n');
  const needle = Buffer.from('pid: 65380');
  for (let i = 0; i + 4 <= needle.length; i++) assert.ok(decoy.includes(needle.subarray(i, i + 4)), 'the decoy has each 4-gram');
  // A needle whose digits start at its first byte may be the tail of a longer run: it must not ask for a key.
  const tail = Buffer.from('x165380 new\n');
  const all = [...blocks, decoy, tail];
  const filter = new SegmentFilter(all.length);
  all.forEach((bytes, b) => {
    // Fed in pieces of 1-9 bytes, so runs and grams span feeds.
    for (let at = 0; at < bytes.length;) {
      const to = Math.min(bytes.length, at + 1 + Math.floor(rnd() * 9));
      filter.add(bytes, at, to, b);
      at = to;
    }
  });
  const m = filter.matrix;
  const stride = Math.ceil(all.length / 8);
  const row = (r: number) => m.subarray(r * stride, (r + 1) * stride);
  const candidates = (n: Uint8Array) => candidateBlocks(all.length, needleRows(n)!, row);
  assert.ok(!candidates(needle).includes(blocks.length), 'the decoy is ruled out by the run key');
  assert.ok(candidates(Buffer.from('65380 new')).includes(blocks.length + 1), 'a run cut at the needle start is still found');
  assert.ok(candidates(Buffer.from(': 65381 1')).includes(blocks.length), 'a run cut at the needle end is still found');
  let checked = 0;
  all.forEach((bytes, b) => {
    for (let k = 0; k < 40; k++) {
      const from = Math.floor(rnd() * bytes.length);
      const n = bytes.subarray(from, from + 4 + Math.floor(rnd() * 16));
      if (n.length < 4 || n.includes(10)) continue;
      assert.ok(candidates(n).includes(b), `block ${b} holds "${n.toString('latin1')}"`);
      checked++;
    }
  });
  assert.ok(checked > 1000, `${checked} needles checked`);
});

test('a search index of another shape is refused with both shapes named, searches read every byte, and the next build replaces it', async () => {
  const v = writeVariedBundle(path.join(tempDir('ql-varied-shape-'), 'b'), { seed: 6, mb: 3 });
  const cacheDir = tempDir('ql-search-shape-');
  const open = () => service.openBundle(v.root, { roleRules: BUILTIN_ROLE_RULES, cacheDir });
  const b = await open();
  await service.buildBundleSearch(b, { workers: 0 });
  const file = searchFile(cacheDir, b.root);
  const bytes = fs.readFileSync(file);
  const shape = Buffer.from(JSON.stringify(GRAM_FILTER_SHAPE));
  const at = bytes.indexOf(shape);
  assert.ok(at > 0 && at < 4096, 'the shape is in the header');
  // As an index of the same version but other filters would be (the same length, so the header still parses).
  Buffer.from(JSON.stringify(GRAM_FILTER_SHAPE.replace(/×\d$/, '×0'))).copy(bytes, at);
  fs.writeFileSync(file, bytes);
  const refused = await SearchIndex.load(cacheDir, b.root);
  assert.equal(refused.index, undefined);
  assert.match(refused.problem ?? '', /built in format \d+ \(.*×0\), this version uses \d+ \(.*×\d\): it is rebuilt/);
  const again = await open();
  assert.equal(again.search, undefined);
  assert.equal(again.searchMissing, refused.problem);
  const pattern = queriesFrom(again, 6, 1)[0];
  const full = await service.count(ctxOf([again]), { pattern, by: 'day' });
  await service.buildBundleSearch(again, { workers: 0 });
  assert.ok(again.search, `rebuilt (${again.searchMissing ?? '?'})`);
  assert.ok((await SearchIndex.load(cacheDir, b.root)).index, 'the new file loads');
  const indexed = await service.count(ctxOf([again]), { pattern, by: 'day' });
  assert.equal(typeof indexed.search?.skippedBytes, 'number', 'the rebuilt index answers');
  assert.deepEqual(answer(indexed), answer(full));
});

test('the Cluster Log view with include filters reads only what the search index allows, and pages exactly as a full read does', async () => {
  const v = writeVariedBundle(path.join(tempDir('ql-varied-merge-'), 'b'), { seed: 7, mb: 6 });
  const b = await indexed(v.root);
  const ctx = ctxOf([b]);
  const full = ctxOf([withoutIndex(b)]);
  const cases: service.MergeParams[] = [
    { include: [v.queries.rare] },
    { include: ['Processing srvr command'] },
    { include: [v.queries.regex, 'sessionid 0x[0-9a-f]+'], exclude: ['127\\.0\\.0\\.1'] },
    { include: ['epoch: [0-9]+'], level: 'W' },
    { include: [v.queries.rare], direction: 'backward' },
  ];
  let skipped = 0;
  for (const params of cases) {
    // Page by page, both ways the same lines and cursors.
    let a = await service.mergedLines(ctx, { ...params, limit: 40 });
    let e = await service.mergedLines(full, { ...params, limit: 40 });
    for (let page = 0; page < 6; page++) {
      skipped += a.search?.skippedBytes ?? 0;
      assert.equal(e.search, undefined);
      assert.deepEqual(answer(a), answer(e), `${JSON.stringify(params)}, page ${page}`);
      const cursor = params.direction === 'backward' ? a.previous : a.next;
      if (!cursor) break;
      a = await service.mergedLines(ctx, { ...params, limit: 40, cursor });
      e = await service.mergedLines(full, { ...params, limit: 40, cursor });
    }
  }
  assert.ok((await service.mergedLines(ctx, { include: [v.queries.rare] })).lines.length > 0, 'the rare value is shown');
  assert.ok(skipped > 0, 'the search index ruled stretches out');
  // An include with no plain text to look for (or case folded) reads everything.
  assert.equal((await service.mergedLines(ctx, { include: ['[0-9]{5}'] })).search, undefined);
});
