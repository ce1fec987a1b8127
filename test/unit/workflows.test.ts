import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { before, test } from 'node:test';
import { BundleQueries } from '../../src/core/bundleQueries';
import type { BundleIndex } from '../../src/core/model';
import { formatIso, parseUserTime } from '../../src/core/time';
import { requiredLiteral } from '../../src/core/requiredLiteral';
import { countPerNode } from '../../src/core/workflows/countPerNode';
import { sortByTime, correctedTime } from '../../src/core/workflows/hitOrder';
import { numericStats, summarize } from '../../src/core/workflows/numericStats';
import { sessionLifecycle } from '../../src/core/workflows/sessionLifecycle';
import { indexBundle } from '../../src/indexer/bundleIndexer';
import { clusterContext } from '../../src/indexer/contextWindow';
import { grepBundle } from '../../src/indexer/grepBundle';
import { quietSampleBundle, sampleBundle, snapshot } from '../helpers';

// The seeds' workflows on the sample bundle (test/fixtures/sampleBundle.ts). The quiet bundle has only the
// scripted lines, so its answers are written here by hand; on the noisy one a naive line-by-line reading of
// every file is the oracle.
let quiet: BundleIndex;
let noisy: BundleIndex;
let untouched: string[];
before(async () => {
  untouched = snapshot(sampleBundle());
  quiet = await indexBundle(quietSampleBundle());
  noisy = await indexBundle(sampleBundle());
});

const N = (n: number) => `172_20_131_${n}`;
const at = (b: BundleIndex, h: { file: number; line: number; text: string }) =>
  `${b.files[h.file].node} ${b.files[h.file].path.replace(/^.*\//, '')}:${h.line}`;
const t = (s: string) => parseUserTime(s) as number;

test('trace: every line naming pid 65380, on four nodes, in time order', async () => {
  const r = await grepBundle(quiet, { source: 'pid: 65380', regex: false });
  const hits = sortByTime(quiet, r.hits);
  assert.deepEqual(
    hits.map((h) => `${quiet.files[h.file].node} ${formatIso(h.time as number)}`),
    [
      `${N(241)} 2023-03-14T04:02:20.291517`,
      `${N(247)} 2023-03-14T05:29:53.919777`,
      `${N(242)} 2023-03-14T10:29:53.924180`,
      `${N(243)} 2023-03-14T11:53:55.297724`,
    ],
  );
  assert.match(hits[2].text, /^I0314 10:29:53\.924180 .*\[EXTENT SET STATUS\] pid: 65380 from/);
  assert.equal(r.truncated, false);
  // The line numbers point at the real lines.
  for (const h of hits) {
    const lines = fs.readFileSync(path.join(quiet.root, quiet.files[h.file].path), 'utf8').split('\n');
    assert.equal(lines[h.line - 1], h.text, at(quiet, h));
  }
});

test('trace: a clock offset reorders the lines (node 242 set 7 hours behind)', async () => {
  const r = await grepBundle(quiet, { source: 'pid: 65380', regex: false });
  const offsets = { [N(242)]: -7 * 3600e6 };
  const hits = sortByTime(quiet, r.hits, offsets);
  assert.deepEqual(
    hits.map((h) => quiet.files[h.file].node),
    [N(242), N(241), N(247), N(243)],
  );
  assert.equal(formatIso(correctedTime(quiet, hits[0], offsets) as number), '2023-03-14T03:29:53.924180');
});

test('trace on the noisy bundle finds exactly what a naive reading finds, with and without workers', async () => {
  const needle = 'pid: 6538';
  let expected = 0;
  for (const f of noisy.files) {
    if (f.skipped || f.duplicateOf) continue;
    expected += fs
      .readFileSync(path.join(noisy.root, f.path), 'latin1')
      .split('\n')
      .filter((l) => l.includes(needle)).length;
  }
  const inline = await grepBundle(noisy, { source: needle, regex: false }, { workers: 0 });
  const pooled = await grepBundle(noisy, { source: needle, regex: false }, { workers: 2 });
  assert.ok(expected >= 4, `the four scripted lines at least (${expected})`);
  assert.equal(inline.hits.length, expected);
  assert.deepEqual(
    pooled.hits.map((h) => at(noisy, h)),
    inline.hits.map((h) => at(noisy, h)),
  );
  assert.deepEqual(snapshot(sampleBundle()), untouched, 'searching wrote nothing into the bundle');
});

test("trace: continuation lines take their entry's time; the limit truncates; regex and case folding work", async () => {
  const r = await grepBundle(quiet, { source: 'SocketTimeoutException', regex: false });
  assert.deepEqual(
    sortByTime(quiet, r.hits).map((h) => `${quiet.files[h.file].node} ${formatIso(h.time as number)}`),
    [
      `${N(247)} 2023-03-14T00:59:00.000000`,
      `${N(245)} 2023-03-14T01:35:48.400000`,
      `${N(243)} 2023-03-14T01:35:51.690000`,
      `${N(243)} 2023-03-14T01:39:59.000000`,
    ],
  );
  const limited = await grepBundle(quiet, { source: 'SocketTimeoutException', regex: false }, { maxMatches: 2 });
  assert.equal(limited.hits.length, 2);
  assert.equal(limited.truncated, true);
  const re = await grepBundle(quiet, { source: 'extent_status_(\\w+) to', regex: true, ignoreCase: true });
  assert.deepEqual(
    re.hits.map((h) => h.captures),
    [['ALLOCATED']],
  );
});

test('count per node: "Exception when following the leader" by hour and by day', async () => {
  const r = await grepBundle(quiet, { source: 'Exception when following the leader', regex: false });
  const byHour = countPerNode(quiet, r.hits, 'hour');
  assert.deepEqual(
    byHour.buckets.map((b) => formatIso(b).slice(0, 13)),
    ['2023-03-14T00', '2023-03-14T01'],
  );
  assert.deepEqual(byHour.nodes, [N(243), N(245), N(247)]);
  assert.deepEqual(byHour.counts, { [N(243)]: [0, 2], [N(245)]: [0, 1], [N(247)]: [1, 0] });
  assert.deepEqual(byHour.totals, { [N(243)]: 2, [N(245)]: 1, [N(247)]: 1 });
  const byDay = countPerNode(quiet, r.hits, 'day');
  assert.deepEqual(byDay.buckets.map(formatIso), ['2023-03-14T00:00:00.000000']);
  assert.deepEqual(byDay.counts, { [N(243)]: [2], [N(245)]: [1], [N(247)]: [1] });
  // A node's clock offset moves its matches into other buckets: 247's 00:59 becomes 02:00.
  const shifted = countPerNode(quiet, r.hits, 'hour', { [N(247)]: 61 * 60e6 });
  assert.deepEqual(
    shifted.buckets.map((b) => formatIso(b).slice(11, 13)),
    ['01', '02'],
  );
  assert.deepEqual(shifted.counts[N(247)], [0, 1]);
});

test("numeric statistics: GC pauses per node, like seed 002's awk | python", async () => {
  const r = await grepBundle(quiet, { source: 'GC pause .*, ([0-9.]+) secs', regex: true });
  const s = numericStats(quiet, r.hits);
  assert.deepEqual(Object.keys(s.perNode), [N(241), N(243)]);
  const a = s.perNode[N(241)];
  assert.deepEqual([a.count, a.min, a.max, a.median, a.p99], [3, 0.1744269, 0.4796178, 0.2051, 0.4796178]);
  assert.ok(Math.abs(a.sum - 0.8591447) < 1e-12 && Math.abs(a.mean - 0.8591447 / 3) < 1e-12);
  const b = s.perNode[N(243)];
  assert.deepEqual([b.count, b.min, b.max], [2, 0.19, 0.21]);
  assert.ok(Math.abs(b.median - 0.2) < 1e-12);
  assert.equal(s.all?.count, 5);
  assert.equal(s.notNumbers, 0);
  // A capture that is not a number is counted apart, not summed.
  const words = numericStats(quiet, (await grepBundle(quiet, { source: 'GC pause \\((\\w+)', regex: true })).hits);
  assert.deepEqual([words.all, words.notNumbers], [undefined, 5]);
});

test('summaries: median of an even list, nearest-rank p99, nothing for no values', () => {
  assert.deepEqual(summarize([4, 1, 3, 2]), { count: 4, sum: 10, min: 1, max: 4, mean: 2.5, median: 2.5, p99: 4 });
  const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
  assert.equal(summarize(hundred)?.p99, 99);
  assert.equal(summarize([]), undefined);
});

test("cluster context: every node's lines within ±1 s of 01:35:51, interleaved, continuation lines included", async () => {
  const r = await clusterContext(quiet, t('2023-03-14 01:35:51'), 1e6);
  assert.deepEqual(
    r.lines.map(
      (l) => `${formatIso(l.corrected).slice(11)} ${quiet.files[l.file].node} ${l.text.replace(/^.*?@\d+\] - /, '').slice(0, 40)}`,
    ),
    [
      `01:35:50.500000 ${N(241)} Peer state changed: leading - discovery`,
      `01:35:51.000000 ${N(241)} Have quorum of supporters, sids: [1, 3, `,
      `01:35:51.200000 ${N(241)} Peer state changed: leading - broadcast`,
      `01:35:51.682000 ${N(243)} Got zxid 0x10000016d0 expected 0x1`,
      `01:35:51.690000 ${N(243)} Exception when following the leader`,
      `01:35:51.690000 ${N(243)} java.net.SocketTimeoutException: Read ti`,
      `01:35:51.690000 ${N(243)} \tat java.net.SocketInputStream.socketRea`,
      `01:35:51.703000 ${N(242)} Expiring session 0x1000adfaccc0001, time`,
      `01:35:51.704000 ${N(242)} Submitting global closeSession request f`,
      `01:35:52.000000 ${N(242)} Peer state changed: looking`,
    ],
  );
  // With 242's clock set 500 ms ahead, its lines leave the window.
  const shifted = await clusterContext(quiet, t('2023-03-14 01:35:51'), 1e6, { [N(242)]: 500e3 });
  assert.equal(shifted.lines.length, 7);
  assert.ok(shifted.lines.every((l) => quiet.files[l.file].node !== N(242)));
  // Nothing anywhere: an empty answer, not an error.
  assert.deepEqual((await clusterContext(quiet, t('2020-01-01 00:00:00'), 5e6)).lines, []);
});

test("session lifecycle: a ZooKeeper session in hex and as kazoo's decimal", () => {
  const hex = sessionLifecycle(quiet, '0x1000adfaccc0001');
  const expected = [
    `${N(241)} 01:20:00.000000 committed (global session)`,
    `${N(242)} 01:35:51.703000 expired by the leader (timeout 4000 ms)`,
    `${N(242)} 01:35:51.704000 closeSession submitted`,
    `${N(242)} 01:35:53.968000 "Invalid session … probably expired"`,
    `${N(245)} 01:35:55.330000 revalidated (client moved here)`,
  ];
  assert.deepEqual(
    hex.events.map((e) => `${quiet.files[e.file].node} ${formatIso(e.time).slice(11)} ${e.what}`),
    expected,
  );
  assert.deepEqual([hex.kind, hex.id, hex.creatorMyid], ['zookeeper', '0x1000adfaccc0001', 1]);
  assert.equal(new BundleQueries(quiet, []).nodeOfMyid(1)?.name, N(241));
  assert.deepEqual(sessionLifecycle(quiet, '72069549830963201').events, hex.events);
  assert.deepEqual(sessionLifecycle(quiet, '0x2000000000000099').events, []);
});

test('session lifecycle: a meta session uuid with its delayed-RPC bug line, and every meta session event', () => {
  const one = sessionLifecycle(quiet, 'A1EE10AF-A8B6-4D50-B11D-EB09642685AC');
  assert.deepEqual(
    one.events.map((e) => `${quiet.files[e.file].node} ${formatIso(e.time).slice(11)} ${e.what}`),
    [`${N(242)} 09:30:00.000000 [SESSION EXPIRED]`, `${N(242)} 09:30:00.000020 [BUG] expired by a delayed RPC`],
  );
  assert.deepEqual([one.kind, one.id], ['meta', 'a1ee10af-a8b6-4d50-b11d-eb09642685ac']);
  const all = sessionLifecycle(quiet, 'meta');
  assert.deepEqual(
    all.events.map((e) => `${quiet.files[e.file].node} ${formatIso(e.time).slice(11)} ${e.what}`),
    [
      `${N(243)} 05:12:25.185218 [SESSION KEEPALIVE FAILURE]`,
      `${N(243)} 05:12:27.093699 [FOLLOWER SESSION JEOPARDY]`,
      `${N(243)} 05:12:28.899292 [FOLLOWER SESSION RECONNECT]`,
      `${N(242)} 09:30:00.000000 [SESSION EXPIRED] a1ee10af-a8b6-4d50-b11d-eb09642685ac`,
      `${N(242)} 09:30:00.000020 [BUG] expired by a delayed RPC`,
    ],
  );
});

test('clock offsets from the NTP monitor, per node, and the uncertainty of an overlap between two nodes', () => {
  const q = new BundleQueries(quiet, ['meta']);
  const s = q.clockOffsetStats();
  assert.deepEqual([...s.keys()].sort(), [N(241), N(242), N(243), N(245), N(247)]);
  const n243 = s.get(N(243));
  assert.deepEqual([n243?.count, n243?.min, n243?.max, n243?.median, n243?.maxAbs], [3, -1.434, -0.058, -0.061, 1.434]);
  assert.equal(s.get(N(247))?.maxAbs, 0.0575);
  assert.equal(q.clockUncertainty(N(241), N(243)), 2_836_000);
  assert.equal(q.clockUncertainty(`${N(241)}/myid=1`, N(242)), 1_423_000, "a ZooKeeper lane takes its node's offsets");
  assert.equal(q.clockUncertainty('test-logs', 'nowhere'), undefined);
});

test('a file deleted after indexing is named as unreadable; the other files still answer', async () => {
  const copy = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ql-gone-')), 'bundle');
  fs.cpSync(quietSampleBundle(), copy, { recursive: true });
  try {
    const b = await indexBundle(copy);
    const gone = '172_20_131_242/base_component_logs/zookeeper/zookeeper.log';
    fs.rmSync(path.join(copy, gone));
    const r = await grepBundle(b, { source: 'pid: 65380', regex: false });
    assert.deepEqual(
      r.unreadable.map((u) => u.file),
      [gone],
    );
    assert.match(r.unreadable[0].message, /ENOENT/);
    assert.equal(r.hits.length, 4);
    const c = await clusterContext(b, t('2023-03-14 01:35:51'), 1e6);
    assert.deepEqual(
      c.unreadable.map((u) => u.file),
      [gone],
    );
    assert.equal(c.lines.length, 7, 'the lines of 241 and 243 are still there');
  } finally {
    fs.rmSync(path.dirname(copy), { recursive: true, force: true });
  }
});

test('the byte search (plain text first) and the text search agree on every field', async () => {
  // Case-insensitive searches take the text path; these patterns have no other case in the bundle.
  for (const [source, regex] of [
    ['pid: 6538', false],
    ['GC pause .*, ([0-9.]+) secs', true],
    ['Exception when following', false],
    ['offset: (-?[0-9.]+) s$', true],
    ['^W0314 0[45]:\\d\\d', true],
  ] as const) {
    const bytes = await grepBundle(noisy, { source, regex });
    const text = await grepBundle(noisy, { source, regex, ignoreCase: true });
    assert.ok(bytes.hits.length > 0, source);
    assert.deepEqual(bytes.hits, text.hits, source);
  }
});

test("a regex's required plain text: the longest run every match contains, none when a match may cross lines", () => {
  assert.equal(requiredLiteral('GC pause .*, ([0-9.]+) secs'), 'GC pause ');
  assert.equal(requiredLiteral('Exception when (following|leading) the leader'), 'Exception when ');
  assert.equal(requiredLiteral('zk retcode=-?\\d+'), 'zk retcode=');
  assert.equal(requiredLiteral('sessions? expired'), ' expired');
  assert.equal(requiredLiteral('\\[SESSION EXPIRED\\]'), '[SESSION EXPIRED]');
  assert.equal(requiredLiteral('a{2}bcdef'), 'bcdef');
  assert.equal(requiredLiteral('LEADING|FOLLOWING'), undefined, 'an alternation at the top requires nothing');
  assert.equal(requiredLiteral('expired\\s+session'), undefined, '\\s can match a newline');
  assert.equal(requiredLiteral('[^x]+ expired'), undefined);
  assert.equal(requiredLiteral('\\d+\\.\\d+'), undefined, 'too short');
});

test('line numbers stay exact across chunks and checkpoints in a 12 MB file, on both search paths', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ql-big-'));
  try {
    const node = path.join(dir, '10_0_0_1');
    fs.mkdirSync(node);
    const lines: string[] = [];
    for (let i = 0; i < 100_000; i++) {
      const s = 1_000_000 + i; // microseconds: a clock that moves forward
      const time = `0314 01:${String(Math.floor(s / 60e6) % 60).padStart(2, '0')}:${String(Math.floor(s / 1e6) % 60).padStart(2, '0')}.${String(s % 1e6).padStart(6, '0')}`;
      lines.push(`I${time} 4242 filler.cc:12] ${i % 997 === 0 ? `MARK ${i} ` : ''}${'x'.repeat(60 + (i % 50))}`);
      if (i % 4999 === 0) lines.push('    continuation of the entry above');
    }
    fs.writeFileSync(path.join(node, 'svc.log.20230314-010000.4242'), `Log file created at: 2023/03/14 01:00:00\n${lines.join('\n')}\n`);
    const b = await indexBundle(dir);
    assert.ok(b.files[0].size > 12e6 && b.files[0].checkpoints.length > 100);
    const expected = lines.flatMap((l, i) => (l.includes('MARK') ? [`${i + 2} ${l.slice(0, 40)}`] : []));
    for (const pattern of [
      { source: 'MARK', regex: false },
      { source: 'MARK (\\d+) ', regex: true },
      { source: 'mark', regex: false, ignoreCase: true },
    ]) {
      const r = await grepBundle(b, pattern);
      assert.deepEqual(
        r.hits.map((h) => `${h.line} ${h.text.slice(0, 40)}`),
        expected,
        JSON.stringify(pattern),
      );
      assert.ok(r.hits.every((h) => h.time !== undefined && formatIso(h.time).startsWith('2023-03-14T01:')));
    }
    const cont = await grepBundle(b, { source: 'continuation of', regex: false });
    assert.equal(cont.hits.length, 21);
    assert.equal(formatIso(cont.hits[1].time as number), '2023-03-14T01:00:01.004999', "a continuation line takes its entry's time");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
