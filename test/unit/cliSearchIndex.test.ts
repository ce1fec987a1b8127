import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import type { CountJson } from '../../src/cli/json';
import { writeVariedBundle } from '../fixtures/variedBundle';
import { runCli, tempDir } from '../helpers';

// `quorum-lens index` prints its summary, then brings the search index up to date (issue 14: the index must
// not delay the first answer). Searches before it say every byte was read; after it they do not, and
// answer the same.

test('index builds the search index after its summary; searches before it read everything, and after it answer the same', () => {
  const v = writeVariedBundle(path.join(tempDir('ql-cli-search-'), 'b'), { seed: 31, mb: 3 });
  const cache = tempDir('ql-cli-search-cache-');
  const searchFiles = () => fs.readdirSync(cache).filter((f) => f.endsWith('.qlsearch'));

  const eventOnly = runCli(['index', v.root, '--cache', cache, '--no-search-index', '--json']);
  assert.equal(eventOnly.code, 0, eventOnly.stderr);
  assert.deepEqual(searchFiles(), [], '--no-search-index saves no search index');
  const before = runCli(['count', v.root, v.queries.rare, '--cache', cache, '--json']);
  assert.equal(before.code, 0, before.stderr);
  assert.match(before.stderr, /quorum-lens: note: no search index yet: every byte was read/);

  const full = runCli(['index', v.root, '--cache', cache, '--json']);
  assert.equal(full.code, 0, full.stderr);
  assert.deepEqual(
    JSON.parse(full.stdout),
    JSON.parse(eventOnly.stdout),
    'the summary does not wait for, or change with, the search index',
  );
  assert.equal(searchFiles().length, 1, 'index saved a search index beside the event index');
  const after = runCli(['count', v.root, v.queries.rare, '--cache', cache, '--json']);
  assert.equal(after.code, 0, after.stderr);
  assert.doesNotMatch(after.stderr, /every byte was read/);
  // A search the index cannot serve says why: -i has no exact bytes to look up.
  const folded = runCli(['count', v.root, v.queries.rare.toUpperCase(), '-i', '--cache', cache, '--json']);
  assert.equal(folded.code, 0, folded.stderr);
  assert.match(folded.stderr, /quorum-lens: note: a search that ignores case has no exact text to look up: every byte was read/);
  assert.deepEqual(
    (JSON.parse(folded.stdout) as CountJson).nodes,
    (JSON.parse(after.stdout) as CountJson).nodes,
    '-i finds the same lines',
  );
  const counted = JSON.parse(after.stdout) as CountJson;
  assert.deepEqual(counted, JSON.parse(before.stdout) as CountJson);
  assert.ok(
    counted.nodes.reduce((n, x) => n + x.total, 0) > 0,
    `the rare value ${v.queries.rare} is counted (the generator plants it in every file)`,
  );
});
