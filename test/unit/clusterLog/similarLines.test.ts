import assert from 'node:assert/strict';
import { test } from 'node:test';
import { literalRegex, messageStart, similarLinesRegex } from '../../../src/core/clusterLog/similarLines';

// Lines of the real ZooKeeper 3.8 ensemble the zk tests run (test/zk/scenario.ts), as its servers wrote them.
const SRVR = [
  '2026-12-01 16:38:58,839 [myid:1] - INFO  [NIOWorkerThread-1:NIOServerCnxn@517] - Processing srvr command from /127.0.0.1:59786',
  '2026-12-01 16:38:59,043 [myid:2] - INFO  [NIOWorkerThread-2:NIOServerCnxn@517] - Processing srvr command from /127.0.0.1:59800',
  '2026-12-01 16:39:07,611 [myid:3] - INFO  [NIOWorkerThread-4:NIOServerCnxn@517] - Processing srvr command from /127.0.0.1:39170',
  '2026-12-01 16:39:12,002 [myid:1] - INFO  [NIOWorkerThread-3:NIOServerCnxn@518] - Processing srvr command from /10.0.131.241:2',
];
const OTHERS = [
  '2026-12-01 16:38:58,838 [myid:1] - INFO  [NIOWorkerThread-1:FourLetterCommands@223] - The list of known four letter word commands is : [{1936881266=srvr, 1937006964=stat}]',
  '2026-12-01 16:38:58,839 [myid:1] - INFO  [NIOWorkerThread-1:FourLetterCommands@224] - The list of enabled four letter word commands is : [[wchs, stat, srvr]]',
  '2026-12-01 16:39:00,100 [myid:1] - INFO  [NIOWorkerThread-1:NIOServerCnxn@517] - Processing stat command from /127.0.0.1:59786',
  '2026-12-01 16:39:00,100 [myid:1] - INFO  [NIOWorkerThread-1:NIOServerCnxn@517] - Processing srvr command from /127.0.0.1:59786 (closed)',
  '2026-12-01 16:38:59,441 [myid:1] - INFO  [QuorumPeer[myid=1](plain=127.0.0.11:2181)(secure=disabled):Learner@130] - leaderConnectDelayDuringRetryMs: 100',
];

test('hide lines like this: a srvr line gives a regex that matches every srvr line of every node, client and port, and no other line', () => {
  const re = similarLinesRegex(SRVR[2]);
  assert.ok(re);
  const r = new RegExp(re);
  for (const l of SRVR) assert.match(l, r);
  for (const l of OTHERS) assert.doesNotMatch(l, r);
  // Only classes and quantifiers: the linear-time engine the merge runs user regexes on accepts it.
  assert.doesNotMatch(re, /\(\?[=!<]|\\[1-9]/);
});

test('the regex starts at the message: the prefix (time, myid, thread, location) is left out', () => {
  assert.equal(SRVR[0].slice(messageStart(SRVR[0])), 'Processing srvr command from /127.0.0.1:59786');
  const glog = 'I0314 05:12:22.456939 141319 meta_server.cc:408] Start the leader role';
  assert.equal(glog.slice(messageStart(glog)), 'Start the leader role');
  assert.equal(messageStart('no prefix at all'), 0);
});

test('numbers, hex, session ids, uuids and addresses are generalised; words with digits stay', () => {
  const expiry =
    '2023-03-14T01:35:51,703 [myid:] - INFO  [SessionTracker:ZooKeeperServer@447] - Expiring session 0x1000adfaccc0001, timeout of 4000ms exceeded';
  const r = new RegExp(similarLinesRegex(expiry)!);
  assert.match(expiry.replace('0x1000adfaccc0001', '0x2000bd0000002').replace('4000ms', '30000ms'), r);
  assert.doesNotMatch(expiry.replace('Expiring', 'Closing'), r);
  const meta =
    'W1104 22:36:49.492303 125122 session.cc:199] [SESSION EXPIRED]: session_epoch { uuid: "a1ee10af-a8b6-4d50-b11d-eb09642685ac" epoch: 202517316 } group: "access"';
  const m = new RegExp(similarLinesRegex(meta)!);
  assert.match(meta.replace('a1ee10af-a8b6-4d50-b11d-eb09642685ac', '014d8419-8726-4db6-9eba-5a43758936d3').replace('202517316', '7'), m);
  assert.doesNotMatch(meta.replace('"access"', '"chunk"'), m);
  const zoo =
    'E0314 16:32:00.045940 39441 main.cc:81] [ZOO] 2023-03-14 16:32:00,045:38748(0x7f70a7ded700):ZOO_ERROR@handle_socket_error_msg@2393: Socket [10.0.131.245:2181] zk retcode=-7';
  const z = new RegExp(similarLinesRegex(zoo)!);
  assert.match(zoo.replace('0x7f70a7ded700', '0x7f70a0000001').replace('10.0.131.245', '10.0.131.7').replace('38748', '1'), z);
  // A version-like word is kept: `v2` and `md5` are no numbers.
  assert.match(similarLinesRegex('I0314 05:12:22.456939 1 a.cc:1] using md5 for v2 blocks 12')!, /md5 for v2 blocks/);
});

test('a line with nothing literal to tell it by gets no regex (it would hide everything)', () => {
  assert.equal(similarLinesRegex('I0314 05:12:22.456939 1 a.cc:1] 12 0x1f'), undefined);
  assert.equal(similarLinesRegex(''), undefined);
});

test('a literal text becomes a regex that matches exactly it (Trace Across Nodes)', () => {
  for (const text of ['pid: 65380', 'a.b*c+(d)[e]{f}|g^h$i\\j?', '0x1000adfaccc0001']) {
    assert.match(`x ${text} y`, new RegExp(literalRegex(text)));
    assert.doesNotMatch(text.replace(/./, '#'), new RegExp(`^${literalRegex(text)}$`));
  }
});
