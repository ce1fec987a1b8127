import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, test } from 'node:test';
import { BundleQueries } from '../../src/core/bundleQueries';
import { silenceWords, spokenSeconds } from '../../src/core/eventLabels';
import type { BundleIndex } from '../../src/core/model';
import { formatIso } from '../../src/core/time';
import { timelineModel, type TimelineItem, type TimelineModel } from '../../src/core/timelineModel';
import { indexBundle } from '../../src/indexer/bundleIndexer';
import * as service from '../../src/service';
import { parseWebviewMessage } from '../../src/shared/webviewProtocol';
import { lineToOpen, phaseAt, phaseSegments, type InsideItem } from '../../src/webview/timeline/phases';
import { TrackIndex, visibleRuns } from '../../src/webview/timeline/trackIndex';
import { quietSampleContext, sampleBundle, tempDir } from '../helpers';

// What the Leader Timeline shows to explain an overlap: the phases of each leader term, silences,
// judged session expiries, faults on the runner's clock, and per overlap its stale side and how long
// both leaders served.

const ROLES = ['meta', 'zk', 'namenode'];
let bundle: BundleIndex;
let model: TimelineModel;
before(async () => {
  bundle = await indexBundle(sampleBundle());
  model = timelineModel(new BundleQueries(bundle, ROLES));
});

const laneOf = (m: TimelineModel, it: TimelineItem) => m.lanes[it.lane].id;
const hhmmss = (t: number) => formatIso(t).slice(11, 23);
const leading = (m: TimelineModel, node: string) => m.items.filter((it) => it.style === 'zk-leading' && laneOf(m, it) === node);

test('a leading band carries its term’s phases: 3.6 phase lines, or broadcast from a 3.4 quorum line', () => {
  const [b242] = leading(model, '172_20_131_242');
  // One home for phase knowledge: the band carries exactly its leader term's phases (core leaderIntervals).
  const term = new BundleQueries(bundle, ROLES).intervals('zk').find((iv) => iv.node === '172_20_131_242' && iv.start === b242.start);
  assert.ok(term?.phases);
  assert.deepEqual(
    b242.phases,
    term.phases.map((p) => ({ phase: p.phase, time: p.time, file: p.source.file, line: p.source.line, text: p.text })),
  );
  assert.deepEqual(
    b242.phases?.map((p) => `${p.phase} ${path.basename(p.file)}`),
    ['discovery zookeeper.log', 'broadcast zookeeper.log'],
  );
  assert.equal(hhmmss(b242.phases?.[0].time ?? 0), '01:10:00.000');
  assert.match(b242.phases?.[0].text ?? '', /leading - discovery/);
  const [b247] = leading(model, '172_20_131_247');
  assert.deepEqual(
    b247.phases?.map((p) => `${p.phase} ${hhmmss(p.time)}`),
    ['broadcast 00:50:01.000'],
    'without phase lines, broadcast begins at "… starting up"',
  );
  assert.ok(
    model.items.filter((it) => it.style !== 'zk-leading').every((it) => it.phases === undefined),
    'only leading bands have phases',
  );
});

test('phases move with their node’s clock offset, like the band', () => {
  const shifted = timelineModel(new BundleQueries(bundle, ROLES), { '172_20_131_242': 2_000_000 });
  const [before] = leading(model, '172_20_131_242');
  const [after] = leading(shifted, '172_20_131_242');
  assert.equal(after.start - before.start, 2_000_000);
  assert.deepEqual(
    after.phases?.map((p) => p.time - 2_000_000),
    before.phases?.map((p) => p.time),
  );
});

test('a band’s phases as segments: not serving before broadcast; the pointer’s phase; its line on click', () => {
  const it: InsideItem = {
    start: 100,
    end: 1000,
    style: 'zk-leading',
    file: 0,
    line: 10,
    phases: [
      { phase: 'discovery', time: 150, file: 0, line: 11, text: 'leading - discovery' },
      { phase: 'synchronization', time: 300, file: 0, line: 12, text: 'leading - synchronization' },
      { phase: 'broadcast', time: 400, file: 1, line: 13, text: 'leading - broadcast' },
    ],
  };
  assert.deepEqual(
    phaseSegments(it).map((s) => `${s.phase ?? '-'} ${s.start}-${s.end} ${s.serving ? 'serving' : 'not serving'}`),
    ['- 100-150 not serving', 'discovery 150-300 not serving', 'synchronization 300-400 not serving', 'broadcast 400-1000 serving'],
  );
  assert.equal(phaseAt(it, 350)?.phase, 'synchronization');
  assert.equal(phaseAt(it, 120)?.phase, undefined, 'before the first phase line: no phase named');
  assert.deepEqual(lineToOpen(it, 500), { file: 1, line: 13 }, 'a click in broadcast opens the broadcast line');
  assert.deepEqual(lineToOpen(it, 120), { file: 0, line: 10 }, 'before any phase: the band’s own line');
  const never = { ...it, phases: it.phases?.slice(0, 2) };
  assert.ok(
    phaseSegments(never).every((s) => !s.serving),
    'a term that never reached broadcast never served',
  );
  assert.deepEqual(phaseSegments({ ...it, phases: undefined }), [], 'no phases: nothing known, one plain band');
  const silence: InsideItem = { start: 0, end: 9, style: 'silence', file: 2, line: 5, endFile: 3, endLine: 1 };
  assert.deepEqual(lineToOpen(silence, 4), { file: 3, line: 1 }, 'a silence opens the line where the log resumes');
});

test('a server’s Expiring session logged by a deposed leader is judged ineffective; the verdict goes with it', () => {
  const expiries = model.items.filter((it) => it.style === 'sessionExpired' || it.style === 'sessionExpiredIneffective');
  const zk = expiries.find((it) => it.label.includes('0x1000adfaccc0001'));
  assert.ok(zk);
  assert.equal(zk.style, 'sessionExpiredIneffective');
  assert.equal(zk.label, 'session 0x1000adfaccc0001 expired by a deposed leader (no effect)');
  assert.deepEqual(zk.verdict, { effective: false, newerLeader: '172_20_131_241', because: 'epoch 16 < epoch 17', byClocks: false });
  const meta = expiries.find((it) => it.label.startsWith('meta session'));
  assert.equal(meta?.style, 'sessionExpired', 'meta session expiries are not ZooKeeper’s to judge: red as before');
  assert.equal(meta?.verdict, undefined);
});

test('the expiry is judged on corrected clocks: with 241 two seconds later, 242 still led when it expired the session', () => {
  const shifted = timelineModel(new BundleQueries(bundle, ROLES), { '172_20_131_241': 2_000_000 });
  const zk = shifted.items.find((it) => it.marker && it.label.includes('0x1000adfaccc0001'));
  assert.equal(zk?.style, 'sessionExpired');
  assert.deepEqual(zk?.verdict, { effective: true, epoch: 16 });
});

test("a node's clock offset does not move the runner's fault on that node's lane; the runner's offset does", () => {
  const faultOn = (m: TimelineModel, node: string) => m.items.filter((it) => it.style === 'fault' && laneOf(m, it) === node);
  const plain = faultOn(model, '172_20_131_242');
  assert.equal(plain.length, 1);
  const nodeShifted = timelineModel(new BundleQueries(bundle, ROLES), { '172_20_131_242': 5_000_000 });
  const [kept] = faultOn(nodeShifted, '172_20_131_242');
  assert.deepEqual([kept.start, kept.end], [plain[0].start, plain[0].end], 'the test runner logged it, on its own clock');
  const meta = (m: TimelineModel) => m.items.find((it) => it.style === 'leader' && laneOf(m, it) === '172_20_131_242');
  assert.equal((meta(nodeShifted)?.start ?? 0) - (meta(model)?.start ?? 0), 5_000_000, "the node's own terms do move");
  const runnerShifted = timelineModel(new BundleQueries(bundle, ROLES), { 'test-logs': 5_000_000 });
  const [moved] = faultOn(runnerShifted, '172_20_131_242');
  assert.equal(moved.start - plain[0].start, 5_000_000);
  assert.equal(moved.end - plain[0].end, 5_000_000);
});

test('an unrestored fault is drawn to the end of the bundle, not as a 0 µs sliver', () => {
  const tc = model.items.find((it) => it.style === 'fault' && it.label.startsWith('tc'));
  assert.ok(tc);
  assert.match(tc.label, /not restored/);
  let lastLine = -Infinity;
  for (const f of bundle.files) if (!f.skipped && !f.duplicateOf && f.lastTime !== undefined) lastLine = Math.max(lastLine, f.lastTime);
  assert.equal(tc.end, lastLine);
  assert.ok(tc.end - tc.start > 1_000_000, `${formatIso(tc.start)} → ${formatIso(tc.end)}`);
  assert.equal(tc.endLine, undefined, 'no restore line to open');
});

/** A ZooKeeper log that writes every 200 ms, falls silent for 8.05 s, then goes on. */
function silentBundle(): string {
  const root = path.join(tempDir('ql-silence-'), 'bundle');
  const dir = path.join(root, '10_0_0_13', 'zookeeper');
  fs.mkdirSync(dir, { recursive: true });
  const lines: string[] = [];
  const at = (ms: number) => {
    const d = new Date(Date.UTC(2026, 11, 1, 16, 15, 0) + ms);
    const p = (n: number, w = 2) => String(n).padStart(w, '0');
    return `2026-12-01 ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())},${p(d.getUTCMilliseconds(), 3)}`;
  };
  let t = 0;
  for (let i = 0; i < 120; i++, t += 200) lines.push(`${at(t)} [myid:3] - INFO  [SyncThread:3:FileTxnLog@284] - tick ${i}`);
  t += 8050 - 200;
  for (let i = 0; i < 40; i++, t += 200) lines.push(`${at(t)} [myid:3] - INFO  [SyncThread:3:FileTxnLog@284] - tock ${i}`);
  fs.writeFileSync(path.join(dir, 'zookeeper.log'), lines.join('\n') + '\n');
  return root;
}

test('a silence is a hatched item on its node’s lane: from the last line before to the first after, in words', async () => {
  const quiet = await indexBundle(silentBundle());
  const m = timelineModel(new BundleQueries(quiet, ROLES));
  const list = m.items.filter((it) => it.style === 'silence');
  assert.equal(list.length, 1);
  const [s] = list;
  assert.equal(laneOf(m, s), '10_0_0_13');
  assert.equal(s.track, 'silences');
  assert.deepEqual([hhmmss(s.start), hhmmss(s.end)], ['16:15:23.800', '16:15:31.850']);
  assert.deepEqual([s.line, s.endLine], [120, 121], 'the line before, then the line after (the one a click opens)');
  assert.equal(s.file, s.endFile);
  // The usual spacing is read from a histogram of steps (interpolated inside its bucket): about 200 ms.
  assert.match(s.detail ?? '', /^no lines for 8\.05 s \(usually every (19\d|2[01]\d) ms\)$/);
  assert.equal(s.label, 'zookeeper silent');
  assert.deepEqual(
    m.lanes.find((l) => l.id === '10_0_0_13')?.tracks.filter((t) => t === 'silences'),
    ['silences'],
  );
  const shifted = timelineModel(new BundleQueries(quiet, ROLES), { '10_0_0_13': 1_000_000 });
  assert.equal(shifted.items.find((it) => it.style === 'silence')?.start, s.start + 1_000_000, "on the node's corrected clock");
});

test('silence words: three significant digits in the unit a reader expects', () => {
  assert.equal(silenceWords({ seconds: 8.051234, usualSpacingMs: 200 }), 'no lines for 8.05 s (usually every 200 ms)');
  assert.equal(spokenSeconds(0.0004), '0.4 ms');
  assert.equal(spokenSeconds(1.5), '1.5 s');
  assert.equal(spokenSeconds(125), '2 min 5 s');
});

test('the service lists each overlap with its core nodes, the stale side by label, and how long both served', async () => {
  const ctx = await quietSampleContext();
  const [data] = service.timelines(ctx, '');
  const zk = data.overlaps.find((o) => o.role === 'zk');
  assert.ok(zk);
  assert.deepEqual(zk.nodes, ['172_20_131_241', '172_20_131_242']);
  assert.deepEqual(zk.stale, { node: '172_20_131_242', nodeLabel: '172.20.131.242', why: 'epoch 16 < epoch 17', by: 'epoch' });
  // 242 broadcast since 01:12; 241 from its broadcast line: both served from then to the overlap's end.
  const band241 = data.items[zk.items[0]];
  const broadcast241 = band241.phases?.find((p) => p.phase === 'broadcast')?.time;
  assert.equal(hhmmss(broadcast241 ?? 0), '01:35:51.200');
  assert.deepEqual(zk.bothServing, { seconds: 0.8, start: broadcast241, end: zk.end });
  assert.ok(!('overlap' in zk), 'the core overlap (with both terms) stays on the server');
  const meta = data.overlaps.filter((o) => o.role === 'meta');
  assert.ok(meta.every((o) => o.stale?.by === 'electionSeq' && /^election seq \d+ < \d+$/.test(o.stale.why)));
  assert.ok(
    meta.every((o) => o.bothServing === undefined),
    'serving is a ZooKeeper notion',
  );
  // What Explain Overlap is asked: the service's own overlap, found by role, nodes and (corrected) start.
  const found = service.explainOverlaps(ctx, { role: zk.role, nodes: zk.nodes, start: zk.start });
  assert.equal(found.reports.length, 1);
  const expiry = data.items.find((it) => it.style === 'sessionExpiredIneffective');
  assert.equal(
    expiry?.detail,
    'logged by a deposed leader — did not take effect: 172.20.131.241 already led (epoch 16 < epoch 17)',
    'the verdict in the words every view uses, nodes named like the lanes',
  );
  assert.ok(!('verdict' in (expiry ?? {})));
  const phased = data.items.find((it) => it.phases);
  assert.equal(typeof phased?.phases?.[0].file, 'number', 'phase lines refer to files by index, like items');
});

test('the Explain button’s message is checked like the others: an overlap index, nothing else', () => {
  assert.deepEqual(parseWebviewMessage({ type: 'explainOverlap', overlap: 2 }), { type: 'explainOverlap', overlap: 2 });
  assert.deepEqual(parseWebviewMessage({ type: 'explainOverlap', overlap: 2.7, nodes: ['x'] }), { type: 'explainOverlap', overlap: 2 });
  assert.equal(parseWebviewMessage({ type: 'explainOverlap', overlap: -1 }), undefined);
  assert.equal(parseWebviewMessage({ type: 'explainOverlap', overlap: 'quorumLens.explainOverlap' }), undefined);
  assert.equal(parseWebviewMessage({ type: 'explainOverlap' }), undefined);
});

test('bands that follow each other keep their own shapes on screen, however short the one between them', () => {
  const bands = [
    { id: 0, start: 0, end: 500 }, // following
    { id: 1, start: 500, end: 500.3 }, // a moment of looking: under a pixel
    { id: 2, start: 500.3, end: 1000 }, // leading
    { id: 3, start: 1000, end: 1000.001 },
  ];
  const runs = visibleRuns(new TrackIndex(bands), { start: 0, end: 1000 }, 0, 1000);
  assert.deepEqual(
    runs.map((r) => [r.first.id, r.count]),
    [
      [0, 2],
      [2, 2],
    ],
    'the sub-pixel bands fold into their neighbours; the leading band is not swallowed by the following one',
  );
  const overlapping = Array.from({ length: 10_000 }, (_, i) => ({ id: i, start: i, end: i + 50_000 }));
  assert.ok(
    visibleRuns(new TrackIndex(overlapping), { start: 0, end: 60_000 }, 0, 1000).length < 1000,
    'wide items that overlap still merge',
  );
});
