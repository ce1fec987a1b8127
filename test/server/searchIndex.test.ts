import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { BUILTIN_ROLE_RULES } from '../../src/core/rules/roleRules';
import { searched } from '../../src/indexer/grepBundle';
import { summarisable } from '../../src/indexer/searchBuild';
import * as service from '../../src/service';
import {
  CountRequest,
  IndexStatusNotification,
  SearchIndexStatusNotification,
  StatsRequest,
  TraceRequest,
  type IndexStatus,
  type SearchIndexStatus,
} from '../../src/shared/protocol';
import { writeVariedBundle, type VariedBundle } from '../fixtures/variedBundle';
import { tempDir } from '../helpers';
import { StdioServer } from './lspClient';

// The editor's path to the search index: the language server builds it in the background once the event
// index is served, says how far it has got, and answers trace, count and stats from it — the same answers
// as reading every byte. A file that grows is read whole until the rebuild extends its blocks.

let server: StdioServer;
let bundle: VariedBundle;

async function started(root: string, cacheDir?: string): Promise<StdioServer> {
  const s = new StdioServer();
  await s.open(root, cacheDir ? { cacheDir } : undefined);
  await s.waitFor(IndexStatusNotification.method, (p) => (p as IndexStatus).state === 'ready');
  return s;
}

/** The first search index status in `state` among the notifications from the `from`th on. */
const searchState = async (s: StdioServer, state: SearchIndexStatus['state'], from = 0): Promise<SearchIndexStatus> =>
  (await s.waitFor(
    SearchIndexStatusNotification.method,
    (p) => (p as SearchIndexStatus).state === state,
    120_000,
    from,
  )) as SearchIndexStatus;

/** The answers reading every byte gives, in this process with no search index. */
async function fullScan() {
  const b = await service.openBundle(bundle.root, { roleRules: BUILTIN_ROLE_RULES, cacheDir: false });
  return { bundles: [b], rules: BUILTIN_ROLE_RULES, clockOffsetsMs: {}, label: service.editorTimeLabel('UTC') };
}

before(async () => {
  bundle = writeVariedBundle(path.join(tempDir('ql-server-search-'), 'b'), { seed: 21, mb: 6 });
  server = await started(bundle.root, tempDir('ql-server-search-cache-'));
});
after(() => server.stop());

test('after the event index, the server builds the search index in the background and says when it is ready', async () => {
  const ready = await searchState(server, 'ready');
  assert.ok(ready.totalBytes > 0 && ready.doneBytes === ready.totalBytes);
  // It says what it covers: the files a build summarises (not .gz, at least 8 blocks), of those searched.
  const files = (await fullScan()).bundles[0].index.files.filter(searched);
  const covered = files.filter(summarisable);
  assert.deepEqual(ready.coverage, {
    files: files.length,
    bytes: files.reduce((n, f) => n + f.size, 0),
    coveredFiles: covered.length,
    coveredBytes: covered.reduce((n, f) => n + f.size, 0),
  });
  assert.ok(covered.length > 0 && covered.length < files.length, 'the seeded bundle has both kinds of file');
  const order = server.notifications.map((n) => n.method);
  assert.ok(order.indexOf(SearchIndexStatusNotification.method) > order.indexOf(IndexStatusNotification.method), 'after the index');
  assert.ok(
    server.notifications.some(
      (n) => n.method === SearchIndexStatusNotification.method && (n.params as SearchIndexStatus).state === 'building',
    ),
  );
});

test('trace, count and stats over LSP answer what reading every byte answers, from fewer bytes', async () => {
  await searchState(server, 'ready');
  const full = await fullScan();
  for (const text of [bundle.queries.rare, bundle.queries.phrase]) {
    const got = await server.connection.sendRequest(TraceRequest, { text });
    const want = await service.trace(full, { text });
    assert.deepEqual(
      got.lines.map((l) => [l.location.file, l.location.line, l.time, l.text]),
      want.lines.map((l) => [l.location.file, l.location.line, l.time, l.text]),
      text,
    );
    assert.ok((got.search?.skippedBytes ?? 0) > 0, `${text}: nothing skipped`);
    assert.equal(got.search?.note, undefined);
  }
  const counted = await server.connection.sendRequest(CountRequest, { pattern: bundle.queries.regex, regex: true, by: 'hour' });
  const wantCount = await service.count(full, { pattern: bundle.queries.regex, regex: true, by: 'hour' });
  assert.deepEqual(counted.nodes, wantCount.nodes);
  const stats = await server.connection.sendRequest(StatsRequest, { regex: bundle.queries.stats });
  assert.deepEqual(stats.all, (await service.stats(full, { regex: bundle.queries.stats })).all);
});

test('a file that grows is extended by the rebuild, the others are not read again, and it is searched from the index again', async () => {
  await searchState(server, 'ready');
  const file = bundle.files.find((f) => /metad/.test(f)) as string;
  const abs = path.join(bundle.root, file);
  fs.appendFileSync(abs, 'I0314 23:59:59.000000  1001 x.cc:1] grown-needle-7\n');
  const seen = server.notifications.length;
  await server.connection.sendNotification('workspace/didChangeWatchedFiles', {
    changes: [{ uri: pathToFileURL(abs).toString(), type: 2 }],
  });
  await searchState(server, 'ready', seen);
  const got = await server.connection.sendRequest(TraceRequest, { text: 'grown-needle-7' });
  assert.equal(got.lines.length, 1);
  assert.equal(got.search?.note, undefined, 'the grown file is in the search index again');
  const logs = server.notifications.slice(seen).filter((n) => n.method === 'window/logMessage');
  assert.ok(
    logs.some((n) => /search index of .*: 0 files read, \d+ kept, 1 extended/.test((n.params as { message: string }).message)),
    JSON.stringify(logs),
  );
});

test('without a cache folder there is no search index: searches read every byte and say so', async () => {
  const s = await started(bundle.root);
  try {
    const off = await searchState(s, 'off');
    assert.match(off.note ?? '', /not saved/);
    const got = await s.connection.sendRequest(TraceRequest, { text: bundle.queries.rare });
    assert.ok(got.lines.length > 0);
    assert.match(got.search?.note ?? '', /every byte was read/);
  } finally {
    await s.stop();
  }
});
