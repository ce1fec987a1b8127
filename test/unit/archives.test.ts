import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import * as zlib from 'node:zlib';
import type { IndexJson, OverlapsJson } from '../../src/cli/json';
import { BUILTIN_ROLE_RULES } from '../../src/core/rules/roleRules';
import { archiveKind, unpackArchive, type ArchiveProgress } from '../../src/indexer/archives';
import * as service from '../../src/service';
import { rawTar, rawZip, tarFolder, zipFolder } from '../fixtures/archiveWriters';
import { quietSampleBundle, runCli, tempDir } from '../helpers';

const rules = [...BUILTIN_ROLE_RULES];
const NODES = ['172_20_131_241', '172_20_131_242', '172_20_131_243', '172_20_131_245', '172_20_131_247'];

/** `overlaps --json` of a folder or an archive, as the CLI prints it. */
function overlapsJson(target: string, extra: string[] = []): string {
  const r = runCli(['overlaps', target, '--json', ...extra]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal((JSON.parse(r.stdout) as OverlapsJson).overlaps.length > 0, true);
  return r.stdout;
}

let folderAnswer: string | undefined;
/** The quiet sample's overlaps from the folder itself: what every archive of it must answer. */
const fromFolder = () => (folderAnswer ??= overlapsJson(quietSampleBundle()));

test('archives are told by their bytes: .tar.gz, .tar and .zip are, a gzipped log and a text file are not', async () => {
  const dir = tempDir('ql-kind-');
  const at = (name: string, data: Buffer) => (fs.writeFileSync(path.join(dir, name), data), path.join(dir, name));
  const tarBytes = rawTar([{ name: 'a.log', body: 'I0314 hello\n' }]);
  assert.equal(await archiveKind(at('x.bin', zlib.gzipSync(tarBytes))), 'tar.gz');
  assert.equal(await archiveKind(at('x.tar', tarBytes)), 'tar');
  assert.equal(await archiveKind(at('x.zip', rawZip([{ name: 'a.log', body: 'hello' }]))), 'zip');
  assert.equal(await archiveKind(at('zookeeper.log.gz', zlib.gzipSync('2023-03-14 10:00:00,000 - INFO hello\n'.repeat(50)))), undefined);
  assert.equal(await archiveKind(at('notes.tar.gz', Buffer.from('not really an archive'))), undefined);
});

test('the .tar.gz of the quiet sample gives the same overlaps --json as the folder', async () => {
  const file = await tarFolder(quietSampleBundle(), path.join(tempDir('ql-tgz-'), 'cluster-logs-20230315.tar.gz'));
  assert.equal(overlapsJson(file), fromFolder());
});

test('the .zip of the quiet sample gives the same overlaps --json as the folder', async () => {
  const file = await zipFolder(quietSampleBundle(), path.join(tempDir('ql-zip-'), 'cluster-logs.zip'));
  assert.equal(overlapsJson(file), fromFolder());
});

test('an archive of the bundle folder itself (bundle/…, named bundle.tgz) indexes as the folder: the wrapper is lifted', async () => {
  const dir = tempDir('ql-wrapped-');
  fs.cpSync(quietSampleBundle(), path.join(dir, 'bundle'), { recursive: true });
  const file = await tarFolder(path.join(dir, 'bundle'), path.join(dir, 'bundle.tgz'), { under: 'bundle' });
  assert.equal(overlapsJson(file), fromFolder());
});

test('an archive is unpacked once: a reopen reuses the extraction (same folder, untouched) and says so', async () => {
  const dir = tempDir('ql-reopen-');
  const cacheDir = path.join(dir, 'cache');
  const file = await tarFolder(quietSampleBundle(), path.join(dir, 'logs.tar.gz'));
  const progress: ArchiveProgress[] = [];
  const first = await service.openBundle(file, { roleRules: rules, cacheDir, onArchiveProgress: (p) => progress.push(p) });
  assert.equal(first.archive?.reused, false);
  assert.equal(first.archive?.path, file);
  const keyDir = path.dirname(first.archive.extractedTo);
  assert.equal(path.dirname(keyDir), path.join(cacheDir, 'archives'));
  assert.match(path.basename(keyDir), /^[0-9a-f]{64}$/, 'keyed by the sha256 of the content');
  assert.equal(first.root, path.join(keyDir, 'logs'), 'named after the archive, and indexed there');
  assert.equal(first.archive.extractedTo, first.root);
  const size = fs.statSync(file).size;
  assert.deepEqual(progress.at(-1), { phase: 'unpacking', archive: 'logs.tar.gz', doneBytes: size, totalBytes: size });
  assert.ok(progress.some((p) => p.phase === 'hashing'));
  const stamp = (p: string) => fs.statSync(p).mtimeMs;
  const before = [stamp(keyDir), stamp(first.root), stamp(path.join(first.root, NODES[0]))];

  const again = await service.openBundle(file, { roleRules: rules, cacheDir });
  assert.equal(again.archive?.reused, true);
  assert.equal(again.root, first.root);
  assert.deepEqual([stamp(keyDir), stamp(again.root), stamp(path.join(again.root, NODES[0]))], before);
  assert.deepEqual(
    fs.readdirSync(path.join(cacheDir, 'archives')).filter((n) => n !== 'hashes'),
    [path.basename(keyDir)],
  );
  assert.deepEqual(fs.readdirSync(keyDir), ['logs'], 'one extraction, no staging left');
  assert.equal(again.queries.overlaps('meta').length, 5);
  assert.match(again.index.notes.join('\n'), /unpacked from .*logs\.tar\.gz into .*\(the cache \(unpacked by an earlier run\)\)/);
});

test('a half extraction left by a crash is never trusted: the staging folder is removed, a folder without manifest remade', async () => {
  const dir = tempDir('ql-crash-');
  const cacheDir = path.join(dir, 'cache');
  const file = await tarFolder(quietSampleBundle(), path.join(dir, 'logs.tgz'));
  const first = await service.openBundle(file, { roleRules: rules, cacheDir });
  const extracted = first.archive!.extractedTo;
  // A dead process's staging folder, and the extraction reduced to one node without its manifest.
  const staging = path.join(path.dirname(extracted), '.logs.tmp-999999999-deadbeef');
  fs.mkdirSync(path.join(staging, NODES[0]), { recursive: true });
  fs.rmSync(path.join(extracted, '.quorum-lens-extraction.json'));
  for (const n of NODES.slice(1)) fs.rmSync(path.join(first.root, n), { recursive: true });

  const again = await service.openBundle(file, { roleRules: rules, cacheDir });
  assert.equal(again.archive?.reused, false, 'unpacked again');
  assert.ok(!fs.existsSync(staging), 'the dead staging folder is gone');
  assert.deepEqual(
    NODES.filter((n) => fs.existsSync(path.join(again.root, n))),
    NODES,
  );
  assert.equal(again.queries.overlaps('meta').length, 5);
});

test('index names the archive and the extraction folder (human and --json; a folder has no "archive" key)', async () => {
  const file = await tarFolder(quietSampleBundle(), path.join(tempDir('ql-index-'), 'cluster-logs.tar.gz'));
  const human = runCli(['index', file]);
  assert.equal(human.code, 0, human.stderr);
  assert.ok(human.stdout.startsWith(`Bundle ${file}\n`), human.stdout);
  assert.match(
    human.stdout,
    /unpacked into \S+\/quorum-lens\/archives\/[0-9a-f]{64}\/cluster-logs \((unpacked by this run|reused from an earlier run)\)/,
  );
  const json = JSON.parse(runCli(['index', file, '--json']).stdout) as IndexJson;
  assert.equal(json.archive?.path, file);
  assert.equal(json.archive?.kind, 'archive');
  assert.equal(json.archive?.reused, true, 'the second run reused the first one');
  assert.equal(json.root, json.archive.extractedTo);
  assert.equal(path.basename(json.root), 'cluster-logs');
  assert.equal(json.nodes.filter((n) => n.kind === 'node').length, 5);
  const plain = JSON.parse(runCli(['index', quietSampleBundle(), '--json']).stdout) as IndexJson;
  assert.equal('archive' in plain, false);
});

test('without a cache (--no-cache) the archive is unpacked into a temporary folder, said so, and removed afterwards', async () => {
  const file = await tarFolder(quietSampleBundle(), path.join(tempDir('ql-nocache-'), 'logs.tar.gz'));
  const r = runCli(['index', file, '--no-cache', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const json = JSON.parse(r.stdout) as IndexJson;
  assert.equal(json.archive?.temporary, true);
  assert.match(json.notes.map((n) => n.note).join('\n'), /a temporary folder, removed when this run ends/);
  assert.ok(!fs.existsSync(json.archive.extractedTo), 'removed when the run ended');
  assert.equal(overlapsJson(file, ['--no-cache']), fromFolder());
});

/** The quiet sample with each node folder replaced by an archive of it: tgz, zip, wrapped or not. */
async function perNodeArchives(dir: string): Promise<string> {
  const folder = path.join(dir, 'cluster-logs');
  fs.mkdirSync(folder);
  fs.cpSync(path.join(quietSampleBundle(), 'test-logs'), path.join(folder, 'test-logs'), { recursive: true });
  const src = quietSampleBundle();
  await tarFolder(path.join(src, NODES[0]), path.join(folder, `${NODES[0]}.tar.gz`));
  await tarFolder(path.join(src, NODES[1]), path.join(folder, `${NODES[1]}.tgz`), { under: NODES[1] });
  await zipFolder(path.join(src, NODES[2]), path.join(folder, `${NODES[2]}.zip`));
  await zipFolder(path.join(src, NODES[3]), path.join(folder, `${NODES[3]}.zip`), { under: NODES[3] });
  await tarFolder(path.join(src, NODES[4]), path.join(folder, `${NODES[4]}.tar`), { gzip: false });
  return folder;
}

test('a folder of per-node archives (and a plain folder beside them) gives the same overlaps as the plain bundle', async () => {
  const dir = tempDir('ql-pernode-');
  const folder = await perNodeArchives(dir);
  const before = fs.readdirSync(folder).sort();
  assert.equal(overlapsJson(folder), fromFolder());
  assert.deepEqual(fs.readdirSync(folder).sort(), before, 'nothing written into the opened folder');

  const cacheDir = path.join(dir, 'cache');
  const b = await service.openBundle(folder, { roleRules: rules, cacheDir });
  assert.equal(b.archive?.kind, 'folder');
  assert.equal(b.archive?.archives.length, 5);
  assert.match(path.basename(path.dirname(b.archive.extractedTo)), /^view-[0-9a-f]{64}$/);
  assert.equal(path.basename(b.root), 'cluster-logs');
  assert.deepEqual(
    fs
      .readdirSync(b.root)
      .filter((n) => !n.startsWith('.'))
      .sort(),
    [...NODES, 'test-logs'],
  );
  assert.match(b.index.notes.join('\n'), /172_20_131_242\.tgz: unpacked into 172_20_131_242\/ \(5 files/);
  const again = await service.openBundle(folder, { roleRules: rules, cacheDir });
  assert.equal(again.archive?.reused, true);
  // A plain file beside the archives changes: the view is made again, with it.
  fs.appendFileSync(path.join(folder, 'test-logs', fs.readdirSync(path.join(folder, 'test-logs'))[0]), '\n');
  const changed = await service.openBundle(folder, { roleRules: rules, cacheDir });
  assert.equal(changed.archive?.reused, false);
  assert.notEqual(changed.archive?.extractedTo, b.archive?.extractedTo);
});

test('a folder that holds one bundle archive and nothing else is indexed from that archive', async () => {
  const dir = tempDir('ql-one-');
  fs.mkdirSync(path.join(dir, 'received'));
  const file = await tarFolder(quietSampleBundle(), path.join(dir, 'received', 'cluster-logs.tar.gz'));
  const b = await service.openBundle(path.join(dir, 'received'), { roleRules: rules, cacheDir: path.join(dir, 'cache') });
  assert.equal(b.archive?.kind, 'archive');
  assert.equal(b.archive?.path, file);
  assert.match(b.index.notes.join('\n'), /received\/ holds one archive and nothing else/);
  assert.equal(overlapsJson(path.join(dir, 'received')), fromFolder());
});

test('a cluster archive of per-node archives is unpacked one level: the node archives, not archives inside them', async () => {
  const dir = tempDir('ql-nested-');
  const folder = await perNodeArchives(dir);
  // An archive inside a node archive stays an archive (the indexer skips it as binary).
  const inner = path.join(dir, 'inner');
  fs.cpSync(path.join(quietSampleBundle(), NODES[0]), inner, { recursive: true });
  fs.writeFileSync(
    path.join(inner, 'old-logs.tar.gz'),
    zlib.gzipSync(rawTar([{ name: 'x.log', body: 'I0314 10:00:00.000000 1 x.cc:1] x\n' }])),
  );
  fs.rmSync(path.join(folder, `${NODES[0]}.tar.gz`));
  await tarFolder(inner, path.join(folder, `${NODES[0]}.tar.gz`));
  const cluster = await tarFolder(folder, path.join(dir, 'cluster.tar.gz'));

  const b = await service.openBundle(cluster, { roleRules: rules, cacheDir: path.join(dir, 'cache') });
  assert.equal(b.queries.overlaps('meta').length, 5);
  assert.deepEqual(
    fs
      .readdirSync(b.root)
      .filter((n) => !n.startsWith('.'))
      .sort(),
    [...NODES, 'test-logs'],
    'node archives became node folders',
  );
  assert.ok(fs.existsSync(path.join(b.root, NODES[0], 'old-logs.tar.gz')), 'the archive inside a node archive is left packed');
  const skipped = b.index.files.find((f) => f.path === `${NODES[0]}/old-logs.tar.gz`);
  assert.match(skipped?.skipped ?? '', /tar archive/);
  assert.match(b.index.notes.join('\n'), /172_20_131_241\.tar\.gz: per-node archive, unpacked into 172_20_131_241\//);
});

test('caps stop unpacking with a note, and what came before is indexed', async () => {
  const dir = tempDir('ql-caps-');
  const entries = Array.from({ length: 6 }, (_, i) => ({
    name: `n/f${i}.log`,
    body: `I0314 10:00:0${i}.000000 1 x.cc:1] line ${i}\n`.repeat(10),
  }));
  const file = path.join(dir, 'many.tar');
  fs.writeFileSync(file, rawTar(entries));
  const few = await unpackArchive(file, { cacheDir: false, limits: { maxEntries: 3 } });
  assert.deepEqual(fs.readdirSync(path.join(few.extractedTo, 'n')).sort(), ['f0.log', 'f1.log', 'f2.log']);
  assert.match(few.notes.join('\n'), /many\.tar: unpacking stopped: more than 3 entries; the entries before it were extracted/);
  const small = await unpackArchive(file, { cacheDir: false, limits: { maxTotalBytes: 1000 } });
  assert.equal(fs.readdirSync(path.join(small.extractedTo, 'n')).length, 2);
  assert.match(small.notes.join('\n'), /unpacking stopped: entry n\/f2\.log \(.*\) would take unpacking past 1000 bytes/);
  const one = await unpackArchive(file, { cacheDir: false, limits: { maxEntryBytes: 100 } });
  assert.equal(fs.existsSync(path.join(one.extractedTo, 'n')), false);
  assert.equal(one.notes.filter((n) => /over the 100 bytes cap for one entry, not extracted/.test(n)).length, 6);
});

test('a zip entry that inflates past 500:1, or whose data overlaps another entry, is refused, __MACOSX/ is left out; the others are extracted', async () => {
  const dir = tempDir('ql-zipbomb-');
  const file = path.join(dir, 'bomb.zip');
  fs.writeFileSync(
    file,
    rawZip([
      { name: 'n/ok.log', body: 'I0314 10:00:00.000000 1 x.cc:1] fine\n', deflate: true },
      { name: 'n/zeros.bin', body: Buffer.alloc(64 << 20), deflate: true },
      { name: 'n/copy1.log', sameDataAs: 0 },
      { name: '__MACOSX/n/._ok.log', body: Buffer.from([0, 5, 22, 7]) },
    ]),
  );
  const u = await unpackArchive(file, { cacheDir: false });
  assert.deepEqual(fs.readdirSync(path.join(u.extractedTo, 'n')), ['ok.log']);
  const notes = u.notes.join('\n');
  assert.match(notes, /entry n\/zeros\.bin: inflates more than 500:1 \(64 MiB from \d+ bytes\): a decompression bomb\?, not extracted/);
  assert.match(notes, /entry n\/copy1\.log: its data overlaps another entry \(a zip bomb\?\), not extracted/);
  assert.match(notes, /1 entries under __MACOSX\/ \(macOS file metadata, not logs\), not extracted/);
  assert.deepEqual(fs.readdirSync(u.extractedTo), ['n']);
});
