import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, test } from 'node:test';
import * as zlib from 'node:zlib';
import { BUILTIN_ROLE_RULES } from '../../src/core/rules/roleRules';
import { formatIso, parseUserTime } from '../../src/core/time';
import { CHUNK_BYTES } from '../../src/indexer/readChunks';
import * as service from '../../src/service';
import { confined } from '../fsAudit';
import { tempDir } from '../helpers';
import { random } from '../fixtures/logWriter';

// Lines as the editor counts them: `\n`, `\r\n` and a lone `\r` each end a line. A bundle whose files mix
// the three (a seeded mix, with a CRLF and a lone CR placed exactly on the reader's chunk boundary) must
// give every line number — index events, leader terms, trace, cluster context, the file window — as
// the editor's own split of the text does, for plain and gzip files alike.

const SEEDS = [1, 7, 42];
/** VS Code's own rule (its text model splits at CRLF, CR and LF), written out here rather than taken from src. */
const EDITOR_BREAK = /\r\n|\r|\n/;

/** The fixtures' seeded PRNG, so a failing seed can be rerun. */
const rng = (seed: number) => random(String(seed));

function clock(ms: number): string {
  const s = Math.floor(ms / 1000);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(Math.floor(s / 3600))}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)},${String(ms % 1000).padStart(3, '0')}`;
}

/**
 * A ZooKeeper log of `tok-<i>` lines with seeded line endings, leader states every few hundred lines, and
 * the line end before byte CHUNK_BYTES placed so `boundary` ('\r\n' or '\r') starts at CHUNK_BYTES − 1.
 */
function zkLog(seed: number, boundary: '\r\n' | '\r'): string {
  const next = rng(seed);
  const ends = ['\n', '\n', '\n', '\r\n', '\r'];
  const parts: string[] = [];
  let bytes = 0;
  let placed = false;
  for (let i = 0; bytes < CHUNK_BYTES + 600_000; i++) {
    const t = clock(3_600_000 + i * 7);
    const state = i % 400 === 0 ? (i % 800 === 0 ? 'LEADING' : 'LOOKING') : undefined;
    const body = state ?? `tok-${i} ${'x'.repeat(Math.floor(next() * 160))}`;
    let line = `2023-03-14 ${t} [myid:1] - INFO  [QuorumPeer[myid=1]/0.0.0.0:2181:QuorumPeer@751] - ${body}`;
    let end = ends[Math.floor(next() * ends.length)];
    if (!placed && bytes + line.length + 400 >= CHUNK_BYTES && !state) {
      // Pad this line so its end starts on the last byte of the first chunk.
      line += ' '.repeat(CHUNK_BYTES - 1 - bytes - line.length);
      end = boundary;
      placed = true;
    }
    parts.push(line + end);
    bytes += line.length + end.length;
  }
  const text = parts.join('');
  assert.equal(text.slice(CHUNK_BYTES - 1, CHUNK_BYTES - 1 + boundary.length), boundary, 'boundary placed');
  return text;
}

/** The editor's line number of every `tok-<i>` and of every state line, by its own split. */
function editorLines(text: string): { tokens: Map<string, number>; states: number[] } {
  const tokens = new Map<string, number>();
  const states: number[] = [];
  text.split(EDITOR_BREAK).forEach((l, i) => {
    const m = /tok-\d+/.exec(l);
    if (m) tokens.set(m[0], i + 1);
    if (/ - (LEADING|LOOKING)$/.test(l)) states.push(i + 1);
  });
  return { tokens, states };
}

interface Case {
  seed: number;
  file: string;
  text: string;
}
const cases: Case[] = [];
let ctx: service.ServiceContext;

before(async () => {
  const root = path.join(tempDir('ql-crlf-'), 'bundle');
  for (const [n, seed] of SEEDS.entries()) {
    // Per seed: a plain file with a CRLF on the boundary, one with a lone CR there, and the latter gzipped.
    const node = (k: number) => `172_20_0_${10 * n + k}`;
    const add = (k: number, name: string, text: string, gzip = false) => {
      const file = `${node(k)}/zookeeper/${name}`;
      fs.mkdirSync(path.join(root, path.dirname(file)), { recursive: true });
      fs.writeFileSync(path.join(root, file), gzip ? zlib.gzipSync(text) : text);
      cases.push({ seed, file, text });
    };
    add(1, 'zookeeper.log', zkLog(seed, '\r\n'));
    const lone = zkLog(seed + 1000, '\r');
    add(2, 'zookeeper.log', lone);
    add(3, 'zookeeper.log.1.gz', lone, true);
  }
  const rules = [...BUILTIN_ROLE_RULES];
  const bundle = await confined({ bundle: root }, () => service.openBundle(root, { roleRules: rules, cacheDir: false }));
  ctx = { bundles: [bundle], rules, clockOffsetsMs: {}, label: formatIso };
});

test('the index counts lines as the editor does: line totals and every leader-state line', () => {
  const q = ctx.bundles[0].queries;
  for (const c of cases) {
    const f = q.file(c.file)?.file;
    assert.ok(f, c.file);
    const want = c.text.split(EDITOR_BREAK);
    const lines = want.at(-1) === '' ? want.length - 1 : want.length;
    assert.equal(f.lines, lines, `${c.file} (seed ${c.seed}): line total`);
  }
  const leaders = service.leaders(ctx, { role: 'all' });
  for (const c of cases) {
    const { states } = editorLines(c.text);
    const leading = states.filter((_, i) => i % 2 === 0);
    const starts = leaders.intervals.filter((iv) => iv.startSource.file === c.file).map((iv) => iv.startSource.line);
    assert.deepEqual(starts, leading, `${c.file} (seed ${c.seed}): leader terms start on the editor's LEADING lines`);
  }
});

test('trace gives every hit on the editor line, across the chunk boundary, for plain and gzip files', async () => {
  // More text than one answer holds: read page by page, as a user would.
  const r = { lines: [] as service.FoundLine[] };
  let from: number | undefined;
  for (let page = 0; ; page++) {
    assert.ok(page < 50, 'pages move on');
    const p = await service.trace(ctx, { text: 'tok-', from });
    r.lines.push(...p.lines);
    if (!p.truncated) break;
    from = p.next;
  }
  for (const c of cases) {
    const { tokens } = editorLines(c.text);
    const got = new Map(r.lines.filter((l) => l.location.file === c.file).map((l) => [/tok-\d+/.exec(l.text)![0], l.location.line]));
    assert.equal(got.size, tokens.size, `${c.file} (seed ${c.seed}): hits`);
    const wrong = [...tokens].filter(([tok, line]) => got.get(tok) !== line);
    assert.deepEqual(wrong.slice(0, 3), [], `${c.file} (seed ${c.seed}): ${wrong.length} hits on another line than the editor's`);
    for (const l of r.lines) assert.ok(!/[\r\n]/.test(l.text), 'a hit is one line');
  }
});

test('the file window and cluster context read the lines the editor shows at those numbers', async () => {
  const b = ctx.bundles[0];
  for (const c of cases.filter((k) => !k.file.endsWith('.gz'))) {
    const editor = c.text.split(EDITOR_BREAK);
    // Around the chunk boundary, where a reader that splits at '\n' only goes wrong first.
    const at = c.text.slice(0, CHUNK_BYTES).split(EDITOR_BREAK).length;
    const w = await service.fileWindow(b, c.file, at - 3, at + 3);
    assert.deepEqual(w.lines, editor.slice(at - 4, at + 3), `${c.file} (seed ${c.seed}): window at line ${at}`);
  }
  const center = parseUserTime('2023-03-14T01:01:00');
  assert.ok(center !== undefined);
  const r = await service.clusterContext(ctx, { time: center, windowSeconds: 2 });
  assert.deepEqual(r.truncatedFiles, []);
  for (const c of cases) {
    const editor = c.text.split(EDITOR_BREAK);
    const mine = r.lines.filter((l) => l.location.file === c.file);
    assert.ok(mine.length > 100, `${c.file}: lines in the window`);
    const wrong = mine.filter((l) => editor[l.location.line - 1] !== l.text);
    assert.deepEqual(wrong.slice(0, 3), [], `${c.file} (seed ${c.seed}): ${wrong.length} context lines not the editor's line`);
  }
});
