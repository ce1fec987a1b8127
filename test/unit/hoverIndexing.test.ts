import assert from 'node:assert/strict';
import { test } from 'node:test';
import { editorTimeLabel, hoverFor, type HoverContext } from '../../src/service';

// While a bundle is being indexed a hover has no index to answer from: it says how far indexing has got and
// what follows, and only on the tokens whose answer needs the index.
const indexing: HoverContext = { lineNumber: 1, label: editorTimeLabel(''), zone: '', indexing: { done: 43, total: 97 } };
const at = (line: string, needle: string, ctx = indexing) => hoverFor(line, line.indexOf(needle) + 3, ctx)?.markdown ?? '';

test('a hover during indexing says how far it has got and what follows: lifecycle and leaders for an id', () => {
  const md = at(
    '2023-03-14 01:35:51,703 [myid:2] - INFO  [SessionTracker:ZooKeeperServer@398] - Expiring session 0x1000adfaccc0001, timeout of 4000ms exceeded',
    '0x1000',
  );
  assert.match(md, /ZooKeeper session 0x1000adfaccc0001/);
  assert.match(md, /_Indexing 43\/97 files — lifecycle and leaders follow\._$/);
});

test('an address during indexing: no "not an address of any node" — its node follows', () => {
  const md = at('Connecting to 10.0.131.242:2181', '10.0.');
  assert.equal(md, '_Indexing 43/97 files — its node and leader terms follow._');
});

test('before the files are counted the hover says indexing has begun; a retcode, which needs no index, has no note', () => {
  const md = at('Expiring session 0x1000adfaccc0001', '0x1000', { ...indexing, indexing: { done: 0, total: 0 } });
  assert.match(md, /_Indexing the bundle — lifecycle and leaders follow\._$/);
  assert.doesNotMatch(at('zoo_wget failed: zk retcode=-7, errno=110(Connection timed out)', 'retcode'), /Indexing/);
  assert.doesNotMatch(at('Expiring session 0x1000adfaccc0001', '0x1000', { ...indexing, indexing: undefined }), /Indexing/);
});
