import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, test } from 'node:test';
import { tempDir, writeGzip } from '../helpers';
import { hostileCli } from '../measuredCli';

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

const cliWithRss = (args: string[]) => hostileCli([...args, '--no-cache'], { bundle: args[1] });

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

// Trace keeps lines, so it is bounded in lines and characters overall, not per file: many files full of
// long matching lines (1.4 GB inflated; keeping every file's first 100 000 lines took ~1.5 GB) answer with
// the earliest lines, say where the rest begin, and the next page reads on from there.
const TRACE_FILES = 12;
const TRACE_LINES = 60_000;
const LONG = 'y'.repeat(1850);

test('trace over many files of long matching lines: bounded memory, cut at a time, and the next page reads on', async () => {
  const root = path.join(tempDir('ql-mem-trace-'), 'bundle');
  for (let f = 0; f < TRACE_FILES; f++) {
    const dir = path.join(root, `10_0_0_${1 + (f % 4)}`, 'zookeeper');
    fs.mkdirSync(dir, { recursive: true });
    await writeGzip(path.join(dir, `zookeeper.log.${f}.gz`), async (write) => {
      for (let i = 0; i < TRACE_LINES; i += 1000) {
        const lines: string[] = [];
        for (let k = i; k < i + 1000; k++) {
          // Files advance at different rates, so which lines are earliest is a question across files.
          const ms = k * (2 + f);
          const t = `${String(1 + Math.floor(ms / 3_600_000)).padStart(2, '0')}:${String(Math.floor(ms / 60_000) % 60).padStart(2, '0')}:${String(Math.floor(ms / 1000) % 60).padStart(2, '0')},${String(ms % 1000).padStart(3, '0')}`;
          lines.push(`2023-03-14 ${t} [myid:1] - INFO  [SyncThread:0:FileTxnLog@338] - wanted ${f}/${k} ${LONG}\n`);
        }
        await write(lines.join(''));
      }
    });
  }
  const first = cliWithRss(['trace', root, 'wanted', '--json']);
  assert.equal(first.status, 0, first.stderr);
  assert.ok(first.rssKb < 700 * 1024, `peak RSS ${first.rssKb} KB`);
  const out = JSON.parse(first.stdout) as { truncated: boolean; next?: string; hits: { time: string }[] };
  assert.equal(out.truncated, true);
  assert.ok(out.next, 'a cut trace says where the rest begin');
  assert.ok(out.hits.length > 1000, `${out.hits.length} lines`);
  assert.ok(
    out.hits.every((h) => h.time < out.next!),
    'every line shown is before the cut',
  );
  const second = cliWithRss(['trace', root, 'wanted', '--json', '--from', out.next]);
  assert.equal(second.status, 0, second.stderr);
  assert.ok(second.rssKb < 700 * 1024, `peak RSS ${second.rssKb} KB`);
  const page2 = JSON.parse(second.stdout) as { hits: { time: string }[] };
  assert.ok(page2.hits.length > 0 && page2.hits.every((h) => h.time >= out.next!), 'the next page starts at the cut');
});
