import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { IndexStatusNotification, OverlapsRequest, ReindexRequest, type IndexStatus } from '../../src/shared/protocol';
import { confinementBreaches } from '../fsAudit';
import { quietSampleBundle, tempDir } from '../helpers';
import { StdioServer } from '../server/lspClient';

// A bundle folder deleted while the editor has it open must not go on answering from its old index: a
// "No overlaps" about a folder that is not there is a "no" nobody can trust.
test('a deleted bundle folder is reported gone, and answers say so instead of a quiet "no"', async () => {
  const root = path.join(tempDir('ql-gone-'), 'bundle');
  fs.cpSync(quietSampleBundle(), root, { recursive: true });
  const cacheHome = tempDir('ql-gone-cache-');
  const server = new StdioServer({ log: path.join(tempDir('ql-gone-audit-'), 'accesses.jsonl'), cacheHome });
  try {
    await server.open(root);
    await server.waitFor(IndexStatusNotification.method, (p) => (p as IndexStatus).state === 'ready');
    const before = await server.connection.sendRequest(OverlapsRequest, { role: 'meta' });
    assert.ok(before.overlaps.length > 0);
    assert.deepEqual(before.warnings, []);

    fs.rmSync(root, { recursive: true, force: true });
    await server.connection.sendRequest(ReindexRequest, {});
    const status = (await server.waitFor(IndexStatusNotification.method, (p) => (p as IndexStatus).state === 'gone')) as IndexStatus;
    assert.match(status.gone.join('\n'), /no such folder/);
    const after = await server.connection.sendRequest(OverlapsRequest, { role: 'meta' });
    assert.equal(after.overlaps.length, 0, 'nothing is answered from the old index');
    assert.match(after.warnings.join('\n'), /is gone .*nothing from it is in this answer/);
    // The language server read nothing outside the bundle (and its cache) and wrote only its cache.
    assert.deepEqual(confinementBreaches(server.accesses(), { bundle: root, cache: cacheHome }), []);
    assert.ok(server.accesses().some((a) => a.op === 'read' && a.path.startsWith(root)));
  } finally {
    await server.stop();
  }
});
