import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import * as zlib from 'node:zlib';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { IndexJson } from '../../src/cli/json';
import { IndexStatusNotification, IsBundleFileRequest, OverlapsRequest, type IndexStatus } from '../../src/shared/protocol';
import { confinementBreaches } from '../fsAudit';
import { StdioServer } from '../server/lspClient';
import { rawTar, rawZip, tarFolder, type RawTarEntry, type RawZipEntry } from '../fixtures/archiveWriters';
import { quietSampleBundle, runCli, tempDir } from '../helpers';
import { hostileCli } from '../measuredCli';

// Archives come from strangers: every entry is a request to write somewhere. These runs go through the
// fs audit (hostileCli): nothing read outside the folder holding the archive (and the cache), nothing
// written anywhere but the cache, the folder itself unchanged.

/** The quiet sample's files, as (name, bytes), in a stable order. */
function sampleEntries(): { name: string; body: Buffer }[] {
  const root = quietSampleBundle();
  const out: { name: string; body: Buffer }[] = [];
  (function walk(rel: string) {
    for (const e of fs.readdirSync(path.join(root, rel), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(r);
      else out.push({ name: r, body: fs.readFileSync(path.join(root, r)) });
    }
  })('');
  return out;
}

let folderOverlaps: string | undefined;
const overlapsOfFolder = () => (folderOverlaps ??= runCli(['overlaps', quietSampleBundle(), '--json']).stdout);

/** A folder holding one file, the way a bundle arrives by mail; a name nobody else uses for the escapes. */
function received(name: string, bytes: Buffer): { dir: string; file: string; tag: string } {
  const dir = path.join(tempDir('ql-received-'), 'received');
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, name), bytes);
  return { dir, file: path.join(dir, name), tag: path.basename(path.dirname(dir)) };
}

const notesOf = (json: IndexJson) => json.notes.map((n) => n.note).join('\n');

test('a .tar.gz with ../, absolute, symlink, hard link, device, FIFO and oversized entries: each refused with a note, the rest indexed, nothing written outside the cache', () => {
  const tag = `ql-escape-${process.pid}-${Date.now()}`;
  const hostile: RawTarEntry[] = [
    { name: `../../${tag}.log`, body: 'I0314 10:00:00.000000 1 x.cc:1] escaped\n' },
    { name: `/tmp/${tag}-absolute.log`, body: 'I0314 10:00:00.000000 1 x.cc:1] absolute\n' },
    { name: '172_20_131_241/passwd', type: '2', linkname: '/etc/passwd' },
    { name: '172_20_131_241/shadow', type: '1', linkname: '/etc/shadow' },
    { name: '172_20_131_241/null', type: '3' },
    { name: '172_20_131_241/pipe', type: '6' },
    // Last, and cut short: a header claiming 20 GiB, with nothing behind it.
    { name: '172_20_131_241/huge.log', declaredSize: 20 * 1024 ** 3 },
  ];
  const bytes = zlib.gzipSync(rawTar([...sampleEntries(), ...hostile], { truncate: true }));
  const { dir, file } = received('cluster-logs.tar.gz', bytes);
  const cacheHome = tempDir('ql-escape-cache-');
  const run = hostileCli(['index', file, '--json'], { bundle: dir, cacheHome });
  assert.equal(run.status, 0, run.stderr);
  const json = JSON.parse(run.stdout) as IndexJson;
  const notes = notesOf(json);
  assert.match(notes, new RegExp(`cluster-logs\\.tar\\.gz: entry \\.\\./\\.\\./${tag}\\.log: outside the archive, not extracted`));
  assert.match(notes, new RegExp(`entry /tmp/${tag}-absolute\\.log: absolute path, not extracted`));
  assert.match(notes, /entry 172_20_131_241\/passwd: a symlink \(to \/etc\/passwd\), not extracted: links are never made/);
  assert.match(notes, /entry 172_20_131_241\/shadow: a hard link \(to \/etc\/shadow\), not extracted: links are never made/);
  assert.match(notes, /entry 172_20_131_241\/null: a device, not extracted/);
  assert.match(notes, /entry 172_20_131_241\/pipe: a FIFO, not extracted/);
  assert.match(notes, /entry 172_20_131_241\/huge\.log: 20 GiB, over the 16 GiB cap for one entry, not extracted/);
  assert.deepEqual(
    json.archive?.notes,
    json.notes.map((n) => n.note).filter((n) => n.startsWith('cluster-logs.tar.gz: ')),
  );
  assert.equal(json.nodes.filter((n) => n.kind === 'node').length, 5, 'the rest is indexed');
  for (const gone of ['passwd', 'shadow', 'null', 'pipe', 'huge.log'])
    assert.ok(!fs.existsSync(path.join(json.root, '172_20_131_241', gone)));
  assert.ok(!fs.existsSync(path.join(path.dirname(path.dirname(dir)), `${tag}.log`)));
  assert.ok(!fs.existsSync(`/tmp/${tag}-absolute.log`));
  // The same answers as the folder, from the extraction the first run left (and still in bounds).
  const again = hostileCli(['overlaps', file, '--json'], { bundle: dir, cacheHome });
  assert.equal(again.stdout, overlapsOfFolder());
});

test('a .zip with ../, absolute, symlink and FIFO entries and a 1000:1 entry: each refused with a note, the rest indexed, nothing written outside the cache', () => {
  const hostile: RawZipEntry[] = [
    { name: '../../escaped.log', body: 'escaped\n' },
    { name: '/tmp/absolute.log', body: 'absolute\n' },
    { name: '172_20_131_241/passwd', body: '/etc/passwd', mode: 0o120777 },
    { name: '172_20_131_241/pipe', mode: 0o010644 },
    { name: '172_20_131_241/zeros.log', body: Buffer.alloc(64 << 20), deflate: true },
  ];
  const entries = sampleEntries().map((e, i) => ({ ...e, deflate: i % 2 === 0 }));
  const { dir, file } = received('cluster-logs.zip', rawZip([...entries, ...hostile]));
  const run = hostileCli(['index', file, '--json'], { bundle: dir });
  assert.equal(run.status, 0, run.stderr);
  const json = JSON.parse(run.stdout) as IndexJson;
  const notes = notesOf(json);
  assert.match(notes, /cluster-logs\.zip: entry \.\.\/\.\.\/escaped\.log: outside the archive, not extracted/);
  assert.match(notes, /entry \/tmp\/absolute\.log: absolute path, not extracted/);
  assert.match(notes, /entry 172_20_131_241\/passwd: a symlink, not extracted: links are never made/);
  assert.match(notes, /entry 172_20_131_241\/pipe: a device, FIFO or socket, not extracted/);
  assert.match(
    notes,
    /entry 172_20_131_241\/zeros\.log: inflates more than 500:1 \(64 MiB from \d+ bytes\): a decompression bomb\?, not extracted/,
  );
  assert.equal(json.nodes.filter((n) => n.kind === 'node').length, 5);
  assert.equal(json.files.total, entries.length - 1, 'every sample file but the dotfile marker');
});

test('a gzip bomb (a tar entry of 256 MiB of zeros, 250 KB packed) stops unpacking with a note, in bounded memory', () => {
  const head = sampleEntries();
  const tarBytes = rawTar([...head, { name: 'zzz/zeros.log', body: Buffer.alloc(256 << 20) }]);
  const { dir, file } = received('bomb.tgz', zlib.gzipSync(tarBytes, { level: 9 }));
  assert.ok(fs.statSync(file).size < 400_000);
  const run = hostileCli(['index', file, '--json'], { bundle: dir });
  assert.equal(run.status, 0, run.stderr);
  const json = JSON.parse(run.stdout) as IndexJson;
  assert.match(notesOf(json), /bomb\.tgz: unpacking stopped: the archive inflates more than 500:1 \(.* from .*\): a decompression bomb\?/);
  assert.match(notesOf(json), /bomb\.tgz: entry zzz\/zeros\.log: not extracted: unpacking stopped inside it/);
  assert.ok(!fs.existsSync(path.join(json.root, 'zzz', 'zeros.log')));
  assert.equal(json.nodes.filter((n) => n.kind === 'node').length, 5, 'what came before the bomb is indexed');
  assert.ok(run.rssKb < 700_000, `peak RSS ${run.rssKb} KB`);
});

test('a folder of per-node archives is unpacked into the cache, never beside them, and answers as the plain bundle', async () => {
  const dir = path.join(tempDir('ql-pernode-hostile-'), 'cluster-logs');
  fs.mkdirSync(dir);
  const src = quietSampleBundle();
  for (const n of fs.readdirSync(src)) {
    if (n.startsWith('.')) continue;
    if (n === 'test-logs') fs.cpSync(path.join(src, n), path.join(dir, n), { recursive: true });
    else await tarFolder(path.join(src, n), path.join(dir, `${n}.tar.gz`));
  }
  const run = hostileCli(['overlaps', dir, '--json'], { bundle: dir });
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout, overlapsOfFolder());
  assert.ok(run.accesses.some((a) => a.op === 'write' && /\/quorum-lens\/archives\/view-[0-9a-f]{64}\//.test(a.path)));
});

test('the language server opens a workspace folder holding one bundle archive as the CLI does: unpacked into its cache only', async () => {
  const dir = path.join(tempDir('ql-lsp-archive-'), 'received');
  fs.mkdirSync(dir);
  await tarFolder(quietSampleBundle(), path.join(dir, 'cluster-logs.tar.gz'));
  const cacheHome = tempDir('ql-lsp-archive-cache-');
  const server = new StdioServer({ log: path.join(tempDir('ql-lsp-archive-audit-'), 'accesses.jsonl'), cacheHome });
  try {
    await server.open(dir);
    await server.waitFor(IndexStatusNotification.method, (p) => (p as IndexStatus).state === 'ready');
    const answer = await server.connection.sendRequest(OverlapsRequest, { role: 'meta' });
    assert.equal(answer.overlaps.length, 5);
    const logs = server.notifications.filter((n) => n.method === 'window/logMessage').map((n) => (n.params as { message: string }).message);
    assert.ok(logs.includes('unpacking cluster-logs.tar.gz: 100%'), logs.join('\n'));
    // Links into the bundle point into the extraction, and the server knows those files as the bundle's.
    const uri = answer.overlaps[0].intervals[0].startSource.uri;
    assert.ok(fileURLToPath(uri).startsWith(path.join(fs.realpathSync(cacheHome), 'quorum-lens', 'archives')), uri);
    assert.equal(await server.connection.sendRequest(IsBundleFileRequest, { uri }), true);
    assert.equal(
      await server.connection.sendRequest(IsBundleFileRequest, { uri: pathToFileURL(path.join(dir, 'x.log')).toString() }),
      false,
    );
    assert.deepEqual(confinementBreaches(server.accesses(), { bundle: dir, cache: cacheHome }), []);
    assert.deepEqual(fs.readdirSync(dir), ['cluster-logs.tar.gz'], 'nothing written beside the archive');
  } finally {
    await server.stop();
  }
});
