import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { indexBundle } from '../../src/indexer/bundleIndexer';
import { runCli, tempDir } from '../helpers';

// zookeeper.out beside zookeeper.log: the start script's console, which repeats the log when log4j's
// CONSOLE appender is on. A full repeat is a copy; a partial one is kept and says so.

const zk = (second: number, msg: string) =>
  `2023-03-14 01:00:${String(second).padStart(2, '0')},000 [myid:1] - INFO  [QuorumPeer[myid=1]/0.0.0.0:2181:QuorumPeer@909] - ${msg}`;
const entries = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, i) => (from + i === 30 ? zk(from + i, 'LEADING') : zk(from + i, `tick ${from + i}`)));
const trace = ['java.net.SocketTimeoutException: Read timed out', '\tat java.net.SocketInputStream.socketRead0(Native Method)'];

function bundle(out: string[]): string {
  const root = path.join(tempDir('ql-zkout-'), 'bundle');
  const dir = path.join(root, '10_0_0_1', 'zookeeper');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'zookeeper.log.1.gz'), gzipSync(`${[...entries(0, 20), zk(20, 'a warning'), ...trace].join('\n')}\n`));
  fs.writeFileSync(path.join(dir, 'zookeeper.log'), `${entries(21, 50).join('\n')}\n`);
  fs.writeFileSync(path.join(dir, 'zookeeper.out'), `${out.join('\n')}\n`);
  return root;
}

const plain = (() => {
  const root = path.join(tempDir('ql-zkout-plain-'), 'bundle');
  const dir = path.join(root, '10_0_0_1', 'zookeeper');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'zookeeper.log.1.gz'), gzipSync(`${[...entries(0, 20), zk(20, 'a warning'), ...trace].join('\n')}\n`));
  fs.writeFileSync(path.join(dir, 'zookeeper.log'), `${entries(21, 50).join('\n')}\n`);
  return root;
})();

const cli = (...args: string[]) => {
  const r = runCli([...args, '--json', '--no-cache']);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as unknown;
};

test('a zookeeper.out repeating the log across a rotation (with the JVM console lines of its own) is a copy', async () => {
  const root = bundle([
    'OpenJDK 64-Bit Server VM warning: ignoring option MaxPermSize',
    ...entries(10, 20),
    zk(20, 'a warning'),
    ...trace,
    ...entries(21, 50),
  ]);
  const b = await indexBundle(root, { workers: 0 });
  const out = b.files.find((f) => f.path.endsWith('zookeeper.out'));
  assert.equal(out?.duplicateOf, '10_0_0_1/zookeeper/zookeeper.log.1.gz');
  assert.equal(out?.copyReason, 'console copy of zookeeper.log.1.gz (from its line 11)');
  assert.ok(
    out?.notes.some((n) => /^1 line of its own/.test(n)),
    out?.notes.join('; '),
  );
  for (const args of [
    ['leaders', '--role', 'zk'],
    ['count', 'tick'],
  ])
    assert.deepEqual(cli(args[0], root, ...args.slice(1)), cli(args[0], plain, ...args.slice(1)), args.join(' '));
});

test('a zookeeper.out that repeats the log only in part is indexed, with a note', async () => {
  const root = bundle([...entries(21, 40), zk(41, 'only on the console'), ...entries(42, 50)]);
  const b = await indexBundle(root, { workers: 0 });
  const out = b.files.find((f) => f.path.endsWith('zookeeper.out'));
  assert.equal(out?.duplicateOf, undefined);
  assert.ok(
    out?.notes.some((n) => /^repeats 19 lines of zookeeper\.log \(from its line 1\), then differs at line 20/.test(n)),
    out?.notes.join('; '),
  );
});

test('a zookeeper.out with no zookeeper.log beside it is the log', async () => {
  const root = path.join(tempDir('ql-zkout-alone-'), 'bundle');
  fs.mkdirSync(path.join(root, '10_0_0_1'), { recursive: true });
  fs.writeFileSync(path.join(root, '10_0_0_1', 'zookeeper.out'), `${entries(0, 50).join('\n')}\n`);
  const b = await indexBundle(root, { workers: 0 });
  assert.deepEqual(
    b.files.map((f) => [f.lines, f.duplicateOf ?? null, f.notes]),
    [[50, null, []]],
  );
});
