import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, test } from 'node:test';
import { BUILTIN_ROLE_RULES } from '../../src/core/rules/roleRules';
import { formatIso } from '../../src/core/time';
import * as service from '../../src/service';
import { lineAtTime, linesAtTime, timeAtLine } from '../../src/service/timeSync';
import { random, t, writeLogFile, type Entry, type FileSpec } from '../fixtures/logWriter';
import { tempDir } from '../helpers';

// Time sync's two questions, on a seeded bundle of two nodes whose glog files span many checkpoints and hold
// multi-line entries (a traceback after some lines). The expectations come from the files' text alone: each
// line's stamp parsed here with a regex, a line without one taking the dated line above it (the header lines
// at the top, the first dated line's) — nothing of the indexer, the checkpoints or the merge.

const A = '10_0_0_1';
const B = '10_0_0_2';
const FILE_A = `${A}/zbs_logs/zbs-metad/zbs-metad.log.20230314-100000.1234`;
const FILE_B = `${B}/zbs_logs/zbs-metad/zbs-metad.log.20230314-100000.5678`;
const UNDATED = `${A}/notes/readme.txt`;
const OFFSET_B_MS = -1500;

let root: string;
const rules = [...BUILTIN_ROLE_RULES];
async function contextOf(clockOffsetsMs: Record<string, number> = {}): Promise<service.ServiceContext> {
  return { rules, clockOffsetsMs, label: formatIso, bundles: [await service.openBundle(root, { roleRules: rules, cacheDir: false })] };
}

/** Filler with a three-line traceback now and then: continuation lines with no time of their own. */
function noise(_spec: FileSpec, rnd: () => number, at: number): Entry {
  const n = Math.floor(rnd() * 1e6);
  if (n % 9 === 0) return { t: at, level: 'E', loc: 'meta.cc:77', msg: `failed op ${n}\nTraceback:\n    frame one ${n}\n    frame two` };
  return {
    t: at,
    level: 'I',
    loc: 'meta_rpc_server.cc:2125',
    msg: `[SET PEXTENT EXISTENCE]: pid: ${n} [TIME]: ${n % 3000} us. ${'x'.repeat(n % 40)}`,
  };
}

function spec(relPath: string, start: string, end: string): FileSpec {
  return { relPath, layout: 'glogYear', start: t(start), end: t(end), header: true, noisePerMinute: 2400, entries: [], tid: 4242 };
}

/** Each line's time from the text alone (undefined before the first dated line), and the file's lines. */
function referenceTimes(rel: string): { lines: string[]; times: number[] } {
  const lines = fs.readFileSync(path.join(root, rel), 'utf8').replace(/\n$/, '').split('\n');
  const own = lines.map((l) => {
    const m = /^[IWEF](\d{4})(\d\d)(\d\d) (\d\d):(\d\d):(\d\d)\.(\d{6}) /.exec(l);
    return m ? Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) * 1000 + Number(m[7]) : undefined;
  });
  const first = own.find((x) => x !== undefined)!;
  let last: number | undefined;
  return { lines, times: own.map((x) => (last = x ?? last ?? first)) };
}

/** The first 1-based line whose (corrected) time is at or after `time`, from the reference; undefined past the end. */
function referenceLineAt(times: readonly number[], shift: number, time: number): number | undefined {
  const i = times.findIndex((x) => x + shift >= time);
  return i < 0 ? undefined : i + 1;
}

before(() => {
  root = tempDir('ql-timesync-');
  const rnd = random('time sync');
  writeLogFile(root, spec(FILE_A, '2023-03-14 10:00:00', '2023-03-14 10:02:30'), (s, _r, at) => noise(s, rnd, at));
  writeLogFile(root, spec(FILE_B, '2023-03-14 10:00:01.250000', '2023-03-14 10:02:00'), (s, _r, at) => noise(s, rnd, at));
  fs.mkdirSync(path.join(root, A, 'notes'), { recursive: true });
  fs.writeFileSync(path.join(root, UNDATED), 'no time here\nnor here\n');
});

test('the generated files span many checkpoints and hold continuation lines (else the tests below prove little)', async () => {
  const ctx = await contextOf();
  const f = ctx.bundles[0].queries.file(FILE_A)!.file;
  assert.ok(f.checkpoints.length >= 8, `${f.checkpoints.length} checkpoints`);
  const { lines } = referenceTimes(FILE_A);
  assert.ok(lines.filter((l) => l.startsWith('    frame')).length > 100);
});

test('the time of a line is its own, a continuation line takes its entry’s, header lines the first dated line’s', async () => {
  const ctx = await contextOf();
  const b = ctx.bundles[0];
  const { lines, times } = referenceTimes(FILE_A);
  const sample = new Set<number>([1, 2, 3, 4, 5, lines.length]);
  for (let i = 0; i < lines.length; i += 41) sample.add(i + 1);
  // Every line of some tracebacks, wherever they fall (some right after a checkpoint).
  lines.forEach((l, i) => {
    if (l.startsWith('Traceback:') && i % 7 === 0) for (let k = -1; k <= 3; k++) sample.add(i + 1 + k);
  });
  let continuation = 0;
  for (const line of sample) {
    const got = await timeAtLine(ctx, { bundle: b, file: FILE_A, line });
    assert.equal(got?.time, times[line - 1], `line ${line}: ${lines[line - 1]}`);
    assert.equal(got.timeLabel, formatIso(times[line - 1]));
    if (!/^[IWEF]\d{8} /.test(lines[line - 1])) continuation++;
  }
  assert.ok(continuation > 20, `${continuation} undated lines checked`);
});

test('a line past the end, and a file with no dated line, have no moment', async () => {
  const ctx = await contextOf();
  const b = ctx.bundles[0];
  const { lines } = referenceTimes(FILE_A);
  assert.equal(await timeAtLine(ctx, { bundle: b, file: FILE_A, line: lines.length + 5 }), undefined);
  assert.equal(await timeAtLine(ctx, { bundle: b, file: UNDATED, line: 1 }), undefined);
  assert.equal(await lineAtTime(ctx, { bundle: b, file: UNDATED, time: t('2023-03-14 10:01:00') }), undefined);
  assert.equal(await timeAtLine(ctx, { bundle: b, file: 'no/such/file.log', line: 1 }), undefined);
});

test('the line at a moment is the first line at or after it: on a line’s time, between two lines, before the first, after the last', async () => {
  const ctx = await contextOf();
  const b = ctx.bundles[0];
  const { lines, times } = referenceTimes(FILE_A);
  let checked = 0;
  for (let i = 10; i < lines.length; i += 53) {
    for (const time of [times[i], times[i] + 1, times[i] - 1]) {
      const want = referenceLineAt(times, 0, time);
      const got = await lineAtTime(ctx, { bundle: b, file: FILE_A, time });
      assert.equal(got?.line, want, `at ${formatIso(time)} (near line ${i + 1})`);
      assert.equal(got!.where, 'at');
      assert.equal(got!.time, times[want! - 1]);
      checked++;
    }
  }
  assert.ok(checked > 100);
  const before = await lineAtTime(ctx, { bundle: b, file: FILE_A, time: t('2023-03-14 09:00:00') });
  assert.deepEqual({ line: before?.line, where: before?.where }, { line: 1, where: 'before' });
  const after = await lineAtTime(ctx, { bundle: b, file: FILE_A, time: t('2023-03-14 11:00:00') });
  assert.deepEqual(after, { line: lines.length, where: 'after' });
});

test('clock offsets: a node’s moments are corrected by its offset, and a corrected moment finds its corrected line', async () => {
  const ctx = await contextOf({ [B]: OFFSET_B_MS });
  const b = ctx.bundles[0];
  const shift = OFFSET_B_MS * 1000;
  const { lines, times } = referenceTimes(FILE_B);
  for (let i = 0; i < lines.length; i += 97) {
    const got = await timeAtLine(ctx, { bundle: b, file: FILE_B, line: i + 1 });
    assert.equal(got?.time, times[i] + shift, `line ${i + 1}`);
  }
  // One corrected moment, both nodes: each file's first line at or after it on its own corrected clock.
  const ref = referenceTimes(FILE_A);
  for (const time of [t('2023-03-14 10:00:30.123456'), t('2023-03-14 10:01:10'), ref.times[1234]]) {
    const [a, bb, none] = await linesAtTime(ctx, {
      time,
      files: [
        { bundle: b, file: FILE_A },
        { bundle: b, file: FILE_B },
        { bundle: b, file: UNDATED },
      ],
    });
    assert.equal(a?.line, referenceLineAt(ref.times, 0, time));
    assert.equal(bb?.line, referenceLineAt(times, shift, time));
    // Without the offset the answer would differ (1.5 s is many lines here): the correction is really applied.
    assert.notEqual(bb?.line, referenceLineAt(times, 0, time));
    assert.equal(none, undefined);
  }
});

test('a moment taken from one line brings every line of its entry back to the entry’s first line', async () => {
  const ctx = await contextOf();
  const b = ctx.bundles[0];
  const { lines } = referenceTimes(FILE_A);
  const tb = lines.findIndex((l, i) => i > 500 && l.startsWith('Traceback:'));
  for (const line of [tb, tb + 1, tb + 2, tb + 3]) {
    const m = await timeAtLine(ctx, { bundle: b, file: FILE_A, line });
    const back = await lineAtTime(ctx, { bundle: b, file: FILE_A, time: m!.time });
    assert.equal(back?.line, tb, `from line ${line}`);
  }
});
