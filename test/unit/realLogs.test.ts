import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { before, test } from 'node:test';
import { leaderIntervals } from '../../src/core/leaderIntervals';
import type { BundleIndex } from '../../src/core/model';
import { indexBundle } from '../../src/indexer/bundleIndexer';
import { REAL_LOGS, snapshot } from '../helpers';

// The corpus of real logs in ../shared/real-logs (never copied into the project). Skipped when absent.
const present = fs.existsSync(REAL_LOGS);
const skip = present ? false : `real logs not found at ${REAL_LOGS}`;
let bundle: BundleIndex;
let before0: string[];
const file = (rel: string) => {
  const f = bundle.files.find((x) => x.path === rel);
  assert.ok(f, rel);
  return f;
};

before(async () => {
  if (!present) return;
  before0 = snapshot(REAL_LOGS);
  bundle = await indexBundle(REAL_LOGS);
});

test('every real file is indexed, or skipped with a reason, or recognised as a copy', { skip }, () => {
  assert.ok(bundle.files.length >= 124);
  for (const f of bundle.files) assert.ok(f.lines > 0 || f.skipped || f.duplicateOf || f.notes.includes('empty file'), f.path);
  assert.deepEqual(snapshot(REAL_LOGS), before0);
});

test('formats are recognised from content', { skip }, () => {
  assert.equal(file('glog/caffe-yindaz/log/caffe.pvg-gpu-desktop.yindazhang.log.INFO.20141025-153755.31299').format, 'glog');
  assert.equal(file('zookeeper/anduril/zookeeper-3006_bad-run-log.txt').format, 'zookeeper');
  assert.equal(file('zookeeper/k8376654-hadoop-3.0.3-ha/zookeeper.out').format, 'zookeeper');
  assert.equal(file('zookeeper/issues/mesosphere-backup-hdfs-deprecated-124_zk-c-client.log').format, 'zkclient');
  assert.equal(file('hadoop/kyoon3-hadoopPractice/hadoop-root-namenode-master.log').format, 'log4j');
  assert.equal(file('loghub/Zookeeper/Zookeeper_2k.log').format, 'zookeeper');
  assert.equal(file('kazoo/issues/TeskaLabs-asab-pr685.log').format, 'python');
});

test('the Kafka-bundled log with a hole of NUL bytes is indexed past the hole', { skip }, () => {
  const f = file('zookeeper/kafka-bundled/PFE_anomaly_detection_zookeeper.log');
  assert.ok(
    f.notes.some((n) => n.startsWith('823 NUL bytes')),
    f.notes.join('; '),
  );
  assert.ok(f.lines >= 93);
  assert.ok(f.lastTime !== undefined && f.firstTime !== undefined && f.lastTime > f.firstTime);
});

test('the caffe glog aliases (caffe.INFO → newest file) and severity copies are indexed once', { skip }, () => {
  assert.equal(
    file('glog/caffe-yindaz/log/caffe.INFO').duplicateOf,
    'glog/caffe-yindaz/log/caffe.pvg-gpu-desktop.yindazhang.log.INFO.20141025-153755.31299',
  );
  assert.equal(
    file('glog/caffe-yindaz/log/caffe.pvg-gpu-desktop.yindazhang.log.WARNING.20141025-153657.31294').duplicateOf,
    'glog/caffe-yindaz/log/caffe.pvg-gpu-desktop.yindazhang.log.INFO.20141025-153657.31294',
  );
});

test('a leader shut down by an injected fault ends its term at "Shutdown called"', { skip }, () => {
  const terms = leaderIntervals(bundle, 'zk').filter((iv) => iv.startSource.file === 'zookeeper/anduril/zookeeper-4203_bad-run-log.txt');
  assert.deepEqual(
    terms.map((iv) => `${iv.node} ${iv.endReason}`),
    ['real-logs/myid=3 zk.leaderShutdown'],
  );
  assert.ok(terms[0].end > terms[0].start);
});

test('a follower-only 3.4 member gives no leader term', { skip }, () => {
  assert.deepEqual(
    leaderIntervals(bundle, 'zk').filter((iv) => iv.startSource.file === 'zookeeper/k8376654-hadoop-3.0.3-ha/zookeeper.out'),
    [],
  );
});

test('in-process quorums (several peers in one file) get one lane per peer', { skip }, () => {
  const peers = new Set(
    leaderIntervals(bundle, 'zk')
      .filter((iv) => iv.startSource.file.includes('anduril/zookeeper-3006'))
      .map((iv) => iv.node),
  );
  assert.ok(
    [...peers].every((p) => /\/myid=\d+$/.test(p)),
    [...peers].join(','),
  );
});

test('a shared zookeeper.out with its clock stepping back is reported', { skip }, () => {
  assert.ok(file('zookeeper/jianyu-m-zookeeper_script/zookeeper.out').notes.some((n) => /clock went backwards/.test(n)));
});

test('every real ZooKeeper term whose leader printed its quorum line has its epoch, in 3.4 and 3.5+ forms alike', { skip }, () => {
  // 3.5.9+ prints `sids: [[1, 3]]`, with dynamic reconfig `[ [1, 2],[1, 2] ]`: only 3.4's `[ 1,2 ]` was read.
  const epochs = leaderIntervals(bundle, 'zk')
    .filter((iv) => iv.startSource.file.startsWith('zookeeper/anduril/'))
    .map((iv) => `${iv.startSource.file.split('/').pop() ?? ''} ${String(iv.epoch)}`)
    .sort();
  assert.deepEqual(epochs, [
    'zookeeper-2247_bad-run-log.txt 1',
    'zookeeper-3006_bad-run-log.txt 1',
    'zookeeper-3157_bad-run-log.txt 1',
    'zookeeper-4203_bad-run-log.txt 135',
  ]);
});

test('a real term with no quorum line gets the lower bound its follower synced to, not a guessed epoch', { skip }, () => {
  // apache-zookeeper-pr2067.log is 7 lines cut mid-sync: `Getting a diff from the leader 0x100000004` is the
  // leader's last committed zxid (epoch 1); the term's own epoch is only known to be at least that.
  const [iv] = leaderIntervals(bundle, 'zk').filter((i) => i.startSource.file.endsWith('apache-zookeeper-pr2067.log'));
  assert.equal(iv.epoch, undefined);
  assert.equal(iv.epochAtLeast, 1);
  assert.match(iv.evidence?.[0]?.text ?? '', /Getting a diff from the leader 0x100000004/);
  assert.deepEqual(
    iv.phases?.map((p) => p.phase),
    ['synchronization'],
  );
});
