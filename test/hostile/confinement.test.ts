import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import type { BundleIndex } from '../../src/core/model';
import { LineMatcher } from '../../src/core/rules/lineMatcher';
import { BUILTIN_ROLE_RULES } from '../../src/core/rules/roleRules';
import { indexBundle } from '../../src/indexer/bundleIndexer';
import { scanFile } from '../../src/indexer/fileScanner';
import { readLineWindow } from '../../src/indexer/lineWindow';
import { chunks, GZIP_INFLATED_CAP, type ReadBounds } from '../../src/indexer/readChunks';
import { confined, confinementBreaches, readAuditLog } from '../fsAudit';
import { REPO, snapshot, tempDir } from '../helpers';
import { hostileCli } from '../measuredCli';

// A bundle that links out of itself (a folder, a file, /dev/zero), holds a FIFO, a link that stays inside,
// and a file name that is not UTF-8. Nothing outside may be read, and nothing may hang.
const SECRET = 'exfiltrated-secret-7f3a';
const zk = (time: string, msg: string) => `2023-03-14 ${time} [myid:1] - INFO  [QuorumPeer[myid=1]/0.0.0.0:2181:QuorumPeer@1] - ${msg}`;
const outside = tempDir('ql-outside-');
const root = path.join(tempDir('ql-confine-'), 'bundle');
const node = path.join(root, '10_0_0_1');
let hasFifo = false;
const hasDevZero = fs.existsSync('/dev/zero');
let bundle: BundleIndex;
let before0: string[];

/**
 * Runs a snippet in a child node with the compiled sources, the fs audit preloaded: a hang is a failure,
 * not a stuck suite, and the child is held to the bundle (see fsAudit).
 */
function runChild(code: string, timeoutMs = 15_000): { status: number | null; stdout: string; stderr: string; timedOut: boolean } {
  const log = path.join(tempDir('ql-confine-audit-'), 'accesses.jsonl');
  const r = spawnSync(process.execPath, ['--require', path.join(REPO, 'out', 'test', 'fsAudit.js'), '-e', code], {
    encoding: 'utf8',
    timeout: timeoutMs,
    env: { ...process.env, QL_OUT: path.join(REPO, 'out'), QL_FS_AUDIT: log },
  });
  assert.deepEqual(confinementBreaches(readAuditLog(log), { bundle: root }), [], 'the child read nothing outside the bundle');
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, timedOut: r.error !== undefined || r.signal !== null };
}

/** The CLI, measured and held to the bundle and its cache (see hostileCli). */
const runCliWithin = (args: string[], cache: string, timeoutMs = 30_000) => hostileCli(args, { bundle: root, cacheHome: cache, timeoutMs });

before(async () => {
  fs.mkdirSync(path.join(node, 'sub'), { recursive: true });
  fs.mkdirSync(path.join(outside, 'etc'), { recursive: true });
  fs.writeFileSync(path.join(outside, 'etc', 'secret.log'), zk('01:00:00,000', `LEADING ${SECRET} folder`) + '\n');
  fs.writeFileSync(path.join(outside, 'stolen.log'), zk('01:00:01,000', `LEADING ${SECRET} file`) + '\n');
  fs.writeFileSync(path.join(node, 'zookeeper.log'), [zk('01:00:00,000', 'FOLLOWING'), zk('01:00:05,000', 'LEADING'), ''].join('\n'));
  fs.writeFileSync(path.join(node, 'sub', 'zookeeper.log.1'), zk('00:59:00,000', 'LOOKING') + '\n');
  fs.symlinkSync(path.join(outside, 'etc'), path.join(node, 'etc'));
  fs.symlinkSync(path.join(outside, 'stolen.log'), path.join(node, 'stolen.log'));
  fs.symlinkSync('zookeeper.log', path.join(node, 'alias.log'));
  fs.symlinkSync('sub', path.join(node, 'a-sub-link'));
  if (hasDevZero) fs.symlinkSync('/dev/zero', path.join(node, 'zero.log'));
  hasFifo = spawnSync('mkfifo', [path.join(node, 'pipe.log')]).status === 0;
  before0 = snapshot(root);
  // The audit sees every open: the links out of the bundle and /dev/zero are never opened, only listed.
  bundle = await confined({ bundle: root }, () => indexBundle(root, { workers: 0 }));
});

test('a symlink to a folder or a file outside the bundle is not followed, and the note says where it points', () => {
  assert.ok(!bundle.files.some((f) => f.path.startsWith('10_0_0_1/etc/')), bundle.files.map((f) => f.path).join(', '));
  assert.ok(!bundle.files.some((f) => f.path === '10_0_0_1/stolen.log'));
  assert.ok(!bundle.files.some((f) => f.events.some((e) => e.text.includes(SECRET))));
  const note = (rel: string) => bundle.notes.find((n) => n.startsWith(`10_0_0_1/${rel}:`)) ?? '';
  assert.match(note('etc'), /symlink to outside the bundle, not followed: .*etc/);
  assert.match(note('stolen.log'), /symlink to outside the bundle, not followed: .*stolen\.log/);
});

test('a link to /dev/zero and a FIFO are noted, not read', { skip: !hasDevZero && 'no /dev/zero' }, () => {
  assert.ok(!bundle.files.some((f) => f.path === '10_0_0_1/zero.log'));
  assert.match(bundle.notes.find((n) => n.startsWith('10_0_0_1/zero.log:')) ?? '', /not followed|device/);
  if (hasFifo) {
    assert.ok(!bundle.files.some((f) => f.path === '10_0_0_1/pipe.log'));
    assert.match(bundle.notes.find((n) => n.startsWith('10_0_0_1/pipe.log:')) ?? '', /a FIFO, not read/);
  }
});

test('links that stay inside the bundle still work: the target is indexed once, the copy noted', () => {
  const alias = bundle.files.find((f) => f.path === '10_0_0_1/alias.log');
  const real = bundle.files.find((f) => f.path === '10_0_0_1/zookeeper.log');
  assert.ok(alias && real, bundle.files.map((f) => f.path).join(', '));
  assert.ok(alias.duplicateOf === real.path || real.duplicateOf === alias.path);
  const subs = bundle.files.filter((f) => f.path.endsWith('/zookeeper.log.1'));
  assert.equal(subs.length, 1, subs.map((f) => f.path).join(', '));
  assert.ok(bundle.notes.some((n) => /repeated folder/.test(n)));
});

test('a file name that is not UTF-8 is reported as such, not as a missing file', async () => {
  // A bundle of its own: the snapshot helper cannot name such a file.
  const badRoot = path.join(tempDir('ql-badname-'), 'bundle');
  fs.mkdirSync(path.join(badRoot, '10_0_0_1'), { recursive: true });
  fs.writeFileSync(path.join(badRoot, '10_0_0_1', 'zookeeper.log'), zk('01:00:00,000', 'FOLLOWING') + '\n');
  fs.writeFileSync(Buffer.from(path.join(badRoot, '10_0_0_1', 'bad-') + '\xff\xfe.log', 'latin1'), zk('01:00:02,000', 'bad name') + '\n');
  const bad = await indexBundle(badRoot, { workers: 0 });
  assert.deepEqual(
    bad.files.map((f) => f.path),
    ['10_0_0_1/zookeeper.log'],
  );
  const note = bad.notes.find((n) => n.includes('bad-')) ?? '';
  assert.match(note, /file name is not valid UTF-8: .*bad-\\xff\\xfe\.log/);
  assert.doesNotMatch(note, /ENOENT/);
});

test('nothing was written into the bundle', () => {
  assert.deepEqual(snapshot(root), before0);
});

test('the CLI indexes the hostile bundle within a deadline, trace finds nothing from outside, the cache holds no secret', () => {
  const cache = tempDir('ql-confine-cache-');
  const r = runCliWithin(['trace', root, SECRET, '--json'], cache);
  assert.equal(r.signal, null, 'finished before the deadline');
  assert.equal(r.status, 0, r.stderr);
  const found = JSON.parse(r.stdout) as { hits: unknown[] };
  assert.deepEqual(found.hits, [], 'no line from outside the bundle');
  const saved = fs.readdirSync(path.join(cache, 'quorum-lens'));
  assert.ok(saved.length > 0, 'an index was saved');
  for (const f of saved) assert.ok(!fs.readFileSync(path.join(cache, 'quorum-lens', f)).includes(SECRET), `${f} holds no secret`);
  const w = runCliWithin(['trace', root, 'LEADING', '--json'], cache);
  assert.equal(w.status, 0, w.stderr);
  assert.ok((JSON.parse(w.stdout) as { hits: unknown[] }).hits.length > 0, 'the bundle itself is still searched');
});

test('the file window on a FIFO, a /dev/zero link or a path outside the index returns promptly without reading it', () => {
  const targets = ['10_0_0_1/pipe.log', '10_0_0_1/zero.log', '10_0_0_1/stolen.log', '10_0_0_1/etc/secret.log', '../outside.log'];
  const code = `
    const service = require(require('path').join(process.env.QL_OUT, 'src', 'service', 'index.js'));
    (async () => {
      const b = await service.openBundle(${JSON.stringify(root)}, { roleRules: [], cacheDir: false });
      const out = [];
      for (const t of ${JSON.stringify(targets)}) {
        const calls = await Promise.all([1, 2, 3, 4, 5, 6].map(() => service.fileWindow(b, t, 1, 10)));
        out.push(calls[0]);
      }
      const good = await service.fileWindow(b, '10_0_0_1/zookeeper.log', 1, 10);
      process.stdout.write(JSON.stringify({ out, good }));
    })().then(() => process.exit(0), (e) => { console.error(e); process.exit(3); });`;
  const r = runChild(code);
  assert.equal(r.timedOut, false, 'answered before the deadline');
  assert.equal(r.status, 0, r.stderr);
  const { out, good } = JSON.parse(r.stdout) as { out: { lines: string[] }[]; good: { lines: string[] } };
  for (const w of out) {
    assert.ok(w.lines.length <= 1, JSON.stringify(w));
    assert.doesNotMatch(w.lines.join('\n'), new RegExp(SECRET));
    assert.match(w.lines[0] ?? '', /not an indexed file/);
  }
  assert.equal(good.lines.length, 2);
});

test(
  'a file swapped for a FIFO after the walk is refused by the scanner, not waited on',
  { skip: !hasFifo && 'mkfifo unavailable' },
  () => {
    const code = `
    const { scanFile } = require(require('path').join(process.env.QL_OUT, 'src', 'indexer', 'fileScanner.js'));
    const { LineMatcher } = require(require('path').join(process.env.QL_OUT, 'src', 'core', 'rules', 'lineMatcher.js'));
    scanFile({ relPath: 'pipe.log', absPath: ${JSON.stringify(path.join(node, 'pipe.log'))}, node: 'n', size: 100, mtimeMs: 0, matcher: new LineMatcher([]) })
      .then((f) => { process.stdout.write(JSON.stringify(f)); process.exit(0); }, (e) => { console.error(e); process.exit(3); });`;
    const r = runChild(code);
    assert.equal(r.timedOut, false, 'answered before the deadline');
    assert.equal(r.status, 0, r.stderr);
    assert.match((JSON.parse(r.stdout) as { skipped?: string }).skipped ?? '', /not a regular file/);
  },
);

test('a file that shrank after the walk keeps its real size and says so (the next scan reads it again)', async () => {
  const dir = tempDir();
  const file = path.join(dir, 'zookeeper.log');
  fs.writeFileSync(file, [zk('01:00:00,000', 'FOLLOWING'), zk('01:00:05,000', 'LEADING'), ''].join('\n'));
  const st = fs.statSync(file);
  const f = await scanFile({
    relPath: 'zookeeper.log',
    absPath: file,
    node: 'n',
    size: st.size * 2,
    mtimeMs: st.mtimeMs,
    matcher: new LineMatcher(BUILTIN_ROLE_RULES),
  });
  assert.equal(f.size, st.size);
  assert.ok(
    f.notes.some((n) => /shrank/.test(n)),
    f.notes.join('; '),
  );
});

test('a file that grew after the walk is read only up to the size the walk saw', async () => {
  const dir = tempDir();
  const file = path.join(dir, 'zookeeper.log');
  const first = [zk('01:00:00,000', 'FOLLOWING'), zk('01:00:05,000', 'LEADING'), ''].join('\n');
  fs.writeFileSync(file, first + zk('01:00:09,000', 'LOOKING') + '\n');
  const st = fs.statSync(file);
  const f = await scanFile({
    relPath: 'zookeeper.log',
    absPath: file,
    node: 'n',
    size: first.length,
    mtimeMs: st.mtimeMs,
    matcher: new LineMatcher(BUILTIN_ROLE_RULES),
  });
  assert.equal(f.lines, 2);
  assert.equal(f.bytes, first.length);
});

test('a gzip is inflated only up to the cap, and the reader says so', async () => {
  const file = path.join(tempDir(), 'bomb.log.gz');
  fs.writeFileSync(file, gzipSync(Buffer.alloc(1 << 20, 'a')));
  const bounds: ReadBounds = { maxInflated: 1000 };
  let total = 0;
  for await (const c of chunks(file, true, 0, bounds)) total += c.length;
  assert.equal(total, 1000);
  assert.match(bounds.seen?.cut ?? '', /decompressed size over 1000 bytes, read the first 1000 bytes/);
  assert.ok(GZIP_INFLATED_CAP >= 16 * 1024 ** 3);
});

test('a reader given the bundle root refuses a file that resolves outside it', async () => {
  await assert.rejects(readLineWindow(path.join(outside, 'stolen.log'), [], 1, 2, { root }), /outside the bundle/);
  assert.equal((await readLineWindow(path.join(node, 'zookeeper.log'), [], 1, 2, { root })).length, 2);
});
