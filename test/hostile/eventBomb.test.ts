import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, test } from 'node:test';
import * as zlib from 'node:zlib';
import { clock, FLOOD_LINES as LINES, SESSIONS, sessionId, writeSessionFlood } from '../fixtures/sessionFlood';
import { tempDir } from '../helpers';
import { hostileCli } from '../measuredCli';

// A 28 MB .gz of one ZooKeeper message repeated: every line is a session event. Keeping each one took
// 8.9 GB and wrote a 2 GB index that every later run choked on; past the per-file budget they are counted
// per session instead, so memory and the saved index stay small whatever the line count.
const EVENT_BUDGET = 200_000; // the indexer's per-file budget of repetitive events (README, Limits)
const DECISIVE_CAP = 300_000; // and its cap on every other kind
// Peak RSS of the whole CLI process; the saved index file.
const RSS_BOUND_KB = 600 * 1024;
// 200 000 kept session events come to about 48 MB; the old code wrote 2 GB.
const INDEX_BOUND_BYTES = 64 * 1024 * 1024;
const TIME_BUDGET_MS = 120_000;

let bundle: string;
let cache: string;
// A crafted file that repeats a state line: 2 deciding events a line (the state and the role edge).
const FLOOD_LINES = 400_000;
let flood: string;
let floodCache: string;
before(async () => {
  flood = path.join(tempDir('ql-flood-'), 'bundle');
  floodCache = tempDir('ql-flood-cache-');
  fs.mkdirSync(path.join(flood, '10_0_0_1', 'zookeeper'), { recursive: true });
  const line = `${clock(0)} [myid:1] - INFO  [QuorumPeer[myid=1](plain=0.0.0.0:2181):QuorumPeer@1422] - FOLLOWING\n`;
  fs.writeFileSync(path.join(flood, '10_0_0_1', 'zookeeper', 'zookeeper.log.1.gz'), zlib.gzipSync(line.repeat(FLOOD_LINES), { level: 1 }));

  bundle = path.join(tempDir('ql-bomb-'), 'bundle');
  cache = tempDir('ql-bomb-cache-');
  await writeSessionFlood(bundle);
});

/** Runs the CLI with the test's cache folder, measured (peak RSS, time). */
const cliWithRss = (args: string[], cacheHome = cache) => hostileCli(args, { bundle: args[1], cacheHome, timeoutMs: TIME_BUDGET_MS });

function savedIndexes(cacheHome = cache): string[] {
  const dir = path.join(cacheHome, 'quorum-lens');
  return fs.existsSync(dir)
    ? fs
        .readdirSync(dir)
        .filter((f) => f.endsWith('.qlidx'))
        .map((f) => path.join(dir, f))
    : [];
}

interface IndexAnswer {
  events: Record<string, number>;
  notes: { file: string | null; note: string }[];
}

let firstAnswer: IndexAnswer | undefined;

test('indexing 8 M session events keeps a budget and counts the rest: bounded memory, a small saved index, a note', () => {
  const r = cliWithRss(['index', bundle, '--json']);
  assert.equal(r.status, 0, r.stderr.slice(-2000));
  assert.ok(r.rssKb < RSS_BOUND_KB, `peak RSS ${r.rssKb} KB (bound ${RSS_BOUND_KB} KB)`);
  const saved = savedIndexes();
  assert.equal(saved.length, 1, 'the index was saved');
  const size = fs.statSync(saved[0]).size;
  assert.ok(size < INDEX_BOUND_BYTES, `saved index ${size} bytes (bound ${INDEX_BOUND_BYTES})`);
  firstAnswer = JSON.parse(r.stdout) as IndexAnswer;
  // Counts stay honest: every session event the file holds is counted, kept or not.
  assert.equal(firstAnswer.events.session, LINES + 1);
  const note = firstAnswer.notes.find((n) => /session events: kept the first/.test(n.note));
  assert.ok(note, JSON.stringify(firstAnswer.notes));
  assert.match(note.note, new RegExp(`${LINES + 1} session events: kept the first ${EVENT_BUDGET}`));
  console.log(`index: ${r.ms} ms, peak RSS ${Math.round(r.rssKb / 1024)} MB, saved index ${(size / 1024 ** 2).toFixed(1)} MB`);
});

test('a second run loads the saved index: same answer, bounded memory', () => {
  assert.ok(firstAnswer, 'the first run answered');
  const r = cliWithRss(['index', bundle, '--json']);
  assert.equal(r.status, 0, r.stderr.slice(-2000));
  assert.ok(r.rssKb < RSS_BOUND_KB, `peak RSS ${r.rssKb} KB`);
  assert.deepEqual(JSON.parse(r.stdout), firstAnswer);
  console.log(`reload: ${r.ms} ms, peak RSS ${Math.round(r.rssKb / 1024)} MB`);
});

test('the session lifecycle shows the kept events and one counted row per summarised action', () => {
  const r = cliWithRss(['session', bundle, sessionId(1), '--json']);
  assert.equal(r.status, 0, r.stderr.slice(-2000));
  const out = JSON.parse(r.stdout) as { events: { what: string; line: number }[] };
  const perSession = LINES / SESSIONS;
  const kept = EVENT_BUDGET / SESSIONS;
  const revalidated = out.events.filter((e) => e.what.startsWith('revalidated'));
  assert.equal(revalidated.length, kept + 1, 'the kept lines and one summary row');
  const summary = revalidated[revalidated.length - 1];
  assert.match(summary.what, new RegExp(`: ${perSession - kept} times in lines `));
  assert.match(summary.what, /summarised/);
  // The close at the very end is past the budget too: counted once, and it still says where it is.
  const closed = out.events.find((e) => e.what.startsWith('closed'));
  assert.ok(closed, 'the close is shown');
  assert.equal(closed.line, LINES + 2);
});

test('a file repeating deciding lines is capped too, with a note saying where its answers stop', () => {
  const r = cliWithRss(['index', flood, '--json'], floodCache);
  assert.equal(r.status, 0, r.stderr.slice(-2000));
  assert.ok(r.rssKb < RSS_BOUND_KB, `peak RSS ${r.rssKb} KB`);
  const out = JSON.parse(r.stdout) as IndexAnswer;
  assert.equal(out.events.zkState, FLOOD_LINES);
  const note = out.notes.find((n) => /deciding events/.test(n.note));
  assert.ok(note, JSON.stringify(out.notes));
  assert.match(note.note, new RegExp(`kept the first ${DECISIVE_CAP}, dropped the other \\d+ from line \\d+ on`));
  console.log(
    `flood: ${r.ms} ms, peak RSS ${Math.round(r.rssKb / 1024)} MB, saved index ${(fs.statSync(savedIndexes(floodCache)[0]).size / 1024 ** 2).toFixed(1)} MB`,
  );
});

test('a run that died loading the saved index leaves a mark: the next one deletes the index and rebuilds it', () => {
  const saved = savedIndexes(floodCache);
  assert.equal(saved.length, 1, 'the flood run saved its index');
  // The pid of a process that has exited: whoever wrote this mark is gone.
  const dead = spawnSync(process.execPath, ['-e', '0']).pid;
  fs.writeFileSync(`${saved[0]}.loading`, String(dead));
  const r = cliWithRss(['index', flood, '--json'], floodCache);
  assert.equal(r.status, 0, r.stderr.slice(-2000));
  const out = JSON.parse(r.stdout) as IndexAnswer;
  assert.ok(
    out.notes.some((n) => /index rebuilt: .*stopped while loading it/.test(n.note)),
    JSON.stringify(out.notes),
  );
  assert.equal(fs.existsSync(`${saved[0]}.loading`), false, 'the mark is gone');
  assert.equal(savedIndexes(floodCache).length, 1, 'and a new index was saved');
  const again = cliWithRss(['index', flood, '--json'], floodCache);
  assert.equal(again.status, 0);
  assert.ok(!(JSON.parse(again.stdout) as IndexAnswer).notes.some((n) => /index rebuilt/.test(n.note)), 'the rebuilt index loads');
});
