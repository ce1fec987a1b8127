import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EventPayload } from '../../src/core/model';
import { LineMatcher } from '../../src/core/rules/lineMatcher';
import { BUILTIN_ROLE_RULES, validateRoleRules } from '../../src/core/rules/roleRules';

const matcher = new LineMatcher(BUILTIN_ROLE_RULES);
const only = (line: string, kind: EventPayload['kind']) => matcher.match(line).filter((e) => e.kind === kind);
const roles = (line: string) => only(line, 'role').map((e) => (e.kind === 'role' ? `${e.role}:${e.edge}` : ''));

test('meta leader edges: the leader role starts, "Stopping the services" ends, the look-alikes do not count', () => {
  assert.deepEqual(roles('I0314 05:12:22.456939 141319 meta_server.cc:408] Start the leader role'), ['meta:start']);
  assert.deepEqual(roles('I0314 16:32:00.248266 39443 meta_server.cc:495] Stopping the services of meta, this: 0x5652617e6000'), [
    'meta:end',
  ]);
  assert.deepEqual(roles('I0314 16:32:01.517037 206898 meta_server.cc:521] Stopped the services of meta, this: 0x56285dc26000'), []);
  assert.deepEqual(roles('I0314 16:32:01.517046 206898 meta_server.cc:370] Starting the services of meta, this: 0x56285dc26000'), []);
  assert.deepEqual(roles('I0314 16:32:06.489467 177091 meta_server.cc:412] Start the follower role'), []);
});

test('ZooKeeper leader edges in the 3.4 and 3.6+ wordings', () => {
  assert.deepEqual(roles('2018-07-03 09:56:33,555 [myid:1] - INFO  [QuorumPeer[myid=1]/0:0:0:0:0:0:0:0:2181:QuorumPeer@856] - LEADING'), [
    'zk:start',
  ]);
  assert.deepEqual(
    roles(
      '2023-03-14T01:12:15,664 [myid:] - INFO  [QuorumPeer[myid=2](plain=10.0.131.242:2181)(secure=disabled):QuorumPeer@751] - Peer state changed: leading - broadcast',
    ),
    ['zk:start'],
  );
  assert.deepEqual(
    roles(
      '2025-07-20T00:02:06,008 [myid:] - INFO  [QuorumPeer[myid=4](plain=10.10.10.152:2181)(secure=disabled):QuorumPeer@751] - Peer state changed: looking',
    ),
    ['zk:end'],
  );
  assert.deepEqual(roles('2018-07-03 09:56:33,555 [myid:1] - INFO  [QuorumPeer[myid=1]/0:0:0:0:0:0:0:0:2181:QuorumPeer@774] - LOOKING'), [
    'zk:end',
  ]);
  assert.deepEqual(
    roles('2018-07-03 09:56:33,555 [myid:1] - INFO  [QuorumPeer[myid=1]/0:0:0:0:0:0:0:0:2181:Leader@526] - Shutdown called'),
    ['zk:end'],
  );
  assert.deepEqual(
    roles(
      '2025-07-20T00:02:04,752 [myid:] - INFO  [QuorumPeer[myid=1](plain=10.10.10.146:2181)(secure=disabled):LearnerZooKeeperServer@183] - Shutting down',
    ),
    [],
  );
  assert.deepEqual(
    roles('2018-07-03 09:56:33,555 [myid:1] - INFO  [QuorumPeer[myid=1]/0.0.0.0:2181:Leader@380] - LEADING - LEADER ELECTION TOOK - 20 MS'),
    ['zk:start'],
  );
});

test('NameNode active edges from ZKFC', () => {
  assert.deepEqual(
    roles(
      '2016-03-31 17:27:21,083 INFO org.apache.hadoop.ha.ZKFailoverController: Successfully transitioned NameNode at hadoop-nn1/192.168.4.7:8020 to active state',
    ),
    ['namenode:start'],
  );
  assert.deepEqual(
    roles(
      '2016-03-31 17:27:21,083 INFO org.apache.hadoop.ha.ZKFailoverController: Successfully transitioned NameNode at hadoop-nn1/192.168.4.7:8020 to standby state',
    ),
    ['namenode:end'],
  );
});

test('peer states and zxids, with the epoch decoded', () => {
  assert.deepEqual(
    only(
      '2023-03-14T01:35:50,975 [myid:] - INFO  [QuorumPeer[myid=1](plain=10.0.131.241:2181)(secure=disabled):QuorumPeer@756] - Peer state changed: following - synchronization - diff',
      'zkState',
    ),
    [{ kind: 'zkState', state: 'following', phase: 'synchronization', sync: 'diff' }],
  );
  assert.deepEqual(
    only(
      '2023-03-14T01:35:50,953 [myid:] - INFO  [QuorumPeer[myid=1](plain=10.0.131.241:2181)(secure=disabled):Learner@392] - Getting a diff from the leader 0x100000175e',
      'zxid',
    ),
    [{ kind: 'zxid', what: 'diff', zxid: '0x100000175e', epoch: 16, counter: 5982 }],
  );
  assert.deepEqual(
    only(
      '2019-01-01 00:00:00,000 [myid:1] - INFO  [QuorumPeer[myid=1]/0.0.0.0:2181:Leader@964] - Have quorum of supporters, sids: [ 1,2 ]; starting up and setting last processed zxid: 0x200000000',
      'zxid',
    ),
    [{ kind: 'zxid', what: 'quorum', zxid: '0x200000000', epoch: 2, counter: 0 }],
  );
  // 3.5.9+ prints the supporters as a nested list, and twice with dynamic reconfig (issue 12).
  for (const sids of ['[[1, 2, 3]]', '[ [1, 2],[1, 2] ]', '[[2, 3, 5],[2, 3, 5]]']) {
    assert.deepEqual(
      only(
        `2023-03-14 01:35:51,000 [myid:1] - INFO  [QuorumPeer[myid=1](plain=0.0.0.0:2181)(secure=disabled):Leader@1566] - Have quorum of supporters, sids: ${sids}; starting up and setting last processed zxid: 0x100000000`,
        'zxid',
      ),
      [{ kind: 'zxid', what: 'quorum', zxid: '0x100000000', epoch: 1, counter: 0 }],
      sids,
    );
  }
});

test('session lifecycle on the server, on clients, and the meta service lease sessions', () => {
  assert.deepEqual(
    only(
      '2023-03-14T01:35:51,703 [myid:] - INFO  [SessionTracker:ZooKeeperServer@447] - Expiring session 0x1000adfaccc0001, timeout of 4000ms exceeded',
      'session',
    ),
    [{ kind: 'session', action: 'expired', sessionId: '0x1000adfaccc0001', side: 'server', timeoutMs: 4000 }],
  );
  assert.equal(
    only('... QuorumZooKeeperServer@157] - Submitting global closeSession request for session 0x1000adfaccc0001', 'session')[0]?.kind,
    'session',
  );
  assert.deepEqual(
    only(
      '2023-03-14T01:35:53,968 [myid:] - INFO  [NIOWorkerThread-4:ZooKeeperServer@828] - Invalid session 0x1000adfaccc0001 for client /10.0.131.243:42672, probably expired',
      'session',
    ),
    [{ kind: 'session', action: 'invalid', sessionId: '0x1000adfaccc0001', side: 'server', client: '/10.0.131.243:42672' }],
  );
  assert.equal(
    only(
      '2022-07-07T20:52:18,776 [myid:] - INFO  [CommitProcWorkThread-1:LearnerSessionTracker@121] - Committing global session 0x3000c361a120000',
      'session',
    ).length,
    1,
  );
  assert.equal(
    only('2025-07-20T00:02:04,705 [myid:] - INFO  [NIOWorkerThread-2:Learner@115] - Revalidating client: 0x50618e08c482bd2', 'session')
      .length,
    1,
  );
  const c = only(
    'E1104 22:36:49.690063 139813 main.cc:81] [ZOO] handle_socket_error_msg:2514 2022-11-04 22:36:49,690:138783(0x7f28408aa700):ZOO_ERROR@handle_socket_error_msg@2514: Socket [10.10.10.162:2181] zk retcode=-112, errno=116(Stale file handle): sessionId=0x3001e647d600030 has expired.',
    'session',
  );
  assert.deepEqual(c, [{ kind: 'session', action: 'clientExpired', sessionId: '0x3001e647d600030', side: 'client' }]);
  assert.deepEqual(
    only(
      'W1104 22:36:49.492303 125122 session.cc:199] [SESSION EXPIRED]: session_epoch { uuid: "a1ee10af-a8b6-4d50-b11d-eb09642685ac" epoch: 202517316 } group: "access"',
      'metaSession',
    ),
    [{ kind: 'metaSession', action: 'expired', uuid: 'a1ee10af-a8b6-4d50-b11d-eb09642685ac', epoch: 202517316 }],
  );
  assert.equal(only('E1104 22:36:49.670372 125122 session.cc:214] [BUG]: session expired caused by delayed RPC', 'metaSession').length, 1);
});

test('fault injections and their restore', () => {
  assert.deepEqual(
    only(
      '2023-03-15 01:18:36,588|3658843:ThreadPoolExecutor-747_0:140040269186624|root|INFO|[baseLinux.py:53]|Running: iptables -t mangle -A OUTPUT -s 10.0.131.242 -j DROP with conn: <Connection host=172.20.131.242 user=smartx>;',
      'fault',
    ),
    [
      {
        kind: 'fault',
        action: 'inject',
        tool: 'iptables',
        target: '10.0.131.242',
        host: '172.20.131.242',
        detail: 'iptables -t mangle -A OUTPUT -s 10.0.131.242 -j DROP',
      },
    ],
  );
  const tc = only(
    '2023-03-15 01:29:57,943|3658843:ThreadPoolExecutor-813_0:140039220622912|root|INFO|[baseLinux.py:53]|Running: /home/smartx/python3_venv/venv/bin/tcset eth1 --change --loss 10% --src-network 10.0.131.246 --network 10.0.131.244 with conn: <Connection host=172.20.131.246 user=smartx>;',
    'fault',
  );
  assert.equal(tc[0]?.kind === 'fault' && tc[0].target, '10.0.131.246');
  assert.deepEqual(
    only('2023-03-15 01:24:05,131|3658843:MainThread:140042024847168|root|INFO|[conftest.py:60]|teardown: RESTORE_IPTABLES', 'fault'),
    [{ kind: 'fault', action: 'restore', tool: 'iptables', detail: 'RESTORE_IPTABLES' }],
  );
});

test('aliases a node announces about itself', () => {
  assert.deepEqual(
    only(
      '2023-03-14T01:35:47,825 [myid:] - INFO  [QuorumPeer[myid=1](plain=10.0.131.241:2181)(secure=disabled):QuorumPeer@751] - Peer state changed: following - synchronization',
      'alias',
    ),
    [{ kind: 'alias', myid: '1', address: '10.0.131.241', via: 'QuorumPeer thread' }],
  );
  assert.deepEqual(only('2019-01-01 00:00:00,000 [myid:1] - INFO  [QuorumPeer[myid=1]/0.0.0.0:2181:QuorumPeer@1] - LOOKING', 'alias'), [
    { kind: 'alias', myid: '1', address: undefined, via: 'QuorumPeer thread' },
  ]);
  assert.deepEqual(
    only(
      'I1104 22:36:53.009012 120699 meta_server.cc:342] Meta status change to new status: META_RUNNING meta addr: 10.10.10.163 port: 10100. Last status was: META_BOOTING',
      'alias',
    ),
    [{ kind: 'alias', address: '10.10.10.163', via: 'meta status' }],
  );
  assert.deepEqual(
    only(
      'I0314 01:39:50.159762 110767 quorum_cluster.cc:584] Joined by creating path: /zos/service/meta/z-0000000395 with value: 10.0.131.243:10100',
      'alias',
    ),
    [{ kind: 'alias', address: '10.0.131.243', via: 'meta quorum join' }],
  );
});

test('ordinary lines yield nothing', () => {
  assert.deepEqual(
    matcher.match('I0720 00:02:02.193142 25812 meta_rpc_server.cc:2125] [SET PEXTENT EXISTENCE]: [REQUEST]: pid: 3532148'),
    [],
  );
});

test('user role rules are checked before use', () => {
  assert.deepEqual(
    validateRoleRules([
      { role: 'master', starts: [{ keyword: 'Elected as the leading master!' }], ends: [{ keyword: 'Lost leadership' }] },
    ]),
    [],
  );
  assert.match(validateRoleRules([{ role: 'x', starts: [], ends: [{ keyword: 'a' }] }])[0], /starts/);
  assert.match(validateRoleRules([{ role: 'x', starts: [{ keyword: 'a', regex: '(' }], ends: [{ keyword: 'b' }] }])[0], /regex/);
  assert.match(validateRoleRules({})[0], /list/);
});

test('clock offsets from ntpd, chrony and ntpdate, in seconds, only in NTP logs', () => {
  const ntp = matcher.forFormats(['plain'], 'ntp');
  const offset = (line: string) => ntp.match(line).flatMap((e) => (e.kind === 'clockOffset' ? [e.seconds] : []));
  assert.deepEqual(offset('I0314 00:00:00.000000 40000 ntp_monitor.cc:88] ntp peer 10.0.131.1 offset: -1.434 s'), [-1.434]);
  assert.deepEqual(offset('Mar 14 01:35:51 node241 ntpd[812]: adjusting local clock by -0.061234s'), [-0.061234]);
  assert.deepEqual(offset('Mar 14 01:35:51 node241 ntpd[812]: time reset +1.402117 s'), [1.402117]);
  assert.deepEqual(offset('System time     : 0.000734 seconds slow of NTP time'), [-0.000734]);
  assert.deepEqual(offset('System time     : 0.250000 seconds fast of NTP time'), [0.25]);
  assert.deepEqual(offset('14 Mar 01:35:51 ntpdate[3069]: adjust time server 10.0.131.1 offset 0.004512 sec'), [0.004512]);
  assert.deepEqual(offset('ntp peer 10.0.131.1 offset: 12.5 ms'), [0.0125]);
  // The same words in a service log are not clock readings.
  const meta = matcher.forFormats(['glog'], 'meta');
  assert.deepEqual(
    meta.match('I0314 00:00:00.000000 40000 lsm.cc:1] journal offset: 4096').filter((e) => e.kind === 'clockOffset'),
    [],
  );
});
