import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { leaderIntervals, servingFrom } from '../../src/core/leaderIntervals';
import { staleSide } from '../../src/core/staleSide';
import { findOverlaps } from '../../src/core/overlaps';
import { formatIso } from '../../src/core/time';
import { indexBundle } from '../../src/indexer/bundleIndexer';
import { writeSampleBundle } from '../fixtures/sampleBundle';
import { tempDir } from '../helpers';

// Issue 12: every ZooKeeper term gets the epoch the logs allow — the quorum line, else the txn log files the
// leader or (while it was the only leader) its followers opened; followers' sync zxids only bound it below.
// Phases: 3.6+ `Peer state changed: leading - …` lines, else broadcast from 3.4's quorum line.

/** One server's log line in the standard ZooKeeper layout. */
function zkLine(time: string, myid: number, where: string, msg: string): string {
  return `2023-03-14 ${time} [myid:${myid}] - INFO  [QuorumPeer[myid=${myid}](plain=0.0.0.0:2181)(secure=disabled):${where}] - ${msg}`;
}

function writeBundle(files: Record<string, string[]>): string {
  const root = path.join(tempDir('ql-epochs-'), 'bundle');
  for (const [rel, lines] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), lines.join('\n') + '\n');
  }
  return root;
}

const terms = async (root: string) => leaderIntervals(await indexBundle(root, { workers: 0 }), 'zk');

test('a term whose quorum line is missing takes its epoch from the txn log files its followers opened', async () => {
  const root = writeBundle({
    // The leader's log starts after its quorum line was written (rotated away): no epoch of its own.
    '10_0_0_2/zookeeper/zookeeper.log': [
      zkLine('01:35:50,500', 2, 'QuorumPeer@1549', 'LEADING'),
      zkLine('01:40:00,000', 2, 'QuorumPeer@1455', 'LOOKING'),
    ],
    '10_0_0_1/zookeeper/zookeeper.log': [
      zkLine('01:35:50,600', 1, 'QuorumPeer@1345', 'FOLLOWING'),
      zkLine('01:35:50,953', 1, 'Learner@392', 'Getting a diff from the leader 0x100000175e'),
      zkLine('01:35:52,000', 1, 'FileTxnLog@291', 'Creating new log file: log.1100000001'),
    ],
  });
  const [t] = await terms(root);
  assert.equal(t.node, '10_0_0_2');
  assert.equal(t.epoch, 0x11, 'log.1100000001 is a zxid of epoch 17');
  assert.equal(t.epochBy, 'followersTxnLog');
  assert.deepEqual(
    t.evidence?.map((e) => `${e.what} ${e.node} ${e.source.line}`),
    ['epoch 10_0_0_1 3'],
  );
});

test('sync zxids only bound the epoch from below, and lines logged while two terms are open name neither', async () => {
  const root = writeBundle({
    '10_0_0_2/zookeeper/zookeeper.log': [
      zkLine('01:35:50,500', 2, 'QuorumPeer@1549', 'LEADING'),
      zkLine('01:40:00,000', 2, 'QuorumPeer@1455', 'LOOKING'),
    ],
    '10_0_0_1/zookeeper/zookeeper.log': [
      zkLine('01:35:50,953', 1, 'Learner@392', 'Getting a diff from the leader 0x100000175e'),
      // 10_0_0_3 leads too from 01:36: this txn log file could be either leader's epoch.
      zkLine('01:36:30,000', 1, 'FileTxnLog@291', 'Creating new log file: log.1200000001'),
    ],
    '10_0_0_3/zookeeper/zookeeper.log': [
      zkLine('01:36:00,000', 3, 'QuorumPeer@1549', 'LEADING'),
      zkLine(
        '01:36:00,200',
        3,
        'Leader@1519',
        'Have quorum of supporters, sids: [[1, 3]]; starting up and setting last processed zxid: 0x1200000000',
      ),
      zkLine('01:45:00,000', 3, 'QuorumPeer@1455', 'LOOKING'),
    ],
  });
  const [old, newer] = await terms(root);
  assert.equal(old.epoch, undefined, 'the diff zxid is the last committed one: the new epoch is only at least 16');
  assert.equal(old.epochAtLeast, 0x10);
  assert.equal(newer.epoch, 0x12);
  assert.equal(newer.epochBy, 'quorum');
  // An exact 18 against "at least 16" orders nothing; the clocks decide, and say so.
  const [o] = findOverlaps([old, newer]);
  assert.equal(staleSide(o)?.by, 'start');
});

test('an exact epoch below the other side’s lower bound is stale by epoch', () => {
  const base = { role: 'zk', endReason: 'logEnd', startRule: 'zk.LEADING', startText: 'LEADING' };
  const src = (line: number) => ({ file: 'f', line, offset: 0 });
  const a = { ...base, node: 'a', start: 0, end: 10, startSource: src(1), endSource: src(2), epoch: 5 };
  const b = { ...base, node: 'b', start: 5, end: 20, startSource: src(3), endSource: src(4), epochAtLeast: 6 };
  const s = staleSide(findOverlaps([a, b])[0]);
  assert.equal(s?.node, 'a');
  assert.equal(s?.by, 'epoch');
  assert.equal(s?.why, 'epoch 5 < epoch ≥ 6');
});

test('phases: 3.6+ phase lines, else broadcast from the quorum line; serving starts at broadcast', async () => {
  const root = writeBundle({
    '10_0_0_1/zookeeper/zookeeper.log': [
      zkLine('01:35:50,500', 1, 'QuorumPeer@916', 'Peer state changed: leading - discovery'),
      zkLine('01:35:50,700', 1, 'QuorumPeer@916', 'Peer state changed: leading - synchronization'),
      zkLine(
        '01:35:51,000',
        1,
        'Leader@1566',
        'Have quorum of supporters, sids: [[1, 3]]; starting up and setting last processed zxid: 0x1100000000',
      ),
      zkLine('01:35:51,200', 1, 'QuorumPeer@921', 'Peer state changed: leading - broadcast'),
      zkLine('01:40:00,000', 1, 'QuorumPeer@921', 'Peer state changed: looking'),
    ],
    '10_0_0_2/zookeeper/zookeeper.log': [
      // 3.4: no phase lines.
      zkLine('02:00:00,000', 2, 'QuorumPeer@774', 'LEADING'),
      zkLine(
        '02:00:01,500',
        2,
        'Leader@361',
        'Have quorum of supporters, sids: [ 1,2 ]; starting up and setting last processed zxid: 0x1200000000',
      ),
      zkLine('02:10:00,000', 2, 'QuorumPeer@742', 'LOOKING'),
    ],
  });
  const [v36, v34] = await terms(root);
  const phases = (iv: typeof v36) => iv.phases?.map((p) => `${p.phase} ${formatIso(p.time).slice(11, 23)} :${p.source.line}`);
  // 3.6 logs the quorum line before the broadcast phase line: the phase line wins.
  assert.deepEqual(phases(v36), ['discovery 01:35:50.500 :1', 'synchronization 01:35:50.700 :2', 'broadcast 01:35:51.200 :4']);
  assert.deepEqual(phases(v34), ['broadcast 02:00:01.500 :2']);
  assert.equal(formatIso(servingFrom(v34) ?? 0).slice(11, 23), '02:00:01.500');
});

test('on the seed-shaped bundle without its quorum lines, txn log files (its own, or its followers’) still give both ZooKeeper terms their epochs', async () => {
  const root = path.join(tempDir('ql-noquorum-'), 'bundle');
  writeSampleBundle(root, { noisePerMinute: 0 });
  let stripped = 0;
  for (const rel of fs.readdirSync(root, { recursive: true, encoding: 'utf8' })) {
    const file = path.join(root, rel);
    if (!/zookeeper\.log/.test(rel) || !fs.statSync(file).isFile()) continue;
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    const kept = lines.filter((l) => !l.includes('Have quorum of supporters'));
    stripped += lines.length - kept.length;
    fs.writeFileSync(file, kept.join('\n'));
  }
  assert.equal(stripped, 3, 'the three leaders’ quorum lines are gone');
  const bundle = await indexBundle(root, { workers: 0 });
  const zk = leaderIntervals(bundle, 'zk').map((iv) => `${iv.node} ${String(iv.epoch)} ${String(iv.epochBy)} ${String(iv.epochAtLeast)}`);
  assert.deepEqual(zk, [
    // 247's 3.4 term: no follower wrote a txn log file while it led, and no sync zxid: nothing to infer from.
    '172_20_131_247 undefined undefined undefined',
    '172_20_131_242 16 followersTxnLog undefined',
    // 241 opened a txn log file of its own epoch while leading.
    '172_20_131_241 17 txnLog undefined',
  ]);
  const [o] = findOverlaps(leaderIntervals(bundle, 'zk'));
  const s = staleSide(o);
  assert.equal(s?.node, '172_20_131_242');
  assert.equal(s?.why, 'epoch 16 < epoch 17');
  assert.deepEqual(
    s?.evidence.map((e) => `${e.node} ${/log\.\w+/.exec(e.text)?.[0] ?? ''}`),
    ['172_20_131_243 log.1000000001', '172_20_131_241 log.1100000001'],
  );
});
