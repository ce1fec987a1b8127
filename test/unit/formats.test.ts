import assert from 'node:assert/strict';
import { test } from 'node:test';
import { detectFormat, parseLine, formatById } from '../../src/core/formats';
import { parseGlogFileName, parseGlogHeader } from '../../src/core/formats/glog';
import { formatIso } from '../../src/core/time';
import { RollingYearClock } from '../../src/core/yearClock';

const clock2023 = () => new RollingYearClock({ year: 2023, month: 3, day: 14 });
const parse = (fmt: Parameters<typeof formatById>[0], line: string) => {
  const p = parseLine(formatById(fmt), line, clock2023());
  assert.ok(p, `expected ${fmt} to parse: ${line}`);
  return { ...p, iso: formatIso(p.time), message: line.slice(p.messageStart) };
};

test('glog without a year takes it from the clock and keeps microseconds, thread and location', () => {
  const p = parse('glog', 'I0314 05:12:22.456939 141319 meta_server.cc:408] Start the leader role');
  assert.equal(p.iso, '2023-03-14T05:12:22.456939');
  assert.equal(p.severity, 'info');
  assert.equal(p.thread, '141319');
  assert.equal(p.location, 'meta_server.cc:408');
  assert.equal(p.message, 'Start the leader role');
  assert.equal(p.yearInferred, true);
});

test('glog with the year in the prefix (glog 0.5+) needs no clock', () => {
  const p = parse('glog', 'W20240513 15:06:37.455744  3208 entry_collector.cc:182] invalid entry definition at #999176.');
  assert.equal(p.iso, '2024-05-13T15:06:37.455744');
  assert.equal(p.severity, 'warn');
  assert.equal(p.yearInferred, false);
});

test('a glog continuation line is not an entry start', () => {
  assert.equal(parseLine(formatById('glog'), 'Traceback: [EAllocSpace]:', clock2023()), undefined);
});

test('glog error lines wrapping the ZooKeeper C client parse as glog errors', () => {
  const p = parse(
    'glog',
    'E0314 16:32:00.045940 39441 main.cc:81] [ZOO] handle_socket_error_msg:2393 2023-03-14 16:32:00,045:38748(0x7f70a7ded700):ZOO_ERROR@handle_socket_error_msg@2393: Socket [10.0.131.245:2181] zk retcode=-7, errno=110(Connection timed out)',
  );
  assert.equal(p.severity, 'error');
  assert.equal(p.iso, '2023-03-14T16:32:00.045940');
});

test('glog header and file name give the file start, the pid and the severity', () => {
  assert.equal(formatIso(parseGlogHeader('Log file created at: 2023/03/14 23:58:23') ?? NaN), '2023-03-14T23:58:23.000000');
  const n = parseGlogFileName('zbs-metad.log.20230314-235823.160199');
  assert.equal(n?.pid, 160199);
  assert.equal(formatIso(n?.created ?? NaN), '2023-03-14T23:58:23.000000');
  assert.equal(parseGlogFileName('caffe.host.user.log.WARNING.20141025-153657.31294')?.severity, 'WARNING');
  assert.equal(parseGlogFileName('zookeeper.log.1'), undefined);
});

test('ZooKeeper 3.6 layout with a T, an empty myid and a thread holding colons', () => {
  const p = parse(
    'zookeeper',
    '2023-03-14T01:35:50,953 [myid:] - INFO  [QuorumPeer[myid=1](plain=10.0.131.241:2181)(secure=disabled):Learner@392] - Getting a diff from the leader 0x100000175e',
  );
  assert.equal(p.iso, '2023-03-14T01:35:50.953000');
  assert.equal(p.thread, 'QuorumPeer[myid=1](plain=10.0.131.241:2181)(secure=disabled)');
  assert.equal(p.location, 'Learner@392');
  assert.equal(p.myid, undefined);
  assert.equal(p.message, 'Getting a diff from the leader 0x100000175e');
});

test('ZooKeeper 3.4 layout with [myid:N] and the 3.3 layout without the field', () => {
  const a = parse(
    'zookeeper',
    '2019-09-17 05:04:12,043 [myid:3] - WARN  [QuorumPeer[myid=3]/0.0.0.0:2181:LearnerHandler@702] - Closing connection to peer due to transaction timeout.',
  );
  assert.equal(a.myid, '3');
  assert.equal(a.severity, 'warn');
  assert.equal(a.location, 'LearnerHandler@702');
  const b = parse(
    'zookeeper',
    '2015-07-29 17:41:44,747 - INFO  [QuorumPeer[myid=1]/0:0:0:0:0:0:0:0:2181:FastLeaderElection@774] - Notification time out: 3200',
  );
  assert.equal(b.iso, '2015-07-29T17:41:44.747000');
  assert.equal(b.thread, 'QuorumPeer[myid=1]/0:0:0:0:0:0:0:0:2181');
  assert.equal(b.message, 'Notification time out: 3200');
});

test('Hadoop log4j: daemon layout, command-line layout and bracketed layout', () => {
  const a = parse(
    'log4j',
    '2019-09-17 05:04:12,618 FATAL org.apache.hadoop.hdfs.tools.DFSZKFailoverController: Got a fatal error, exiting now',
  );
  assert.equal(a.severity, 'fatal');
  assert.equal(a.location, 'org.apache.hadoop.hdfs.tools.DFSZKFailoverController');
  const b = parse('log4j', '18/04/05 16:30:10 INFO ha.ActiveStandbyElector: Session connected.');
  assert.equal(b.iso, '2018-04-05T16:30:10.000000');
  const c = parse(
    'log4j',
    '[2025-04-24 08:30:34,737] INFO binding to port 0.0.0.0/0.0.0.0:2181 (org.apache.zookeeper.server.NIOServerCnxnFactory)',
  );
  assert.equal(c.iso, '2025-04-24T08:30:34.737000');
});

test('Python logging: the test runner pipe layout, kazoo via zkfc_monitor, Patroni and asab', () => {
  const a = parse(
    'python',
    '2023-03-15 01:18:36,588|3658843:ThreadPoolExecutor-747_0:140040269186624|root|INFO|[baseLinux.py:53]|Running: iptables -t mangle -A OUTPUT -s 10.0.131.242 -j DROP with conn: <Connection host=172.20.131.242 user=smartx>;',
  );
  assert.equal(a.iso, '2023-03-15T01:18:36.588000');
  assert.equal(a.location, 'baseLinux.py:53');
  assert.ok(a.message.startsWith('Running: iptables'));
  const b = parse(
    'python',
    '2019-09-17 05:04:03,691 -connection:connection.py-L608-WARNING: Connection dropped: outstanding heartbeat ping not received',
  );
  assert.equal(b.severity, 'warn');
  assert.equal(b.message, 'Connection dropped: outstanding heartbeat ping not received');
  assert.equal(parse('python', '2022-01-25 12:45:35,914 INFO: no action.  i am the leader with the lock').severity, 'info');
  assert.equal(
    parse('python', '02-Jun-2025 14:18:49.699192 WARNING kazoo.client Connection dropped: socket connection broken').iso,
    '2025-06-02T14:18:49.699192',
  );
});

test('ZooKeeper C client lines', () => {
  const p = parse(
    'zkclient',
    '2024-04-12 03:12:59,328:39639(0x7f5cbed6f700):ZOO_INFO@check_events@1811: session establishment complete on server [127.0.0.1:6181], sessionId=0x103614baed8000f, negotiated timeout=40000',
  );
  assert.equal(p.iso, '2024-04-12T03:12:59.328000');
  assert.equal(p.location, 'check_events@1811');
});

test('plain text finds timestamps behind prefixes, and a syslog time takes its year from the clock', () => {
  const a = parse('plain', 'zookeeper_1  | 2018-07-03 09:56:28,287 [myid:] - INFO  [main:QuorumPeerConfig@124] - Reading configuration');
  assert.equal(a.iso, '2018-07-03T09:56:28.287000');
  const b = parse('plain', 'Jan  7 06:52:09.568578 prod-fe zk_watcher[30841]: (ERROR) socket connection error');
  assert.equal(b.iso, '2023-01-07T06:52:09.568578');
});

test('format detection decides by content', () => {
  assert.equal(
    detectFormat(['Log file created at: 2023/03/14 23:58:23', 'I0314 23:58:23.1 1 a.cc:1] x', 'I0314 23:58:23.160199 1 a.cc:1] x']).id,
    'glog',
  );
  assert.equal(
    detectFormat([
      '2023-03-14T01:35:51,703 [myid:] - INFO  [SessionTracker:ZooKeeperServer@447] - Expiring session 0x1, timeout of 4000ms exceeded',
    ]).id,
    'zookeeper',
  );
  assert.equal(
    detectFormat(['2023-03-14 02:00:00,000 INFO org.apache.hadoop.ha.ZKFailoverController: Successfully transitioned x to active state'])
      .id,
    'log4j',
  );
  assert.equal(
    detectFormat(['2023-03-15 01:24:05,131|3658843:MainThread:140042024847168|root|INFO|[conftest.py:60]|teardown: RESTORE_IPTABLES']).id,
    'python',
  );
  assert.equal(
    detectFormat([
      '2015-04-23 11:34:43,510:15841(0x7fd8c4b41700):ZOO_INFO@log_env@712: Client environment:zookeeper.version=zookeeper C client 3.4.5',
    ]).id,
    'zkclient',
  );
  assert.equal(detectFormat(['just some text', 'and more']).id, 'plain');
  assert.equal(
    detectFormat(['\u0000\u0000\u00002023-03-14 01:00:00,000 [myid:1] - INFO  [main:QuorumPeerMain@127] - Starting quorum peer']).id,
    'zookeeper',
  );
});
