import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import type { FileIndex } from '../../src/core/model';
import { EVENT_RULES, type EventRule } from '../../src/core/rules/eventRules';
import { LineMatcher } from '../../src/core/rules/lineMatcher';
import { BUILTIN_ROLE_RULES } from '../../src/core/rules/roleRules';
import { indexBundle, indexBundleCached, rulesKeyOf } from '../../src/indexer/bundleIndexer';
import { scanFile } from '../../src/indexer/fileScanner';
import { cacheFile, loadIndex, saveIndex } from '../../src/indexer/indexCache';
import { readLineWindow } from '../../src/indexer/lineWindow';
import { writeSampleBundle } from '../fixtures/sampleBundle';
import { snapshot, tempDir } from '../helpers';

const matcher = new LineMatcher(BUILTIN_ROLE_RULES);
const glogLine = (i: number, msg: string) =>
  `I0314 ${String(1 + Math.floor(i / 3600)).padStart(2, '0')}:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}.000000  7777 a.cc:1] ${msg}`;

function writeGlog(file: string, from: number, to: number, special: Record<number, string> = {}): void {
  const lines: string[] = [];
  for (let i = from; i < to; i++) lines.push(glogLine(i, special[i] ?? `filler line number ${i} ${'x'.repeat(60)}`));
  fs.appendFileSync(file, lines.join('\n') + '\n');
}

const comparable = (f: FileIndex) => ({
  lines: f.lines,
  bytes: f.bytes,
  events: f.events,
  checkpoints: f.checkpoints,
  errors: f.errorsPerMinute,
  first: f.firstTime,
  last: f.lastTime,
  notes: f.notes,
  resumeOffset: f.resume?.offset,
});

test('an appended file is read from where its last scan stopped, and ends up as a full scan would', async () => {
  const dir = tempDir();
  const file = path.join(dir, 'zbs-metad.log.20230314-010000.7777');
  writeGlog(file, 0, 3000, { 1500: 'Start the leader role', 2000: 'Stopping the services of meta, this: 0x1' });
  const stat1 = fs.statSync(file);
  const req = { relPath: 'zbs-metad.log.20230314-010000.7777', absPath: file, node: 'n', matcher };
  const first = await scanFile({ ...req, size: stat1.size, mtimeMs: stat1.mtimeMs });
  assert.ok(first.resume && first.resume.offset === stat1.size);

  // Prove the old part is not read again: damage an event in the middle (same length), then append.
  const text = fs.readFileSync(file, 'latin1');
  fs.writeFileSync(file, text.replace('Start the leader role', 'Xtart the leader role'), 'latin1');
  writeGlog(file, 3000, 4000, { 3500: 'Start the leader role', 3900: 'E_PLACEHOLDER' });
  fs.writeFileSync(
    file,
    fs.readFileSync(file, 'latin1').replace(glogLine(3900, 'E_PLACEHOLDER'), glogLine(3900, 'an error').replace(/^I/, 'E')),
    'latin1',
  );
  const stat2 = fs.statSync(file);
  const resumed = await scanFile({ ...req, size: stat2.size, mtimeMs: stat2.mtimeMs, previous: first });
  const starts = resumed.events.filter((e) => e.kind === 'role' && e.edge === 'start').map((e) => e.line);
  assert.deepEqual(starts, [1501, 3501], 'the damaged old line is still known from the first scan: only the tail was read');

  // Apart from that deliberately hidden change, the result is what a full scan gives.
  fs.writeFileSync(file, fs.readFileSync(file, 'latin1').replace('Xtart the leader role', 'Start the leader role'), 'latin1');
  const full = await scanFile({ ...req, size: stat2.size, mtimeMs: stat2.mtimeMs });
  assert.deepEqual(comparable(resumed), comparable(full));
  assert.equal(resumed.errorsPerMinute.length, 1);
});

test('a file whose last line had no newline is resumed from that line', async () => {
  const dir = tempDir();
  const file = path.join(dir, 'x.log.20230314-010000.1');
  fs.writeFileSync(file, glogLine(0, 'one') + '\n' + glogLine(1, 'Start the lea'));
  const s1 = fs.statSync(file);
  const req = { relPath: 'x.log.20230314-010000.1', absPath: file, node: 'n', matcher };
  const first = await scanFile({ ...req, size: s1.size, mtimeMs: s1.mtimeMs });
  assert.equal(first.lines, 2);
  fs.appendFileSync(file, 'der role\n' + glogLine(2, 'three') + '\n');
  const s2 = fs.statSync(file);
  const resumed = await scanFile({ ...req, size: s2.size, mtimeMs: s2.mtimeMs, previous: first });
  const full = await scanFile({ ...req, size: s2.size, mtimeMs: s2.mtimeMs });
  assert.deepEqual(comparable(resumed), comparable(full));
  assert.equal(resumed.events.filter((e) => e.kind === 'role').length, 1);
});

test('a rewritten file (different head) is scanned from the start', async () => {
  const dir = tempDir();
  const file = path.join(dir, 'y.log.20230314-010000.2');
  writeGlog(file, 0, 100);
  const s1 = fs.statSync(file);
  const req = { relPath: 'y.log.20230314-010000.2', absPath: file, node: 'n', matcher };
  const first = await scanFile({ ...req, size: s1.size, mtimeMs: s1.mtimeMs });
  fs.writeFileSync(file, '');
  writeGlog(file, 50, 200, { 60: 'Start the leader role' });
  const s2 = fs.statSync(file);
  const again = await scanFile({ ...req, size: s2.size, mtimeMs: s2.mtimeMs, previous: first });
  assert.equal(again.lines, 150);
  assert.equal(again.events.filter((e) => e.kind === 'role')[0]?.line, 11);
});

test('the saved index round-trips; damaged, stale and foreign ones are refused with a reason', async () => {
  const dir = tempDir();
  const scans = new Map<string, FileIndex>([
    [
      'a.log',
      {
        path: 'a.log',
        node: 'n',
        source: 'other',
        program: 'a',
        format: 'plain',
        size: 1,
        mtimeMs: 2,
        gzip: false,
        lines: 1,
        bytes: 1,
        events: [],
        checkpoints: [[1, 0, 5]],
        errorsPerMinute: [],
        notes: [],
      },
    ],
  ]);
  await saveIndex(dir, '/bundle', 'rules1', scans);
  assert.deepEqual((await loadIndex(dir, '/bundle', 'rules1')).scans, scans);
  assert.match((await loadIndex(dir, '/bundle', 'rules2')).problem ?? '', /role rules changed/);
  assert.match((await loadIndex(dir, '/other', 'rules1')).problem ?? '', /no saved index/);
  const file = cacheFile(dir, '/bundle');
  const buf = fs.readFileSync(file);
  buf[buf.length - 3] ^= 0xff;
  fs.writeFileSync(file, buf);
  assert.match((await loadIndex(dir, '/bundle', 'rules1')).problem ?? '', /damaged \(checksum\)/);
  fs.writeFileSync(file, 'garbage\n');
  assert.match((await loadIndex(dir, '/bundle', 'rules1')).problem ?? '', /damaged \(header\)/);
  fs.writeFileSync(file, JSON.stringify({ magic: 'quorum-lens-index', version: -1 }) + '\n');
  assert.match((await loadIndex(dir, '/bundle', 'rules1')).problem ?? '', /format -1/);
});

test('warm reopen gives the same index, rebuilds a damaged one, and never writes into the bundle', async () => {
  const bundle = path.join(tempDir(), 'bundle');
  writeSampleBundle(bundle, { noisePerMinute: 2 });
  const cache = tempDir();
  const before = snapshot(bundle);
  const cold = await indexBundleCached(bundle, cache);
  const warm = await indexBundleCached(bundle, cache);
  assert.deepEqual(warm.files, cold.files);
  assert.deepEqual(warm.processes, cold.processes);
  assert.deepEqual(snapshot(bundle), before);
  const file = cacheFile(cache, bundle);
  const buf = fs.readFileSync(file);
  buf[buf.length - 10] ^= 0xff;
  fs.writeFileSync(file, buf);
  const rebuilt = await indexBundleCached(bundle, cache);
  assert.ok(
    rebuilt.notes.some((n) => /index rebuilt: saved index is damaged/.test(n)),
    rebuilt.notes.join('; '),
  );
  assert.deepEqual(rebuilt.files, cold.files);
  assert.ok((await loadIndex(cache, bundle, rulesKeyOf(BUILTIN_ROLE_RULES))).scans, 'saved again, whole');
});

test('worker threads and the main thread produce the same index', async () => {
  const bundle = path.join(tempDir(), 'bundle');
  writeSampleBundle(bundle, { noisePerMinute: 4 });
  const inline = await indexBundle(bundle, { workers: 0 });
  const threaded = await indexBundle(bundle, { workers: 2 });
  assert.deepEqual(threaded, inline);
});

test('a line window reads from the nearest checkpoint and returns exactly the asked lines', async () => {
  const dir = tempDir();
  const file = path.join(dir, 'w.log.20230314-010000.3');
  writeGlog(file, 0, 5000);
  const s = fs.statSync(file);
  const f = await scanFile({ relPath: 'w.log.20230314-010000.3', absPath: file, node: 'n', size: s.size, mtimeMs: s.mtimeMs, matcher });
  assert.ok(f.checkpoints.length > 3, 'the file has several checkpoints');
  const all = fs.readFileSync(file, 'utf8').split('\n');
  assert.deepEqual(await readLineWindow(file, f.checkpoints, 3001, 3010), all.slice(3000, 3010));
  assert.deepEqual(await readLineWindow(file, f.checkpoints, 1, 2), all.slice(0, 2));
  assert.deepEqual(await readLineWindow(file, f.checkpoints, 4999, 6000), all.slice(4998, 5000));
  assert.deepEqual(await readLineWindow(file, [], 10, 11), all.slice(9, 11), 'works without checkpoints too');
});

test('a saved index is tied to the built-in event rules too: a changed message rule rebuilds it', () => {
  const before = rulesKeyOf(BUILTIN_ROLE_RULES);
  const rules = EVENT_RULES as EventRule[];
  const kept = rules[0];
  // The same rule with a widened regex: an index saved under the old one must not be trusted.
  rules[0] = { ...kept, regex: new RegExp(kept.regex.source + '|NEW MESSAGE') };
  try {
    assert.notEqual(rulesKeyOf(BUILTIN_ROLE_RULES), before);
  } finally {
    rules[0] = kept;
  }
  assert.equal(rulesKeyOf(BUILTIN_ROLE_RULES), before);
});
