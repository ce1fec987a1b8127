import assert from 'node:assert/strict';
import { test } from 'node:test';
import { prettyJsonChunks } from '../../src/cli/prettyJson';

const written = (v: unknown): { text: string; chunks: number } => {
  const parts = [...prettyJsonChunks(v)];
  return { text: parts.join(''), chunks: parts.length };
};

/** A seeded value of every JSON shape, including what JSON.stringify drops or turns into null. */
function randomValue(next: () => number, depth: number): unknown {
  const pick = Math.floor(next() * (depth > 4 ? 6 : 9));
  const text = () => ['', 'a', 'line\nwith "quotes" \\ and \u2028', '中文 ✓', '\u0000\u001f'][Math.floor(next() * 5)];
  switch (pick) {
    case 0:
      return null;
    case 1:
      return next() < 0.5;
    case 2:
      return Math.round((next() - 0.5) * 1e6) / 7;
    case 3:
      return text();
    case 4:
      return undefined;
    case 5:
      return [Number.NaN, Number.POSITIVE_INFINITY, -0][Math.floor(next() * 3)];
    case 6:
      return Array.from({ length: Math.floor(next() * 5) }, () => randomValue(next, depth + 1));
    case 7: {
      const o: Record<string, unknown> = {};
      for (let i = Math.floor(next() * 5); i > 0; i--) o[text() + i] = randomValue(next, depth + 1);
      return o;
    }
    default:
      return {
        when: new Date(Date.UTC(2023, 2, 14, 0, 0, Math.floor(next() * 60))),
        f: () => 1,
        s: Symbol('x'),
        n: randomValue(next, depth + 1),
      };
  }
}

test('writes the same characters as JSON.stringify(value, null, 2), for seeded values of every shape', () => {
  for (let seed = 1; seed <= 300; seed++) {
    let x = seed;
    const next = () => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648;
    const v = { top: randomValue(next, 0), list: [randomValue(next, 0), randomValue(next, 0)], deep: { a: { b: [randomValue(next, 0)] } } };
    assert.equal(written(v).text, JSON.stringify(v, null, 2), `seed ${seed}`);
    const bare = randomValue(next, 0);
    if (bare !== undefined) assert.equal(written(bare).text, JSON.stringify(bare, null, 2), `seed ${seed}, bare`);
  }
});

test('a trace-sized answer is written in pieces of about a megabyte, not as one string', () => {
  const hits = Array.from({ length: 40_000 }, (_, i) => ({
    node: 'n1',
    file: 'a/zookeeper.log',
    line: i + 1,
    time: null,
    text: `line ${i} ${'x'.repeat(60)}`,
  }));
  const v = { query: 'x', truncated: false, hits, empty: [], none: {} };
  const w = written(v);
  assert.equal(w.text, JSON.stringify(v, null, 2));
  assert.ok(w.chunks >= 4, `${w.chunks} writes for ${w.text.length} characters`);
});
