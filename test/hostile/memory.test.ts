import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, test } from 'node:test';
import { tempDir, writeGzip } from '../helpers';
import { runCliMeasured } from '../measuredCli';

// A small .gz that inflates to hundreds of megabytes of matching lines: counting and statistics must keep
// counts and numbers, not the lines, so their memory does not grow with the matches.
const LINES = 4_000_000;
const LINE = '2023-03-14 01:00:00,000 [myid:1] - INFO  [SyncThread:0:FileTxnLog@338] - GC pause young, 0.0125 secs\n';
// Peak RSS of the whole CLI process (workers included). Keeping 4 M hits of this line took over 1 GB.
const RSS_BOUND_KB = 400 * 1024;

let bundle: string;
before(async () => {
  bundle = path.join(tempDir('ql-mem-'), 'bundle');
  const dir = path.join(bundle, '10_0_0_1', 'zookeeper');
  fs.mkdirSync(dir, { recursive: true });
  const block = LINE.repeat(10_000);
  await writeGzip(path.join(dir, 'zookeeper.log.1.gz'), async (write) => {
    for (let i = 0; i < LINES / 10_000; i++) await write(block);
  });
});

const cliWithRss = (args: string[]) => runCliMeasured([...args, '--no-cache']);

test('count over millions of matching lines keeps counts, not lines: exact totals, bounded memory', () => {
  const r = cliWithRss(['count', bundle, 'GC pause', '--json']);
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { truncated: boolean; nodes: { total: number }[] };
  assert.equal(out.truncated, false);
  assert.equal(out.nodes[0].total, LINES);
  assert.ok(r.rssKb < RSS_BOUND_KB, `peak RSS ${r.rssKb} KB`);
});

test('stats over millions of matching lines keeps the numbers only: exact summary, bounded memory', () => {
  const r = cliWithRss(['stats', bundle, 'GC pause .*, ([0-9.]+) secs', '--json']);
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { all: { count: number; median: number } };
  assert.equal(out.all.count, LINES);
  assert.equal(out.all.median, 0.0125);
  assert.ok(r.rssKb < RSS_BOUND_KB, `peak RSS ${r.rssKb} KB`);
});
