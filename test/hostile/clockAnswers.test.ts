import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { leaderIntervals } from '../../src/core/leaderIntervals';
import { formatIso } from '../../src/core/time';
import { RollingYearClock } from '../../src/core/yearClock';
import { indexBundle } from '../../src/indexer/bundleIndexer';
import { confined } from '../fsAudit';
import { tempDir } from '../helpers';

// Crafted or broken clocks must not turn into wrong answers: a date that is no date, and a clock that
// steps back in the middle of a leader term.

/** glog lines for a meta server, `mmdd hh:mm:ss` given, with filler so checkpoints fall in between. */
function glogLine(mmdd: string, clock: string, message: string, file = 'meta_server.cc:408'): string {
  return `I${mmdd} ${clock}.000000 4242 ${file}] ${message}`;
}

function writeMetaLog(lines: string[]): string {
  const root = path.join(tempDir('ql-clock-'), 'bundle');
  const dir = path.join(root, '10_0_0_1', 'zbs_logs', 'zbs-metad');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'zbs-metad.log.20230314-085959.4242'), `${lines.join('\n')}\n`);
  return root;
}

const filler = (mmdd: string, hh: number, n: number) =>
  Array.from({ length: n }, (_, i) => {
    const s = 60 * 60 + i; // one line a second from hh:00
    const t = `${String(hh + Math.floor(s / 3600) - 1).padStart(2, '0')}:${String(Math.floor(s / 60) % 60).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
    return glogLine(mmdd, t, `heartbeat ${'x'.repeat(80)} ${i}`, 'heartbeat.cc:1');
  });

test('a month 00 or 13 in a yearless glog date does not move the year of the lines after it', async () => {
  const clock = new RollingYearClock({ year: 2023, month: 3, day: 14 });
  assert.equal(clock.yearFor(3, 14), 2023);
  assert.equal(clock.yearFor(13, 1), 2023);
  assert.equal(clock.yearFor(0, 5), 2023);
  assert.equal(clock.yearFor(3, 15), 2023);
  assert.equal(clock.rollovers, 0);

  const root = writeMetaLog([
    glogLine('0314', '09:00:00', 'Starting the services of meta'),
    glogLine('1314', '09:00:01', 'crafted: month 13'),
    glogLine('0014', '09:00:02', 'crafted: month 00'),
    glogLine('0315', '09:00:03', 'Start the leader role'),
    glogLine('0315', '09:10:00', 'Stopping the services of meta'),
  ]);
  const bundle = await confined({ bundle: root }, () => indexBundle(root, { workers: 0 }));
  const [iv] = leaderIntervals(bundle, 'meta');
  assert.ok(iv, 'the leader term is found');
  assert.equal(formatIso(iv.start), '2023-03-15T09:00:03.000000');
});

test('a clock stepping back inside a leader term splits the term at the step; no term has a negative length', async () => {
  // Leader from 09:00; an hour of heartbeats; the clock steps back to 06:40; heartbeats; the term ends at 07:30.
  const root = writeMetaLog([
    glogLine('0314', '09:00:00', 'Start the leader role'),
    ...filler('0314', 9, 3000),
    ...filler('0314', 6, 3000),
    glogLine('0314', '07:30:00', 'Stopping the services of meta'),
  ]);
  const bundle = await confined({ bundle: root }, () => indexBundle(root, { workers: 0 }));
  const ivs = leaderIntervals(bundle, 'meta');
  assert.equal(ivs.length, 2, JSON.stringify(ivs.map((i) => [formatIso(i.start), formatIso(i.end)])));
  for (const iv of ivs) {
    assert.ok(iv.end >= iv.start, `${formatIso(iv.start)} → ${formatIso(iv.end)}`);
    assert.equal(iv.clockStepped, true);
  }
  const before = ivs.find((iv) => iv.endReason === 'clockStepBack');
  const after = ivs.find((iv) => iv !== before);
  assert.ok(before && after);
  assert.equal(before.endReason, 'clockStepBack');
  assert.equal(formatIso(before.start), '2023-03-14T09:00:00.000000');
  assert.ok(before.end > before.start, 'the first half lasts until the last sample before the step');
  assert.ok(formatIso(after.start) < '2023-03-14T07:30:00', formatIso(after.start));
  assert.equal(formatIso(after.end), '2023-03-14T07:30:00.000000');
  assert.equal(after.endReason, 'meta.stoppingServices');
});
