import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, test } from 'node:test';
import * as zlib from 'node:zlib';
import type { FileIndex } from '../../src/core/model';
import { indexBundle } from '../../src/indexer/bundleIndexer';
import { chunks, type ReadBounds } from '../../src/indexer/readChunks';
import { runCli, tempDir } from '../helpers';

// Damaged and concatenated gzip files, made from a ZooKeeper log: every line inflated before the break is
// indexed, searched and shown in context (what zlib gives for the longest prefix it accepts), and a note
// says where the file broke; a concatenated .gz is read whole.

const SYNC = { finishFlush: zlib.constants.Z_SYNC_FLUSH };
const zcat = spawnSync('gzip', ['--version']).status === 0;

/** A ZooKeeper 3.4 log: a line every 50 ms with a session id and a hash (little to compress: the .gz spans two zlib pieces of 1 MB). */
function zookeeperLog(lines: number, seed = 7): string {
  // mulberry32: hashes compress as little as real ones.
  let x = seed;
  const hex = () => {
    x = (x + 0x6d2b79f5) | 0;
    let t = Math.imul(x ^ (x >>> 15), 1 | x);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0).toString(16).padStart(8, '0');
  };
  const out: string[] = [];
  const t0 = Date.UTC(2023, 2, 14, 1, 0, 0);
  for (let i = 0; i < lines; i++) {
    const t = new Date(t0 + i * 50).toISOString();
    const stamp = `${t.slice(0, 10)} ${t.slice(11, 19)},${t.slice(20, 23)}`;
    const msg = i % 997 === 0 ? 'LEADING' : `Processed session 0x${hex()}${hex()} digest ${hex()}${hex()}${hex()}${hex()}`;
    out.push(`${stamp} [myid:1] - INFO  [QuorumPeer[myid=1]/0.0.0.0:2181:QuorumPeer@909] - ${msg}`);
  }
  return `${out.join('\n')}\n`;
}

/** What zlib inflates from the longest prefix it takes without error, and that prefix's length (the break). */
function beforeBreak(gz: Buffer): { text: Buffer; at?: number } {
  try {
    return { text: zlib.gunzipSync(gz, SYNC) };
  } catch {
    /* bisect below */
  }
  let lo = 0;
  let hi = gz.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    try {
      zlib.gunzipSync(gz.subarray(0, mid), SYNC);
      lo = mid;
    } catch {
      hi = mid - 1;
    }
  }
  return { text: lo > 0 ? zlib.gunzipSync(gz.subarray(0, lo), SYNC) : Buffer.alloc(0), at: lo };
}

/** Lines as the index counts them: a last line without its newline is one. */
const lineCount = (b: Buffer) => b.toString('latin1').split('\n').length - (b.length === 0 || b[b.length - 1] === 10 ? 1 : 0);

const log = zookeeperLog(60_000);
const whole = zlib.gzipSync(log);

/** Damage that breaks the deflate structure (not only the checksum): the first run of bytes past the middle that does. */
function structurallyDamaged(): Buffer {
  for (let at = whole.length >> 1; at < whole.length - 4096; at += 4099) {
    const b = Buffer.from(whole);
    b.fill(0xff, at, at + 16);
    try {
      zlib.gunzipSync(b);
    } catch (e) {
      if ((e as Error).message !== 'incorrect data check') return b;
    }
  }
  throw new Error('no structural damage found');
}

const half = log.indexOf('\n', log.length >> 1) + 1;
const cases: Record<string, Buffer> = {
  garbage: Buffer.concat([whole, Buffer.from('trailing garbage, not gzip\n')]),
  flipped: (() => {
    const b = Buffer.from(whole);
    b[b.length >> 1] ^= 0xff;
    return b;
  })(),
  broken: structurallyDamaged(),
  small: Buffer.concat([zlib.gzipSync(log.slice(0, 20_000)), Buffer.from('garbage')]),
};

let root: string;
let twin: string;
let files: Map<string, FileIndex>;

before(async () => {
  // One bundle with the damaged files, and a twin holding, as plain files, exactly what zlib recovers.
  root = path.join(tempDir('ql-gz-'), 'bundle');
  twin = path.join(tempDir('ql-gz-twin-'), 'bundle');
  Object.entries(cases).forEach(([name, gz], i) => {
    const rel = path.join(`10_0_0_${i + 1}`, name);
    fs.mkdirSync(path.join(root, rel), { recursive: true });
    fs.writeFileSync(path.join(root, rel, 'zookeeper.log.1.gz'), gz);
    fs.mkdirSync(path.join(twin, rel), { recursive: true });
    fs.writeFileSync(path.join(twin, rel, 'zookeeper.log.1'), beforeBreak(gz).text);
  });
  const bundle = await indexBundle(root, { workers: 0 });
  files = new Map(bundle.files.map((f) => [f.path.split('/')[1], f]));
});

for (const name of Object.keys(cases))
  test(`a ${name} gzip: the lines zlib inflates before the break are indexed, and a note says where it broke`, () => {
    const f = files.get(name);
    assert.ok(f);
    const ref = beforeBreak(cases[name]);
    assert.ok(ref.at !== undefined, 'the case is damaged');
    assert.ok(lineCount(ref.text) > 0);
    assert.equal(f.lines, lineCount(ref.text));
    const note = f.notes.find((n) => n.startsWith('corrupt gzip'));
    assert.equal(
      note?.split(' (zlib')[0],
      `corrupt gzip at byte ${ref.at} (of the compressed file): ${f.lines} lines recovered`,
      f.notes.join('; '),
    );
    assert.ok(!f.notes.includes('empty file'));
  });

test('the damage is where zlib says: checksum, garbage after the end, a broken block', () => {
  assert.match(files.get('flipped')?.notes.join() ?? '', /incorrect data check: the checksum at the end does not match/);
  assert.match(files.get('garbage')?.notes.join() ?? '', /incorrect header check: what follows is not gzip/);
  assert.equal(files.get('garbage')?.lines, 60_000, 'garbage after a whole member loses no line');
  assert.ok((files.get('broken')?.lines ?? 0) < 60_000);
});

test('zcat prints the same lines before the break for garbage and a bad checksum', { skip: !zcat && 'no gzip' }, () => {
  for (const name of ['garbage', 'flipped', 'small']) {
    const r = spawnSync('gzip', ['-dc'], { input: cases[name], maxBuffer: 64 << 20 });
    assert.notEqual(r.status, 0, `${name}: zcat reports the damage`);
    assert.equal(lineCount(r.stdout), files.get(name)?.lines, name);
  }
});

test('count, trace and context read the same recovered lines as the index, and do not fail', () => {
  const json = <T>(args: string[]): T => {
    const r = runCli([...args, '--json', '--no-cache']);
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout) as T;
  };
  for (const pattern of ['Processed session', 'LEADING']) {
    assert.deepEqual(json(['count', root, pattern, '--by', 'hour']), json(['count', twin, pattern, '--by', 'hour']), pattern);
  }
  type Trace = { hits: { node: string; line: number; time: string; text: string }[]; unreadable: unknown[] };
  const strip = (t: Trace) => t.hits.map((h) => `${h.node} ${h.line} ${h.time} ${h.text}`);
  const a = json<Trace>(['trace', root, 'LEADING']);
  assert.deepEqual(strip(a), strip(json<Trace>(['trace', twin, 'LEADING'])));
  assert.deepEqual(a.unreadable, []);
  // The last seconds before the break: the context reader reads up to it, and says it stopped there.
  const last = files.get('broken')?.lastTime ?? 0;
  const at = new Date(last / 1000 - 2000).toISOString().slice(0, 23);
  type Context = { lines: { node: string; line: number; text: string }[]; unreadable: unknown[]; notes: { file: string; note: string }[] };
  const ctx = json<Context>(['context', root, at, '--window', '5s']);
  const ctxTwin = json<Context>(['context', twin, at, '--window', '5s']);
  const rows = (c: Context) => c.lines.map((l) => `${l.node} ${l.line} ${l.text}`);
  assert.ok(ctx.lines.length > 0);
  assert.deepEqual(rows(ctx), rows(ctxTwin));
  assert.deepEqual(ctx.unreadable, []);
  assert.ok(
    ctx.notes.some((n) => n.file.endsWith('broken/zookeeper.log.1.gz') && /corrupt gzip at byte/.test(n.note)),
    JSON.stringify(ctx.notes),
  );
});

test('a concatenated .gz (two members) is read whole, with no note of damage or truncation', async () => {
  const dir = path.join(tempDir('ql-gz-multi-'), 'bundle');
  fs.mkdirSync(path.join(dir, '10_0_0_1'), { recursive: true });
  const two = Buffer.concat([zlib.gzipSync(log.slice(0, half)), zlib.gzipSync(log.slice(half))]);
  fs.writeFileSync(path.join(dir, '10_0_0_1', 'zookeeper.log.1.gz'), two);
  fs.writeFileSync(path.join(dir, '10_0_0_1', 'zookeeper.log.2.gz'), two.subarray(0, two.length - 5000));
  const bundle = await indexBundle(dir, { workers: 0 });
  const [multi, cut] = bundle.files;
  assert.equal(multi.lines, 60_000);
  assert.deepEqual(multi.notes, []);
  assert.equal(multi.events.filter((e) => e.kind === 'zkState').length, log.split('LEADING').length - 1, 'events from both members');
  assert.ok(cut.lines > 30_000 && cut.lines < 60_000);
  assert.ok(
    cut.notes.some((n) => /^gzip stream truncated/.test(n)),
    cut.notes.join('; '),
  );
  const bounds: ReadBounds = {};
  let bytes = 0;
  for await (const c of chunks(path.join(dir, '10_0_0_1', 'zookeeper.log.1.gz'), true, 0, bounds)) bytes += c.length;
  assert.equal(bytes, Buffer.byteLength(log));
  assert.deepEqual([bounds.seen?.truncated, bounds.seen?.corrupt], [undefined, undefined]);
});

test('the reader hands over every byte zlib inflates before the break, whatever the damage', async () => {
  const dir = tempDir('ql-gz-bytes-');
  // Damage at spread positions, in the small file's single piece and across the large one's pieces.
  for (const [name, source] of [
    ['small', zlib.gzipSync(log.slice(0, 200_000))],
    ['large', whole],
  ] as const) {
    for (let k = 1; k <= 6; k++) {
      const at = Math.floor((source.length * k) / 7);
      const gz = Buffer.from(source);
      for (let i = 0; i < 32; i++) gz[at + i] = (i * 131 + k) & 255;
      const file = path.join(dir, `${name}-${k}.gz`);
      fs.writeFileSync(file, gz);
      const bounds: ReadBounds = {};
      const got: Buffer[] = [];
      for await (const c of chunks(file, true, 0, bounds)) got.push(Buffer.from(c));
      const ref = beforeBreak(gz);
      assert.ok(Buffer.concat(got).equals(ref.text), `${name}-${k}: ${Buffer.concat(got).length} bytes, zlib ${ref.text.length}`);
      assert.equal(bounds.seen?.corrupt?.at, ref.at, `${name}-${k}`);
    }
  }
});
