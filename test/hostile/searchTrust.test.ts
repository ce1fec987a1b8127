import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { BUILTIN_ROLE_RULES } from '../../src/core/rules/roleRules';
import { searchFile, SearchIndex, SearchWriter } from '../../src/indexer/searchStore';
import * as service from '../../src/service';
import type { BundleHandle, ServiceContext } from '../../src/service';
import { writeVariedBundle } from '../fixtures/variedBundle';
import { snapshot, tempDir } from '../helpers';

// A search index decides what is *not* read, so a damaged one could hide lines: a "no" built on it would be
// false. Each way it can go wrong — cut short, garbage, a directory that does not add up, blocks that do not
// sit on the file's checkpoints, a FIFO in its place, an index of another folder — must leave it unused (or
// that file read whole), the answer equal to reading every byte, and the note saying why.

const ctxOf = (b: BundleHandle): ServiceContext => ({
  bundles: [b],
  rules: BUILTIN_ROLE_RULES,
  clockOffsetsMs: {},
  label: (t) => String(t),
});

let shared: { root: string; rare: string } | undefined;
function bundle(): { root: string; rare: string } {
  if (!shared) {
    const v = writeVariedBundle(path.join(tempDir('ql-search-trust-'), 'b'), { seed: 11, mb: 5 });
    shared = { root: v.root, rare: v.queries.rare };
  }
  return shared;
}

async function built(): Promise<{ cacheDir: string; root: string; rare: string; full: string[] }> {
  const { root, rare } = bundle();
  const cacheDir = tempDir('ql-search-trust-cache-');
  const b = await service.openBundle(root, { roleRules: BUILTIN_ROLE_RULES, cacheDir });
  await service.buildBundleSearch(b, { workers: 0 });
  assert.ok(b.search);
  const full = (await service.trace(ctxOf({ ...b, search: undefined }), { text: rare })).lines.map((l) => l.text);
  assert.ok(full.length > 0);
  return { cacheDir, root, rare, full };
}

/** Reopens the bundle with the cache as it now is: the trace must equal the full scan, and say why the index was not used. */
async function assertTrustworthy(cacheDir: string, root: string, rare: string, full: string[], why: RegExp): Promise<void> {
  const b = await service.openBundle(root, { roleRules: BUILTIN_ROLE_RULES, cacheDir });
  const r = await service.trace(ctxOf(b), { text: rare });
  assert.deepEqual(
    r.lines.map((l) => l.text),
    full,
  );
  assert.match(`${b.searchMissing ?? ''} ${r.search?.note ?? ''}`, why);
}

test('a search index cut short is not used: the answer is a full read and says so', async () => {
  const { cacheDir, root, rare, full } = await built();
  const file = searchFile(cacheDir, root);
  fs.truncateSync(file, Math.floor(fs.statSync(file).size / 2));
  await assertTrustworthy(cacheDir, root, rare, full, /damaged \(truncated or grown\).*every byte was read/);
});

test('a search index of garbage, or with a damaged directory, is not used', async () => {
  const { cacheDir, root, rare, full } = await built();
  const file = searchFile(cacheDir, root);
  const bytes = fs.readFileSync(file);
  bytes[bytes.length - 10] ^= 0xff; // inside the directory, which the checksum covers
  fs.writeFileSync(file, bytes);
  await assertTrustworthy(cacheDir, root, rare, full, /damaged \(checksum\)/);
  fs.writeFileSync(file, Buffer.alloc(20000, 0x41));
  await assertTrustworthy(cacheDir, root, rare, full, /search index is damaged \(header\)|not a search index/);
});

test("blocks that do not sit on the file's checkpoints (a crafted directory) are not ruled on: that file is read whole", async () => {
  const { cacheDir, root, rare, full } = await built();
  const { index } = await SearchIndex.load(cacheDir, root);
  assert.ok(index);
  const writer = await SearchWriter.create(cacheDir, root);
  const b = await service.openBundle(root, { roleRules: BUILTIN_ROLE_RULES, cacheDir });
  for (const f of b.index.files) {
    const e = index.current(f);
    if (!e) continue;
    const saved = index.fileSearch(e);
    // Shift every block start by a byte: the filters no longer describe the blocks a search would read.
    await writer.add({ ...saved, starts: saved.starts.map((s, i) => (i === 0 ? 0 : s + 1)) });
  }
  await writer.finish();
  await assertTrustworthy(cacheDir, root, rare, full, /changed since the search index was built: read whole/);
});

test('a FIFO where the search index should be is refused without waiting for a writer', async () => {
  const { cacheDir, root, rare, full } = await built();
  const file = searchFile(cacheDir, root);
  fs.rmSync(file);
  execFileSync('mkfifo', [file]);
  await assertTrustworthy(cacheDir, root, rare, full, /not a regular file/);
});

test('the search index of another folder is not used for this one', async () => {
  const { cacheDir, root, rare, full } = await built();
  const other = path.join(tempDir('ql-search-other-'), 'b');
  fs.cpSync(root, other, { recursive: true });
  fs.copyFileSync(searchFile(cacheDir, root), searchFile(cacheDir, other));
  const b = await service.openBundle(other, { roleRules: BUILTIN_ROLE_RULES, cacheDir });
  assert.match(b.searchMissing ?? '', /for another folder/);
  assert.deepEqual(
    (await service.trace(ctxOf(b), { text: rare })).lines.map((l) => l.text),
    full,
  );
});

test('with the cache folder inside the bundle no search index is written there, and searches say they read every byte', async () => {
  const { root, rare, full } = await built();
  const copy = path.join(tempDir('ql-search-inside-'), 'b');
  fs.cpSync(root, copy, { recursive: true });
  const before = snapshot(copy);
  const b = await service.openBundle(copy, { roleRules: BUILTIN_ROLE_RULES, cacheDir: path.join(copy, '.cache') });
  assert.equal(await service.buildBundleSearch(b, { workers: 0 }), undefined);
  const r = await service.trace(ctxOf(b), { text: rare });
  assert.deepEqual(
    r.lines.map((l) => l.text),
    full,
  );
  assert.match(r.search?.note ?? '', /cache folder is inside the bundle.*every byte was read/);
  assert.deepEqual(snapshot(copy), before, 'nothing was written into the bundle');
});
