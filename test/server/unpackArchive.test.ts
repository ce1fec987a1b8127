import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import type { OverlapsJson } from '../../src/cli/json';
import { IndexStatusNotification, OverlapsRequest, UnpackArchiveRequest, type IndexStatus } from '../../src/shared/protocol';
import { confinementBreaches } from '../fsAudit';
import { quietSampleBundle, runCli, tempDir } from '../helpers';
import { StdioServer } from './lspClient';

// "Open Log Bundle Archive…" over real LSP stdio: the server unpacks the archive into its cache (never
// beside it, nothing read outside the archive's folder and the cache), and the extraction, opened as the
// workspace, answers as the plain bundle does.

test('the server unpacks a bundle archive into its cache, and the extraction answers as the folder', async () => {
  const downloads = tempDir('ql-unpack-dl-');
  const archive = path.join(downloads, 'cluster-logs-2023031400.tar.gz');
  execFileSync('tar', ['-czf', archive, '-C', quietSampleBundle(), '.']);
  const cacheHome = tempDir('ql-unpack-cache-');
  const unpacker = new StdioServer({ log: path.join(tempDir('ql-unpack-audit-'), 'a.jsonl'), cacheHome });
  let extractedTo: string;
  try {
    await unpacker.open(downloads);
    const r = await unpacker.connection.sendRequest(UnpackArchiveRequest, { path: archive });
    assert.equal(r.problem, undefined);
    assert.deepEqual(r.notes, []);
    extractedTo = r.extractedTo ?? assert.fail('no extraction');
    assert.ok(extractedTo.startsWith(cacheHome), `${extractedTo} is in the cache`);
    assert.deepEqual(fs.readdirSync(downloads), ['cluster-logs-2023031400.tar.gz'], 'nothing written beside the archive');
    assert.deepEqual(confinementBreaches(unpacker.accesses(), { bundle: downloads, cache: cacheHome }), []);
    const again = await unpacker.connection.sendRequest(UnpackArchiveRequest, { path: archive });
    assert.equal(again.reused, true, 'a reopen reuses the extraction');
    const notArchive = await unpacker.connection.sendRequest(UnpackArchiveRequest, {
      path: path.join(quietSampleBundle(), 'test-logs', 'test_run.log'),
    });
    assert.match(notArchive.problem ?? '', /test_run\.log/);
  } finally {
    await unpacker.stop();
  }
  const server = new StdioServer();
  try {
    await server.open(extractedTo);
    await server.waitFor(IndexStatusNotification.method, (p) => (p as IndexStatus).state === 'ready');
    const got = await server.connection.sendRequest(OverlapsRequest, { role: 'meta' });
    const plain = JSON.parse(runCli(['overlaps', quietSampleBundle(), '--json']).stdout) as OverlapsJson;
    assert.deepEqual(
      got.overlaps.map((o) => `${o.startLabel} ${o.endLabel}`),
      plain.overlaps.map((o) => `${o.start} ${o.end}`.replace(/T/g, ' ')),
    );
  } finally {
    await server.stop();
  }
});
