import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import type { TraceJson } from '../../src/cli/json';
import { noun, plural } from '../../src/core/plural';
import { describeEndReason } from '../../src/core/rules/roleRules';
import { runCli, tempDir } from '../helpers';

// Words a reader sees: counts with their nouns in the right number, end reasons that read after "ended
// by", and log lines the CLI cuts said to be cut.

test('a count takes its noun in the right number', () => {
  assert.equal(plural(1, 'node'), '1 node');
  assert.equal(plural(0, 'node'), '0 nodes');
  assert.equal(plural(5, 'ZooKeeper leader overlap'), '5 ZooKeeper leader overlaps');
  assert.equal(plural(1, 'match has', 'matches have'), '1 match has');
  assert.equal(plural(2, 'entry', 'entries'), '2 entries');
  assert.equal(noun(1, 'file'), 'file');
});

test('every end reason reads after "ended by"', () => {
  assert.equal(`ended by ${describeEndReason('processExit')}`, 'ended by the process exiting (restarted later)');
  assert.equal(`ended by ${describeEndReason('logEnd')}`, 'ended by the end of the logs (still holding it then)');
  assert.equal(`ended by ${describeEndReason('clockStepBack')}`, 'ended by the clock stepping back (the term goes on after the step)');
  assert.equal(`ended by ${describeEndReason('meta.stoppingServices')}`, 'ended by "Stopping the services of meta"');
});

// A bundle of one node whose ZooKeeper log holds a line of 400 characters and a short one.
const LONG = `2023-03-14 01:35:51,703 [myid:1] - WARN  [SyncThread:1:FileTxnLog@402] - fsync-ing the write ahead log MARKER ${'x'.repeat(300)} END`;
function longLineBundle(): string {
  const dir = path.join(tempDir('ql-long-'), 'bundle');
  fs.mkdirSync(path.join(dir, 'zookeeper'), { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'zookeeper', 'zookeeper.log'),
    `2023-03-14 01:35:50,000 [myid:1] - INFO  [main:QuorumPeer@1] - short MARKER line\n${LONG}\n`,
  );
  return dir;
}

test('trace and context cut lines past 160 characters with a marked "… [N chars]" and say so once; --json prints them whole', () => {
  const dir = longLineBundle();
  const trace = runCli(['trace', dir, 'MARKER', '--no-cache']);
  assert.equal(trace.code, 0, trace.stderr);
  assert.match(trace.stdout, /^2 lines mention "MARKER":/);
  assert.ok(trace.stdout.includes(`${LONG.slice(0, 160)}… [${LONG.length} chars]`), trace.stdout);
  assert.doesNotMatch(trace.stdout, /END/, 'the cut part is not printed');
  assert.match(trace.stdout, /short MARKER line$/m, 'a short line is whole, unmarked');
  assert.match(trace.stdout, /1 line longer than 160 characters is cut at "…" \(its length in brackets\); --json prints it whole\./);
  const json = JSON.parse(runCli(['trace', dir, 'MARKER', '--no-cache', '--json']).stdout) as TraceJson;
  assert.equal(json.hits[1].text, LONG);

  const context = runCli(['context', dir, '2023-03-14 01:35:51', '--no-cache']);
  assert.equal(context.code, 0, context.stderr);
  assert.match(context.stdout, /^2 lines within ±5 s of/);
  assert.ok(context.stdout.includes(`… [${LONG.length} chars]`), context.stdout);
  assert.match(context.stdout, /1 line longer than 160 characters is cut/);
  const single = runCli(['trace', dir, 'short MARKER', '--no-cache']);
  assert.match(single.stdout, /^1 line mentions "short MARKER":/);
});
