import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { before, test } from 'node:test';
import { leaderIntervals } from '../../src/core/leaderIntervals';
import type { BundleIndex, FileIndex } from '../../src/core/model';
import { formatIso } from '../../src/core/time';
import { indexBundle } from '../../src/indexer/bundleIndexer';
import { scanFile } from '../../src/indexer/fileScanner';
import { LineMatcher } from '../../src/core/rules/lineMatcher';
import { BUILTIN_ROLE_RULES } from '../../src/core/rules/roleRules';
import { snapshot, tempDir } from '../helpers';

// One bundle holding every kind of bad input the brief lists, next to good files.
const root = path.join(tempDir('ql-bad-'), 'bundle');
const node = path.join(root, '10_0_0_1');
const write = (rel: string, data: string | Buffer) => {
  const p = path.join(node, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, data);
  return p;
};
const zk = (time: string, msg: string, myid = 1) =>
  `2023-03-14 ${time} [myid:${myid}] - INFO  [QuorumPeer[myid=${myid}]/0.0.0.0:2181:QuorumPeer@1] - ${msg}`;
const isRoot = process.getuid?.() === 0;

let bundle: BundleIndex;
let before0: string[];
const file = (rel: string): FileIndex => {
  const f = bundle.files.find((x) => x.path === `10_0_0_1/${rel}`);
  assert.ok(f, `indexed ${rel}`);
  return f;
};

before(async () => {
  write(
    'version-2/log.100000001',
    Buffer.concat([Buffer.from('ZKLG'), Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7) % 256))]),
  );
  write('core.bin', Buffer.from(Array.from({ length: 8192 }, (_, i) => (i * 13) % 256)));
  write('sparse.log', Buffer.alloc(100_000));
  write(
    'holes/zookeeper.log',
    Buffer.concat([
      Buffer.from(zk('01:00:00,000', 'FOLLOWING') + '\n'),
      Buffer.alloc(823),
      Buffer.from(zk('01:00:05,000', 'LEADING') + '\n' + zk('01:00:09,000', 'LOOKING') + '\n'),
    ]),
  );
  write(
    'latin1/app.log.20230314-010000.111',
    Buffer.concat([
      Buffer.from('I0314 01:00:00.000001  111 a.cc:1] caf'),
      Buffer.from([0xe9]),
      Buffer.from(' au lait\n'),
      Buffer.from('I0314 01:00:01.000000  111 meta_server.cc:408] Start the leader role\n'),
      Buffer.from('I0314 01:00:02.000000  111 meta_server.cc:495] Stopping the services of meta, this: 0x1\n'),
    ]),
  );
  write('crlf/zookeeper.log', [zk('02:00:00,000', 'LEADING'), zk('02:00:03,500', 'LOOKING'), ''].join('\r\n'));
  write('empty.log', '');
  write(
    'cut/zbs-taskd.log.20230314-030000.222',
    'I0314 03:00:00.000000  222 meta_server.cc:408] Start the leader role\nI0314 03:00:01.000000  222 a.cc:1] last line without newline',
  );
  const huge = 'I0314 04:00:00.500000  333 a.cc:1] ' + 'x'.repeat(10 * 1024 * 1024);
  write(
    'huge/zbs-metad.log.20230314-040000.333',
    `I0314 04:00:00.000000  333 a.cc:1] first\n${huge}\nI0314 04:00:01.000000  333 meta_server.cc:408] Start the leader role\nI0314 04:00:02.000000  333 meta_server.cc:495] Stopping the services of meta, this: 0x2\n`,
  );
  write('rotated/zookeeper.log.2.gz', gzipSync(Buffer.from([zk('05:00:00,000', 'LEADING'), zk('05:00:07,000', 'LOOKING'), ''].join('\n'))));
  const gz = gzipSync(
    Buffer.from(
      Array.from({ length: 20000 }, (_, i) =>
        zk(
          `06:${String(Math.floor(i / 600)).padStart(2, '0')}:${String(Math.floor(i / 10) % 60).padStart(2, '0')},000`,
          i === 0 ? 'LEADING' : `filler ${i * 7919}`,
        ),
      ).join('\n'),
    ),
  );
  write('rotated/zookeeper.log.3.gz', gz.subarray(0, Math.floor(gz.length / 2)));
  write(
    'backwards/zbs-chunkd.log.20230314-070000.444',
    [
      'I0314 07:00:10.000000  444 a.cc:1] x',
      'E0314 07:00:02.000000  444 a.cc:1] an error logged after the clock stepped back',
      'I0314 07:00:11.000000  444 a.cc:1] y',
      '',
    ].join('\n'),
  );
  write(
    'noyear/mesos-master.log',
    [
      'I1118 21:29:55.830605    89 master.cpp:1860] Elected as the leading master!',
      'I1118 21:29:56.000000    89 master.cpp:1547] Recovering from registrar',
      '',
    ].join('\n'),
  );
  write('year/zookeeper.log', zk('08:00:00,000', 'FOLLOWING').replace('2023-03-14', '2019-11-18') + '\n');
  write('noline.log', 'y'.repeat(2 * 1024 * 1024));
  const secret = write('secret.log', zk('09:00:00,000', 'LEADING') + '\n');
  if (!isRoot) fs.chmodSync(secret, 0o000);
  fs.symlinkSync(node, path.join(node, 'loop'));
  fs.symlinkSync(path.join(node, 'gone.log'), path.join(node, 'dangling.log'));
  before0 = snapshot(root);
  bundle = await indexBundle(root);
  if (!isRoot) fs.chmodSync(secret, 0o644);
});

test('binary files are skipped with a reason that says what they are', () => {
  assert.match(file('version-2/log.100000001').skipped ?? '', /ZooKeeper transaction log/);
  assert.match(file('core.bin').skipped ?? '', /binary/);
  assert.match(file('sparse.log').skipped ?? '', /NUL/);
});

test('a hole of NUL bytes is reported and the entries after it are still indexed', () => {
  const f = file('holes/zookeeper.log');
  assert.ok(
    f.notes.some((n) => n.includes('823 NUL bytes')),
    f.notes.join('; '),
  );
  const zkRuns = leaderIntervals(bundle, 'zk').filter((iv) => iv.startSource.file.endsWith('holes/zookeeper.log'));
  assert.deepEqual(
    zkRuns.map((iv) => `${formatIso(iv.start)} ${formatIso(iv.end)}`),
    ['2023-03-14T01:00:05.000000 2023-03-14T01:00:09.000000'],
  );
});

test('bytes that are not UTF-8 are reported and shown as replacement characters', () => {
  const f = file('latin1/app.log.20230314-010000.111');
  assert.ok(f.notes.some((n) => /not UTF-8/.test(n)));
  assert.equal(leaderIntervals(bundle, 'meta').filter((iv) => iv.startSource.file === f.path).length, 1);
});

test('CRLF line endings: events found, text carries no CR', () => {
  const f = file('crlf/zookeeper.log');
  const roles = f.events.filter((e) => e.kind === 'role');
  assert.equal(roles.length, 2);
  for (const e of roles) assert.ok(!e.text.includes('\r'));
  assert.equal(f.lines, 2);
});

test('an empty file is listed with a note, not skipped', () => {
  const f = file('empty.log');
  assert.equal(f.skipped, undefined);
  assert.equal(f.lines, 0);
  assert.ok(f.notes.includes('empty file'));
});

test('a last line without newline is indexed and counted', () => {
  const f = file('cut/zbs-taskd.log.20230314-030000.222');
  assert.equal(f.lines, 2);
  assert.equal(formatIso(f.lastTime ?? 0), '2023-03-14T03:00:01.000000');
  assert.ok(f.notes.some((n) => /no newline/.test(n)));
  const iv = leaderIntervals(bundle, 'meta').find((x) => x.startSource.file === f.path);
  assert.equal(iv?.endReason, 'logEnd');
});

test('a 10 MB line is counted, its start analysed, and the lines after it keep their numbers and offsets', () => {
  const f = file('huge/zbs-metad.log.20230314-040000.333');
  assert.equal(f.lines, 4);
  assert.ok(f.notes.some((n) => /longer than/.test(n)));
  const start = f.events.find((e) => e.kind === 'role' && e.edge === 'start');
  assert.equal(start?.line, 3);
  const raw = fs.readFileSync(path.join(root, f.path));
  assert.equal(raw.subarray(start?.offset ?? 0, (start?.offset ?? 0) + 5).toString(), 'I0314');
});

test('gzip-rotated files are read transparently; a truncated gzip keeps what it had', () => {
  const f = file('rotated/zookeeper.log.2.gz');
  assert.equal(f.gzip, true);
  assert.equal(f.events.filter((e) => e.kind === 'role').length, 2);
  const cut = file('rotated/zookeeper.log.3.gz');
  assert.ok(
    cut.notes.some((n) => /truncated/.test(n)),
    cut.notes.join('; '),
  );
  assert.ok(cut.lines > 0);
  assert.ok(cut.events.some((e) => e.kind === 'role'));
});

test('clocks going backwards are reported', () => {
  assert.ok(file('backwards/zbs-chunkd.log.20230314-070000.444').notes.some((n) => /backwards 1 time /.test(n)));
});

test('a log without any year borrows the bundle year and says so', () => {
  const f = file('noyear/mesos-master.log');
  assert.equal(f.yearSource, 'bundle');
  assert.ok(
    f.notes.some((n) => /assumed 2023/.test(n)),
    f.notes.join('; '),
  );
  assert.equal(formatIso(f.firstTime ?? 0), '2023-11-18T21:29:55.830605');
});

test('a file with no newline at all is one line', () => {
  assert.equal(file('noline.log').lines, 1);
});

test(
  'unreadable files are reported, dangling symlinks and symlink loops noted',
  { skip: isRoot && 'running as root: permissions do not stop reads' },
  () => {
    assert.match(file('secret.log').skipped ?? '', /not readable/);
  },
);

test('symlink loops and dangling links are noted, not followed', () => {
  assert.ok(
    bundle.notes.some((n) => /loop: symlink loop/.test(n)),
    bundle.notes.join('; '),
  );
  assert.ok(bundle.notes.some((n) => /dangling\.log: dangling symlink/.test(n)));
});

test('nothing was written into the bundle', () => {
  assert.deepEqual(snapshot(root), before0);
});

test('a file that vanishes or cannot be opened is skipped with the reason, not fatal', async () => {
  const f = await scanFile({
    relPath: 'gone.log',
    absPath: path.join(root, 'no-such-file.log'),
    node: 'n',
    size: 0,
    mtimeMs: 0,
    matcher: new LineMatcher(BUILTIN_ROLE_RULES),
  });
  assert.match(f.skipped ?? '', /not readable \(ENOENT\)/);
});
