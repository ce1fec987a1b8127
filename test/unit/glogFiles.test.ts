import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, test } from 'node:test';
import { indexBundle } from '../../src/indexer/bundleIndexer';
import { walkBundle } from '../../src/indexer/walk';
import { writeSampleBundle } from '../fixtures/sampleBundle';
import { addGlogShapes, severityCopy, type GlogShapes } from '../fixtures/glogShapes';
import { runCli, tempDir } from '../helpers';

// glog's own files next to the logs: `<prog>.INFO` links to the newest file and WARNING/ERROR files that
// repeat its lines. A bundle with them must give exactly the answers of the same bundle without them.

const plain = path.join(tempDir('ql-glog-plain-'), 'bundle');
const shaped = path.join(tempDir('ql-glog-shaped-'), 'bundle');
let shapes: GlogShapes;

const cli = (...args: string[]) => {
  const r = runCli([...args, '--json', '--no-cache']);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout;
};

interface IndexJson {
  files: { total: number; indexed: number; lines: number };
  processes: number;
  events: Record<string, number>;
  duplicates: { file: string; of: string; reason?: string }[];
  notes: { file: string | null; note: string }[];
}

before(() => {
  writeSampleBundle(plain, { noisePerMinute: 0 });
  writeSampleBundle(shaped, { noisePerMinute: 0 });
  shapes = addGlogShapes(shaped, ['172_20_131_241', '172_20_131_243/zbs_logs/zbs-chunkd']);
});

test('the reshaped sample has a link in every glog folder and severity copies in the host.user and plain namings', () => {
  assert.ok(shapes.links.includes('172_20_131_243/zbs_logs/zbs-metad/zbs-metad.INFO'));
  assert.ok(shapes.links.includes('172_20_131_247/zbs_logs/zbs-metad/zbs-metad.INFO'));
  const names = shapes.copies.map((c) => path.posix.basename(c.file));
  assert.ok(names.includes('zbs-metad.log.WARNING.20230314-044134.193452'), names.join(' '));
  assert.ok(names.includes('zbs-metad.172_20_131_241.root.log.WARNING.20230314-031905.42461'), names.join(' '));
  assert.ok(names.includes('172_20_131_241.root.log.ERROR.20230314-031906.42461'), names.join(' '));
  assert.ok(names.includes('zbs-chunkd.172_20_131_243.root.log.WARNING.20230314-050001.4242'), names.join(' '));
});

test('leaders and overlaps are exactly those of the bundle without glog links and severity copies', () => {
  assert.equal(cli('leaders', shaped), cli('leaders', plain));
  assert.equal(cli('overlaps', shaped), cli('overlaps', plain));
  const overlaps = JSON.parse(cli('overlaps', shaped)) as { overlaps: unknown[] };
  assert.equal(overlaps.overlaps.length, 5);
});

test('the crashed leader (243, pid 38748) still ends its term at process exit, and the newest process is listed', () => {
  const leaders = JSON.parse(cli('leaders', shaped)) as { intervals: { node: string; start: string; end: string; endReason: string }[] };
  const crashed = leaders.intervals.find((i) => i.node === '172_20_131_243' && i.start === '2023-03-14T21:00:00.000000');
  assert.deepEqual([crashed?.end, crashed?.endReason], ['2023-03-14T23:58:24.065742', 'processExit']);
  const next = leaders.intervals.find((i) => i.node === '172_20_131_243' && i.start === '2023-03-14T23:58:27.605160');
  assert.ok(next, 'the term of the newest process (pid 220436) is its own');
});

test('count, trace and stats of WARNING and ERROR lines count each line once', () => {
  for (const args of [
    ['count', 'Role changed'],
    ['count', 'SESSION EXPIRED', '--by', 'hour'],
    ['trace', 'SESSION EXPIRED'],
    ['trace', 'Reset service'],
    ['trace', '\\[BUG\\]|ZOO_ERROR', '--regex'],
    ['stats', 'exceeded timeout by (\\d+)ms'],
    ['stats', 'lease_expire_ns: (\\d+)'],
  ]) {
    const [command, ...rest] = args;
    assert.equal(cli(command, shaped, ...rest), cli(command, plain, ...rest), args.join(' '));
  }
  const counted = JSON.parse(cli('count', shaped, 'Role changed')) as { nodes: { total: number }[] };
  assert.equal(
    counted.nodes.reduce((n, x) => n + x.total, 0),
    15,
  );
});

test('the index counts the same lines, processes and events, and names each copy and why', () => {
  const a = JSON.parse(cli('index', plain)) as IndexJson;
  const b = JSON.parse(cli('index', shaped)) as IndexJson;
  assert.deepEqual([b.files.indexed, b.files.lines, b.processes, b.events], [a.files.indexed, a.files.lines, a.processes, a.events]);
  assert.equal(b.files.total, a.files.total + shapes.links.length + shapes.copies.length);
  const reason = new Map(b.duplicates.map((d) => [d.file, d]));
  assert.equal(reason.size, shapes.links.length + shapes.copies.length);
  for (const c of shapes.copies) {
    assert.equal(reason.get(c.file)?.of, c.of, c.file);
    assert.equal(reason.get(c.file)?.reason, `severity copy of ${path.posix.basename(c.of)}`, c.file);
  }
  assert.deepEqual(reason.get('172_20_131_247/zbs_logs/zbs-metad/zbs-metad.INFO'), {
    file: '172_20_131_247/zbs_logs/zbs-metad/zbs-metad.INFO',
    of: '172_20_131_247/zbs_logs/zbs-metad/zbs-metad.log.20230314-235820.125467',
    reason: 'link to zbs-metad.log.20230314-235820.125467',
  });
  assert.match(
    reason.get('172_20_131_242/zbs_logs/zbs-metad/zbs-metad.WARNING')?.reason ?? '',
    /^link to zbs-metad\.log\.WARNING\.20230314-100501\.217876, severity copy of zbs-metad\.log\.20230314-100500\.217876$/,
  );
  const human = runCli(['index', shaped, '--no-cache']).stdout;
  assert.match(human, /zbs-metad\.log\.WARNING\.20230314-044134\.193452: severity copy of zbs-metad\.log\.20230314-044133\.193452/);
  assert.match(human, /zbs-metad\.INFO: link to zbs-metad\.log\.20230314-235826\.220436/);
});

/** A small bundle of one glog folder per case, indexed in-process. */
function glogFolder(root: string, rel: string, files: Record<string, string>, links: Record<string, string> = {}): void {
  const dir = path.join(root, rel);
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  for (const [name, target] of Object.entries(links)) fs.symlinkSync(target, path.join(dir, name));
}

const INFO = [
  'Log file created at: 2023/03/14 10:00:00',
  'Running on machine: node1',
  'Log line format: [IWEF]mmdd hh:mm:ss.uuuuuu threadid file:line] msg',
  'I0314 10:00:01.000000 100 a.cc:1] started',
  'W0314 10:00:02.000000 100 a.cc:2] disk slow',
  'E0314 10:00:03.000000 100 a.cc:3] disk failed',
  '  at frame 1',
  'I0314 10:00:04.000000 100 a.cc:4] going on',
  '',
].join('\n');

test('every glog naming: .log.INFO. names, host.user prefixes, a severity file with no INFO file, an INFO file reached only through a link', async () => {
  const root = path.join(tempDir('ql-glog-names-'), 'bundle');
  glogFolder(root, 'n1/a', {
    'prog.host.user.log.INFO.20230314-100000.100': INFO,
    'prog.host.user.log.WARNING.20230314-100002.100': severityCopy(INFO, 'WEF'),
    'prog.host.user.log.ERROR.20230314-100003.100': severityCopy(INFO, 'EF'),
    // pid 200 left no INFO file in the bundle: its WARNING file is the only copy of its lines.
    'prog.host.user.log.WARNING.20230314-110000.200': severityCopy(INFO.replace(/ 100 /g, ' 200 '), 'WEF'),
  });
  // The INFO file lies in a folder the walk does not list (a dot folder at the top): only its link reaches it.
  const other = INFO.replace(/ 100 /g, ' 300 ');
  glogFolder(root, '.store', { 'other.log.20230314-100000.300': other });
  glogFolder(
    root,
    'n1/b',
    { 'other.log.WARNING.20230314-100001.300': severityCopy(other, 'WEF') },
    { 'other.INFO': '../../.store/other.log.20230314-100000.300' },
  );
  const bundle = await indexBundle(root, { workers: 0 });
  const file = (p: string) => {
    const f = bundle.files.find((x) => x.path === p);
    assert.ok(f, `${p} in ${bundle.files.map((x) => x.path).join(', ')}`);
    return f;
  };
  assert.equal(
    file('n1/a/prog.host.user.log.WARNING.20230314-100002.100').copyReason,
    'severity copy of prog.host.user.log.INFO.20230314-100000.100',
  );
  assert.equal(file('n1/a/prog.host.user.log.ERROR.20230314-100003.100').duplicateOf, 'n1/a/prog.host.user.log.INFO.20230314-100000.100');
  const alone = file('n1/a/prog.host.user.log.WARNING.20230314-110000.200');
  assert.equal(alone.duplicateOf, undefined);
  assert.equal(alone.lines, 6);
  assert.ok(
    alone.notes.some((n) => /no INFO file of pid 200/.test(n)),
    alone.notes.join('; '),
  );
  const linked = file('n1/b/other.INFO');
  assert.equal(linked.duplicateOf, undefined, 'the link is the only path to its file: it is indexed');
  assert.equal(linked.pid, 300, 'with the pid of the file it names');
  assert.equal(file('n1/b/other.log.WARNING.20230314-100001.300').copyReason, 'severity copy of other.INFO');
  assert.deepEqual(bundle.processes.map((p) => `${p.program} ${String(p.pid)}`).sort(), ['other 300', 'prog 100', 'prog 200']);
});

test('a WARNING file reaching back before the INFO files of its pid says its earlier lines are left out', async () => {
  const root = path.join(tempDir('ql-glog-rotated-'), 'bundle');
  // The INFO file's first lines (10:00:01, 10:00:02) were rotated away; the WARNING file still holds 10:00:02.
  const late = INFO.replace('2023/03/14 10:00:00', '2023/03/14 10:00:02').replace(/I0314 10:00:01.*\n.*disk slow\n/, '');
  glogFolder(root, 'n1', {
    'prog.log.20230314-100002.100': late,
    'prog.log.WARNING.20230314-100002.100': severityCopy(INFO, 'WEF'),
  });
  const bundle = await indexBundle(root, { workers: 0 });
  const copy = bundle.files.find((f) => f.path === 'n1/prog.log.WARNING.20230314-100002.100');
  assert.equal(copy?.copyReason, 'severity copy of prog.log.20230314-100002.100');
  assert.ok(
    copy?.notes.some((n) => /lines before 2023-03-14T10:00:03\.000000 are in no INFO file of pid 100/.test(n)),
    copy?.notes.join('; '),
  );
});

test('a link never stands in for the file it names, whichever the walk meets first', async () => {
  const root = path.join(tempDir('ql-glog-walk-'), 'bundle');
  glogFolder(root, 'n1/b', { 'prog.log.20230314-100000.100': INFO });
  // A folder that sorts first holds a link to the file; a linked folder sorts before its target.
  glogFolder(root, 'n1/a', {}, { 'prog.INFO': '../b/prog.log.20230314-100000.100' });
  fs.symlinkSync('b', path.join(root, 'n1', 'a-link'));
  const walked = await walkBundle(root);
  assert.deepEqual(
    walked.files.map((f) => `${f.relPath} ${f.sameAs ?? '-'} ${f.link ?? '-'}`),
    ['n1/a/prog.INFO n1/b/prog.log.20230314-100000.100 file', 'n1/b/prog.log.20230314-100000.100 - -'],
  );
  assert.ok(walked.notes.some((n) => /n1\/a-link: symlink loop or repeated folder/.test(n)));
  const bundle = await indexBundle(root, { workers: 0 });
  const link = bundle.files.find((f) => f.path === 'n1/a/prog.INFO');
  assert.equal(link?.copyReason, 'link to n1/b/prog.log.20230314-100000.100');
  assert.deepEqual(
    bundle.processes.map((p) => p.pid),
    [100],
  );
});
