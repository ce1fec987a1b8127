import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EarliestHits } from '../../src/core/workflows/earliestHits';
import { random } from '../fixtures/logWriter';

// The bounded set behind trace: whatever order files finish in, the answer is the same, it is within its
// bounds, and it is exactly "every line before the horizon" of what the files gave.

interface Hit {
  file: number;
  line: number;
  time?: number;
  text: string;
}

/** The fixtures' seeded PRNG, so a failing seed can be rerun. */
const rng = (seed: number) => random(String(seed));

/** Files of hits in time order (as a file is), some cut at `perFile` lines like a file search at its limit. */
function files(seed: number, perFile: number): { hits: Hit[]; cutAt?: number; all: Hit[] }[] {
  const next = rng(seed);
  return Array.from({ length: 3 + Math.floor(next() * 12) }, (_, file) => {
    let t = Math.floor(next() * 1000);
    const all: Hit[] = Array.from({ length: Math.floor(next() * 3 * perFile) }, (_, line) => {
      t += Math.floor(next() * 50); // ties happen
      const undated = next() < 0.03;
      return { file, line, time: undated ? undefined : t, text: 'x'.repeat(1 + Math.floor(next() * 80)) };
    });
    const hits = all.slice(0, perFile);
    const dated = hits.filter((h) => h.time !== undefined);
    return { hits, all, cutAt: all.length > perFile ? dated.at(-1)?.time : undefined };
  });
}

const key = (h: Hit) => `${h.file}:${h.line}`;
const byTime = (a: Hit, b: Hit) => (a.time ?? Infinity) - (b.time ?? Infinity) || a.file - b.file || a.line - b.line;

function run(batches: ReturnType<typeof files>, maxLines: number, maxChars: number) {
  const set = new EarliestHits<Hit>(
    maxLines,
    maxChars,
    (h) => h.time,
    (h) => h.text.length,
    (a, b) => a.file - b.file || a.line - b.line,
  );
  for (const b of batches) set.add(b.hits, b.cutAt);
  const r = set.result();
  return { ...r, hits: [...r.hits].sort(byTime) };
}

test('the same answer whatever order the files finish in, within its bounds, and complete before its horizon', () => {
  for (let seed = 1; seed <= 200; seed++) {
    const batches = files(seed, 40);
    const maxLines = 20 + (seed % 7) * 15;
    const maxChars = 1500 + (seed % 5) * 2000;
    const a = run(batches, maxLines, maxChars);
    const shuffled = [...batches].sort(() => rng(seed * 31)() - 0.5).reverse();
    const b = run(shuffled, maxLines, maxChars);
    assert.deepEqual(a.hits.map(key), b.hits.map(key), `seed ${seed}: order of arrival changed the answer`);
    assert.equal(a.horizon, b.horizon);
    assert.ok(a.hits.length <= maxLines, `seed ${seed}: ${a.hits.length} lines over ${maxLines}`);
    assert.ok(a.hits.reduce((n, h) => n + h.text.length, 0) <= maxChars || a.crowded !== undefined, `seed ${seed}: chars over the bound`);
    // Truth: every line any file holds (read whole), before the horizon.
    const truth = batches.flatMap((f) => f.all).sort(byTime);
    if (a.horizon === undefined && !a.truncated) assert.deepEqual(a.hits.map(key), truth.map(key), `seed ${seed}: uncut but incomplete`);
    else if (a.horizon !== undefined && a.crowded === undefined) {
      const want = truth.filter((h) => h.time !== undefined && h.time < a.horizon!);
      assert.deepEqual(a.hits.map(key), want.map(key), `seed ${seed}: not every line before the horizon`);
      assert.ok(a.hits.length > 0 || want.length === 0);
    }
    assert.equal(
      a.truncated,
      a.horizon !== undefined || truth.length > a.hits.length,
      `seed ${seed}: truncated says whether lines are missing`,
    );
  }
});

test('lines all at one instant past the bound: the bound is kept and the horizon moves on by one microsecond', () => {
  const same = Array.from({ length: 50 }, (_, line): Hit => ({ file: 0, line, time: 1000, text: 'a' }));
  const set = new EarliestHits<Hit>(
    10,
    1e6,
    (h) => h.time,
    (h) => h.text.length,
  );
  set.add(same);
  const r = set.result();
  assert.equal(r.hits.length, 10);
  assert.equal(r.crowded, 1000);
  assert.equal(r.horizon, 1001);
  assert.equal(r.truncated, true);
});
