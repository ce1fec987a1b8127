import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { IndexStatusNotification, type IndexStatus } from '../../src/shared/protocol';
import { sampleBundle } from '../helpers';
import { StdioServer } from './lspClient';

// A hover answers at once, from the index as it stands. While the bundle is still being indexed, what needs
// the index (a session's lifecycle, an epoch's leader) is not there yet: the hover says so rather than
// leaving it out. Deterministic without timing: before it reads a file the server asks its client for a
// progress bar (window/workDoneProgress/create) and waits for the answer; this client holds that answer.

const ZK242 = '172_20_131_242/base_component_logs/zookeeper/zookeeper.log';
const SESSION = 'Expiring session 0x1000adfaccc0001';

test('a hover asked while the bundle is being indexed says so; once it is indexed, the lifecycle is there', async () => {
  const root = sampleBundle();
  const uri = (rel: string) => pathToFileURL(path.join(root, rel)).toString();
  const server = new StdioServer();
  let release = () => {};
  const held = new Promise<void>((r) => (release = r));
  let asked = () => {};
  const progressAsked = new Promise<void>((r) => (asked = r));
  server.connection.onRequest('window/workDoneProgress/create', async (p: { token: string | number }) => {
    server.recordProgress(p.token);
    asked();
    await held;
    return null;
  });
  try {
    await server.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: uri(''),
      workspaceFolders: [{ uri: uri(''), name: 'bundle' }],
      capabilities: { window: { workDoneProgress: true } },
    });
    await server.connection.sendNotification('initialized', {});
    await progressAsked;
    const lines = fs.readFileSync(path.join(root, ZK242), 'utf8').split('\n');
    await server.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri: uri(ZK242), languageId: 'quorum-log', version: 1, text: lines.join('\n') },
    });
    const line = lines.findIndex((l) => l.includes(SESSION));
    const hover = async () =>
      (
        await server.connection.sendRequest<{ contents: { value: string } } | null>('textDocument/hover', {
          textDocument: { uri: uri(ZK242) },
          position: { line, character: lines[line].indexOf(SESSION) + 'Expiring session '.length + 3 },
        })
      )?.contents.value ?? '';

    const during = await hover();
    assert.match(during, /ZooKeeper session 0x1000adfaccc0001/, 'what needs no index is answered');
    assert.match(during, /_Indexing the bundle — lifecycle and leaders follow\._/);
    assert.doesNotMatch(during, /In this bundle|No lifecycle lines/, 'no claim about the bundle before it is indexed');

    release();
    await server.waitFor(IndexStatusNotification.method, (p) => (p as IndexStatus).state === 'ready');
    const after = await hover();
    assert.match(after, /expired by the leader \(timeout 4000 ms\) on 172\.20\.131\.242/);
    assert.doesNotMatch(after, /Indexing/);
  } finally {
    release();
    await server.stop();
  }
});
