import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, test } from 'node:test';
import type { MergeJson } from '../../src/cli/json';
import { CLI, tempDir, writeGzip } from '../helpers';
import { hostileCli } from '../measuredCli';

// The merged log over a bundle far larger than memory should hold, and against hostile input: a page from
// the middle of 640 MB of logs, a page back, and a filter that reads everything keep peak RSS bounded (the
// engine holds a read buffer and a few seconds of lines per open file, plus the page); a burst of a million
// lines in one second is merged without holding it; an exponential regex finishes, and one the linear
// engine cannot run is refused in words.

const RSS_BOUND_KB = 400 * 1024;
const DEADLINE_MS = 120_000;
/** Lines per file: 8 files of ~80 MB (2 of them .gz). */
const LINES = 520_000;
const FILES = 8;
const PAD = 'x'.repeat(60);

/** `hh:mm:ss,mmm` of `ms` after 01:00 on 2023-03-14, as ZooKeeper 3.4 writes it. */
function zkLine(ms: number, file: number, i: number): string {
  const t = new Date(Date.UTC(2023, 2, 14, 1, 0, 0) + ms).toISOString();
  const needle = i % 100_000 === 7 ? ' NEEDLE' : '';
  return `${t.slice(0, 10)} ${t.slice(11, 19)},${t.slice(20, 23)} [myid:${file}] - INFO  [SyncThread:0:FileTxnLog@338] - line ${i} of file ${file}${needle} ${PAD}\n`;
}

let big: string;
let cacheHome: string;
before(async () => {
  big = path.join(tempDir('ql-merge-big-'), 'bundle');
  for (let f = 0; f < FILES; f++) {
    const dir = path.join(big, `10_0_0_${1 + (f % 4)}`, 'zookeeper');
    fs.mkdirSync(dir, { recursive: true });
    // Files advance at different rates (and overlap in time), so the merge interleaves all of them.
    const at = (i: number) => Math.floor(i * (7 + f));
    if (f >= FILES - 2) {
      await writeGzip(path.join(dir, `zookeeper.log.${f}.gz`), async (write) => {
        for (let i = 0; i < LINES; i += 5000) {
          let chunk = '';
          for (let k = i; k < i + 5000; k++) chunk += zkLine(at(k), f, k);
          await write(chunk);
        }
      });
    } else {
      const fd = fs.openSync(path.join(dir, `zookeeper.log.${f}`), 'w');
      for (let i = 0; i < LINES; i += 5000) {
        let chunk = '';
        for (let k = i; k < i + 5000; k++) chunk += zkLine(at(k), f, k);
        fs.writeSync(fd, chunk);
      }
      fs.closeSync(fd);
    }
  }
  // Index once into a cache the runs share: what is measured is the merge, not the indexing.
  cacheHome = tempDir('ql-merge-big-cache-');
  const r = spawnSync(process.execPath, [CLI, 'index', big, '--json'], {
    encoding: 'utf8',
    env: { ...process.env, XDG_CACHE_HOME: cacheHome },
    timeout: 600_000,
  });
  assert.equal(r.status, 0, r.stderr);
});

function merge(args: string[], bundle = big, home = cacheHome): { out: MergeJson; ms: number; rssKb: number } {
  const r = hostileCli(['merge', bundle, '--json', ...args], { bundle, cacheHome: home, timeoutMs: DEADLINE_MS * 2 });
  assert.equal(r.status, 0, `exit ${String(r.status)} / ${String(r.signal)} after ${r.ms} ms: ${r.stderr.slice(0, 2000)}`);
  return { out: JSON.parse(r.stdout) as MergeJson, ms: r.ms, rssKb: r.rssKb };
}

const sorted = (lines: MergeJson['lines']) => lines.every((l, i) => i === 0 || lines[i - 1].time <= l.time);

test('a page of 100 000 lines from the middle of 640 MB, and the page before it: bounded memory, in time order, joined exactly', (t) => {
  const page = merge(['--from', '2023-03-14 01:30:00', '--max', '100000']);
  t.diagnostic(`page from the middle: ${page.ms} ms, peak RSS ${Math.round(page.rssKb / 1024)} MB`);
  assert.equal(page.out.lines.length, 100_000);
  assert.ok(sorted(page.out.lines));
  assert.ok(page.out.lines[0].time >= '2023-03-14T01:30:00', page.out.lines[0].time);
  assert.equal(new Set(page.out.lines.map((l) => l.file)).size, FILES, 'every file interleaved, the .gz ones too');
  assert.ok(page.rssKb < RSS_BOUND_KB, `peak RSS ${page.rssKb} KB`);
  assert.ok(page.out.next && page.out.previous);
  const back = merge(['--before', page.out.previous, '--max', '100000']);
  t.diagnostic(`page back: ${back.ms} ms, peak RSS ${Math.round(back.rssKb / 1024)} MB`);
  assert.equal(back.out.lines.length, 100_000);
  assert.ok(sorted(back.out.lines) && back.out.lines[back.out.lines.length - 1].time <= page.out.lines[0].time);
  assert.ok(back.rssKb < RSS_BOUND_KB, `peak RSS ${back.rssKb} KB`);
  const again = merge(['--after', back.out.next!, '--max', '5']);
  assert.deepEqual(again.out.lines, page.out.lines.slice(0, 5), 'forward from the page back lands on the first page');
});

test('a filter that must read all 640 MB keeps only its matches: bounded memory', (t) => {
  const r = merge(['--include', 'NEEDLE', '--max', '1000']);
  t.diagnostic(`include over everything: ${r.ms} ms, peak RSS ${Math.round(r.rssKb / 1024)} MB`);
  assert.equal(r.out.lines.length, FILES * Math.ceil(LINES / 100_000));
  assert.ok(sorted(r.out.lines));
  assert.equal(r.out.truncated, false);
  assert.ok(r.rssKb < RSS_BOUND_KB, `peak RSS ${r.rssKb} KB`);
});

test('a burst of 300 000 lines in one second is merged in order without holding it all, and says so', (t) => {
  const root = path.join(tempDir('ql-merge-burst-'), 'bundle');
  const dir = path.join(root, '10_0_0_1', 'zookeeper');
  fs.mkdirSync(dir, { recursive: true });
  const fd = fs.openSync(path.join(dir, 'zookeeper.log'), 'w');
  for (let i = 0; i < 300_000; i += 10_000) {
    let chunk = '';
    for (let k = i; k < i + 10_000; k++)
      chunk += `2023-03-14 01:30:00,${String(Math.floor(k / 1000)).padStart(3, '0')} [myid:1] - INFO  [main:X@1] - burst ${k}\n`;
    fs.writeSync(fd, chunk);
  }
  fs.closeSync(fd);
  fs.mkdirSync(path.join(root, '10_0_0_2', 'zookeeper'), { recursive: true });
  fs.writeFileSync(
    path.join(root, '10_0_0_2', 'zookeeper', 'zookeeper.log'),
    '2023-03-14 01:30:00,500 [myid:2] - INFO  [main:X@1] - other\n',
  );
  const home = tempDir('ql-merge-burst-cache-');
  const r = merge(['--max', '1000000'], root, home);
  t.diagnostic(`burst: ${r.ms} ms, peak RSS ${Math.round(r.rssKb / 1024)} MB`);
  assert.equal(r.out.lines.length, 300_001);
  assert.ok(sorted(r.out.lines));
  assert.ok(r.rssKb < 700 * 1024, `peak RSS ${r.rssKb} KB (the page itself is 300 000 lines)`);
  assert.ok(
    r.out.notes.some((n) => /more lines within a few seconds than one reader holds/.test(n.note)),
    JSON.stringify(r.out.notes),
  );
  const small = merge(['--from', '2023-03-14 01:30:00.200', '--max', '10'], root, home);
  t.diagnostic(`burst, a page inside it: ${small.ms} ms, peak RSS ${Math.round(small.rssKb / 1024)} MB`);
  assert.ok(small.rssKb < RSS_BOUND_KB, `peak RSS ${small.rssKb} KB`);
  assert.deepEqual(
    small.out.lines.map((l) => l.text.replace(/^.* - /, '')),
    Array.from({ length: 10 }, (_, i) => `burst ${200_000 + i}`),
  );
});

const EVIL = '(a+)+$';
const CRAFTED = `${'a'.repeat(41)}b`;

test('an exponential include regex over crafted lines finishes with the right answer; a backreference or -i is refused in words', () => {
  const root = path.join(tempDir('ql-merge-regex-'), 'bundle');
  const dir = path.join(root, '10_0_0_1', 'zookeeper');
  fs.mkdirSync(dir, { recursive: true });
  const lines = Array.from(
    { length: 200 },
    (_, i) => `2023-03-14 01:00:${String(i % 60).padStart(2, '0')},${String(i).padStart(3, '0')} [myid:1] - INFO  [main:X@1] - ${CRAFTED}`,
  );
  fs.writeFileSync(path.join(dir, 'zookeeper.log'), `${lines.join('\n')}\n`);
  const home = tempDir('ql-merge-regex-cache-');
  const none = merge(['--include', EVIL, '--max', '1000'], root, home);
  assert.equal(none.out.lines.length, 0);
  assert.ok(none.ms < 60_000, `${none.ms} ms`);
  assert.equal(merge(['--include', '(a+)+b$', '--max', '1000'], root, home).out.lines.length, 200);
  assert.equal(merge(['--exclude', EVIL, '--max', '1000'], root, home).out.lines.length, 200);
  for (const args of [
    ['--include', '(a)\\1'],
    ['--exclude', '(?<=a)b'],
  ]) {
    const r = hostileCli(['merge', root, ...args], { bundle: root, cacheHome: home, timeoutMs: DEADLINE_MS });
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /backreference or lookaround/);
  }
  const folded = hostileCli(['merge', root, '-i', '--include', 'aaa'], { bundle: root, cacheHome: home, timeoutMs: DEADLINE_MS });
  assert.equal(folded.status, 2, folded.stderr);
  assert.match(folded.stderr, /case-insensitive \(-i\) regex cannot run on the linear-time engine/);
});
