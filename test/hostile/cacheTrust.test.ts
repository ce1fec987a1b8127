import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import type { BundleIndex, FileIndex } from '../../src/core/model';
import { BUILTIN_ROLE_RULES } from '../../src/core/rules/roleRules';
import { indexBundle, indexBundleCached, rulesKeyOf } from '../../src/indexer/bundleIndexer';
import { clusterContext } from '../../src/indexer/contextWindow';
import { grepBundle } from '../../src/indexer/grepBundle';
import { cacheFile, loadIndex, saveIndex } from '../../src/indexer/indexCache';
import { writeSampleBundle } from '../fixtures/sampleBundle';
import { confined } from '../fsAudit';
import { snapshot, tempDir } from '../helpers';
import { hostileCli } from '../measuredCli';

// The saved index lives outside the bundle and is checked like input: a tampered, truncated or oversized
// one is rebuilt, never trusted, never a crash; a cache folder inside the bundle is refused.
const SECRET = 'cache-secret-91c2';
const rulesKey = rulesKeyOf(BUILTIN_ROLE_RULES);

function freshBundle(): { root: string; outside: string } {
  const base = tempDir('ql-cache-trust-');
  const root = path.join(base, 'bundle');
  writeSampleBundle(root, { noisePerMinute: 20 });
  const outside = path.join(base, 'outside');
  fs.mkdirSync(outside);
  fs.writeFileSync(
    path.join(outside, 'secret.log'),
    `2023-03-14 01:35:51,000 [myid:1] - INFO  [QuorumPeer[myid=1]/0.0.0.0:2181:QuorumPeer@1] - ${SECRET}\n`,
  );
  return { root, outside };
}

/** Rewrites one saved scan through the module's own load and save, so only the content is hostile. */
async function tamper(cache: string, root: string, change: (scans: Map<string, FileIndex>) => void): Promise<void> {
  const loaded = await loadIndex(cache, root, rulesKey);
  assert.ok(loaded.scans, loaded.problem);
  change(loaded.scans);
  await saveIndex(cache, root, rulesKey, loaded.scans);
}

const biggestLog = (scans: Map<string, FileIndex>): FileIndex =>
  [...scans.values()].filter((f) => !f.skipped && !f.gzip && f.checkpoints.length > 1).sort((a, b) => b.size - a.size)[0] ??
  assert.fail('the sample bundle has a file with checkpoints');

const comparable = (b: BundleIndex) => ({ files: b.files, processes: b.processes, nodes: b.nodes });

async function assertSameAsFresh(root: string, cache: string, why: RegExp): Promise<BundleIndex> {
  const fresh = await indexBundle(root, { workers: 0 });
  // The tampered index is read; nothing it names outside the bundle is (the audit sees every open).
  const bounds = { bundle: root, cache };
  const again = await confined(bounds, () => indexBundleCached(root, cache, { workers: 0 }));
  assert.deepEqual(comparable(again), comparable(fresh));
  assert.ok(
    again.notes.some((n) => why.test(n)),
    again.notes.join('; '),
  );
  const found = await confined(bounds, () => grepBundle(again, { source: SECRET, regex: false }, { workers: 0 }));
  assert.equal(found.hits.length, 0, 'nothing from outside is searched');
  const t = (fresh.files.find((f) => f.firstTime !== undefined)?.firstTime ?? 0) + 60e6;
  assert.deepEqual(await confined(bounds, () => clusterContext(again, t, 5e6)), await clusterContext(fresh, t, 5e6));
  return again;
}

test('a saved path pointing outside the bundle is not read: the file is rescanned from the walk', async () => {
  const { root, outside } = freshBundle();
  const cache = tempDir();
  await indexBundleCached(root, cache, { workers: 0 });
  const rel = path.relative(root, path.join(outside, 'secret.log')).split(path.sep).join('/');
  await tamper(cache, root, (scans) => {
    const f = biggestLog(scans);
    f.path = rel;
    scans.set(rel, { ...f, path: rel });
  });
  await assertSameAsFresh(root, cache, /saved index was damaged/);
});

test('a negative or out-of-order checkpoint is caught: the file is rescanned and context does not crash', async () => {
  const { root } = freshBundle();
  const cache = tempDir();
  await indexBundleCached(root, cache, { workers: 0 });
  await tamper(cache, root, (scans) => {
    const f = biggestLog(scans);
    for (const c of f.checkpoints) c[1] = -1000;
  });
  await assertSameAsFresh(root, cache, /saved index was damaged/);
  await tamper(cache, root, (scans) => {
    const f = biggestLog(scans);
    f.checkpoints[1][1] = f.size * 10;
  });
  await assertSameAsFresh(root, cache, /saved index was damaged/);
});

test('a truncated saved index is deleted and rebuilt, with the same answers as a fresh one', async () => {
  const { root } = freshBundle();
  const cache = tempDir();
  await indexBundleCached(root, cache, { workers: 0 });
  const file = cacheFile(cache, root);
  fs.truncateSync(file, Math.floor(fs.statSync(file).size / 2));
  await assertSameAsFresh(root, cache, /index rebuilt: saved index is damaged/);
  assert.ok((await loadIndex(cache, root, rulesKey)).scans, 'saved again, whole');
});

test('a saved index over the size cap is not read: deleted and rebuilt', async () => {
  const { root } = freshBundle();
  const cache = tempDir();
  await indexBundleCached(root, cache, { workers: 0 });
  const file = cacheFile(cache, root);
  fs.truncateSync(file, 1024 ** 3 + 1); // sparse: costs no disk
  await assertSameAsFresh(root, cache, /too big/);
  assert.ok(fs.statSync(file).size < 1024 ** 3, 'replaced by a fresh one');
});

test('a failed rename leaves no temporary file behind', async () => {
  const cache = tempDir();
  const target = cacheFile(cache, '/some/bundle');
  fs.mkdirSync(path.join(target, 'occupied'), { recursive: true }); // a folder in the way: rename fails
  await assert.rejects(saveIndex(cache, '/some/bundle', rulesKey, new Map()));
  assert.deepEqual(
    fs.readdirSync(cache).filter((n) => n.endsWith('.tmp')),
    [],
  );
});

test('a cache folder inside the bundle is refused: nothing is written into the bundle, the CLI warns and answers', () => {
  const { root } = freshBundle();
  const before = snapshot(root);
  const r = hostileCli(['index', root, '--cache', path.join(root, 'cache-here')], { bundle: root });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /warning: .*inside the bundle/);
  assert.deepEqual(snapshot(root), before);
  const x = hostileCli(['index', root], { bundle: root, cacheHome: root });
  assert.equal(x.status, 0, x.stderr);
  assert.match(x.stderr, /warning: .*inside the bundle/);
  assert.deepEqual(snapshot(root), before);
});

test('an unwritable cache folder (under /proc) does not hang: the CLI answers and says the index was not saved', () => {
  const { root } = freshBundle();
  for (const place of ['/proc/self', '/proc/self/fd/0/x']) {
    const r = hostileCli(['leaders', root, '--json'], { bundle: root, cacheHome: place, timeoutMs: 20_000 });
    assert.equal(r.signal, null, `finished before the deadline (${place})`);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /warning: .*not saved/);
    assert.ok(JSON.parse(r.stdout));
  }
});
