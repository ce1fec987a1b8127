import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, test } from 'node:test';
import * as oniguruma from 'vscode-oniguruma';
import * as vsctm from 'vscode-textmate';
import { clusterLogLine, nodeColumnWidth, originalTextStart, shortNodeNames } from '../../src/core/clusterLog/clusterLogLine';
import { FORMATS } from '../../src/core/formats';
import type { Severity } from '../../src/core/formats/types';
import { REPO } from '../helpers';

// The grammar as VS Code runs it: vscode-textmate with the Oniguruma WASM, on lines from the seeds.
let grammar: vsctm.IGrammar;

before(async () => {
  const wasm = fs.readFileSync(path.join(REPO, 'node_modules/vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const file = path.join(REPO, 'syntaxes/quorum-log.tmLanguage.json');
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s: string) => new oniguruma.OnigString(s),
    }),
    loadGrammar: (scope: string) =>
      Promise.resolve(scope === 'text.log.quorum' ? vsctm.parseRawGrammar(fs.readFileSync(file, 'utf8'), file) : null),
  });
  const g = await registry.loadGrammar('text.log.quorum');
  assert.ok(g);
  grammar = g;
});

/** The scopes of the token that starts where `part` starts in `line` (the `nth` occurrence). */
function scopesAt(line: string, part: string, nth = 0): string[] {
  let at = -1;
  for (let i = 0; i <= nth; i++) at = line.indexOf(part, at + 1);
  assert.ok(at >= 0, `"${part}" in line`);
  const { tokens } = grammar.tokenizeLine(line, vsctm.INITIAL);
  const t = tokens.find((tok) => tok.startIndex <= at && at < tok.endIndex);
  assert.ok(t);
  return t.scopes;
}
const has = (line: string, part: string, scope: string, nth = 0) => {
  const scopes = scopesAt(line, part, nth);
  assert.ok(
    scopes.some((s) => s.startsWith(scope)),
    `"${part}" should be ${scope}, got ${scopes.join(' ')}`,
  );
};

const GLOG_E =
  'E0314 16:32:00.045940 39441 main.cc:81] [ZOO] handle_socket_error_msg:2393 2023-03-14 16:32:00,045:38748(0x7f70a7ded700):ZOO_ERROR@handle_socket_error_msg@2393: Socket [10.0.131.245:2181] zk retcode=-7, errno=110(Connection timed out): connection to 10.0.131.245:2181 timed out';
const GLOG_I = 'I0314 05:12:22.456939 141319 meta_server.cc:408] Start the leader role';
const ZK =
  '2023-03-14T01:35:50,953 [myid:] - INFO  [QuorumPeer[myid=1](plain=10.0.131.241:2181)(secure=disabled):Learner@392] - Getting a diff from the leader 0x100000175e';
const ZK_SESSION =
  '2023-03-14T01:35:51,703 [myid:] - INFO  [SessionTracker:ZooKeeperServer@447] - Expiring session 0x1000adfaccc0001, timeout of 4000ms exceeded';
const ZK_WARN =
  '2025-07-20T00:02:04,749 [myid:] - WARN  [QuorumPeer[myid=1](plain=10.10.10.146:2181)(secure=disabled):Follower@100] - Exception when following the leader';
const FRAME = '\tat org.apache.zookeeper.server.quorum.Learner.readPacket(Learner.java:166) ~[zookeeper-3.9.9.jar:3.9.9]';
const HADOOP = '2019-09-17 05:04:12,618 FATAL org.apache.hadoop.hdfs.tools.DFSZKFailoverController: Got a fatal error, exiting now';
const PIPE =
  '2023-03-15 01:18:36,588|3658843:ThreadPoolExecutor-747_0:140040269186624|root|INFO|[baseLinux.py:53]|Running: iptables -t mangle -A OUTPUT -s 10.0.131.242 -j DROP';
const META =
  'W1104 22:36:49.492303 125122 session.cc:199] [SESSION EXPIRED]: session_epoch { uuid: "a1ee10af-a8b6-4d50-b11d-eb09642685ac" epoch: 202517316 } group: "access"';

test('glog prefix: severity letter, time, thread id and source location', () => {
  has(GLOG_I, 'I0314', 'markup.inserted');
  has(GLOG_E, 'E0314', 'invalid.illegal');
  has(META, 'W1104', 'markup.deleted');
  has(GLOG_I, '05:12:22.456939', 'comment.timestamp');
  has(GLOG_I, '141319', 'variable.other.thread');
  has(GLOG_I, 'meta_server.cc:408', 'entity.name.function.source-location');
});

test('ZooKeeper layout: timestamp, level, thread and Class@line', () => {
  has(ZK, '2023-03-14T01:35:50,953', 'comment.timestamp');
  has(ZK, 'INFO', 'markup.inserted');
  has(ZK_WARN, 'WARN', 'markup.deleted');
  has(ZK, 'QuorumPeer[myid=1]', 'variable.other.thread');
  has(ZK, 'Learner@392', 'entity.name.function.source-location');
});

test('zxids and session ids are told apart from other hex numbers', () => {
  has(ZK, '0x100000175e', 'constant.numeric.hex.zxid');
  has(ZK_SESSION, '0x1000adfaccc0001', 'constant.numeric.hex.session-id');
  has(GLOG_E, '0x7f70a7ded700', 'variable.other.thread');
  has(
    'I0314 16:32:01.517037 206898 meta_server.cc:521] Stopped the services of meta, this: 0x56285dc26000',
    '0x56285dc26000',
    'constant.numeric.hex.quorum-log',
  );
});

test('addresses, UUIDs, tags, error codes and key: value numbers', () => {
  has(GLOG_E, '10.0.131.245:2181', 'constant.language.address');
  has(META, 'a1ee10af-a8b6', 'constant.language.uuid');
  has(META, '[SESSION EXPIRED]', 'keyword.other.tag');
  has(GLOG_E, '[ZOO]', 'keyword.other.tag');
  has(GLOG_E, '-7', 'constant.numeric.error-code');
  has(META, '202517316', 'constant.numeric');
  has(GLOG_E, 'ZOO_ERROR', 'invalid.illegal');
});

test('Java stack frames and exception names', () => {
  has(FRAME, 'at', 'keyword.control.at');
  has(FRAME, 'org.apache.zookeeper.server.quorum.Learner.readPacket', 'entity.name.function.frame');
  has('java.net.SocketTimeoutException: Read timed out', 'java.net.SocketTimeoutException', 'entity.name.type.exception');
});

test('Hadoop log4j and the test runner pipe layout', () => {
  has(HADOOP, 'FATAL', 'invalid.illegal');
  has(HADOOP, 'org.apache.hadoop.hdfs.tools.DFSZKFailoverController', 'entity.name.function.source-location');
  has(PIPE, '2023-03-15 01:18:36,588', 'comment.timestamp');
  has(PIPE, 'INFO', 'markup.inserted');
  has(PIPE, 'baseLinux.py:53', 'entity.name.function.source-location');
  has(PIPE, '10.0.131.242', 'constant.language.address');
});

test('plain message words stay plain', () => {
  const scopes = scopesAt(GLOG_I, 'Start the leader role');
  assert.deepEqual(scopes, ['text.log.quorum']);
});

// The Cluster Log view: every format's sample lines as the core's own renderer prints them (view and CLI alike).
const SEVERITY_SCOPE: Record<Severity, string> = {
  trace: 'markup.changed',
  debug: 'markup.changed',
  info: 'markup.inserted',
  warn: 'markup.deleted',
  error: 'invalid.illegal',
  fatal: 'invalid.illegal',
};
const CLUSTER_TIME = '2023-03-14 01:35:51.703000';

test('a Cluster Log line: its time and node columns are scoped, the original line after them is coloured as in its file', () => {
  const short = shortNodeNames(['172.20.131.241', '172.20.131.242', '10.0.131.7']);
  const width = nodeColumnWidth(short.values());
  let checked = 0;
  for (const format of FORMATS)
    for (const sample of format.samples) {
      const line = clusterLogLine({ timeLabel: CLUSTER_TIME, node: short.get('172.20.131.241')!, text: sample.line }, width);
      has(line, CLUSTER_TIME, 'constant.other.cluster-time');
      has(line, '241', 'entity.name.tag.cluster-node');
      has(line, '│', 'punctuation.separator.cluster');
      // The sample's own stamp: after the columns (the first occurrence may be the column's own time).
      const at = originalTextStart(line);
      const stampAt = line.indexOf(sample.stamp, at);
      has(line, sample.stamp, 'comment.timestamp', line.slice(0, stampAt).split(sample.stamp).length - 1);
      const severity = sample.expect.severity;
      if (severity && sample.level) {
        const levelAt = line.indexOf(sample.level, at);
        has(line, sample.level, SEVERITY_SCOPE[severity], line.slice(0, levelAt).split(sample.level).length - 1);
      }
      checked++;
    }
  assert.ok(checked >= 10, `${checked} samples`);
});

test('a Cluster Log line placed at a time not its own, with a zone offset, and its marker lines', () => {
  const line = clusterLogLine({ timeLabel: '2023-03-14T01:35:51.703000+08:00', node: '10.0.131.7', text: GLOG_I, placed: true }, 12);
  has(line, '2023-03-14 01:35:51.703000+08:00', 'constant.other.cluster-time');
  has(line, '*', 'markup.changed.cluster-placed');
  has(line, 'I0314', 'markup.inserted');
  has(line, 'meta_server.cc:408', 'entity.name.function.source-location');
  // Plain message words stay plain inside the view too.
  assert.deepEqual(scopesAt(line, 'Start the leader role'), ['text.log.quorum']);
  has('── start of the merged log ──', 'start', 'comment.line.cluster-marker');
  // Outside the view nothing changes: a source line's prefix still starts at the line's start only.
  has(GLOG_I, 'I0314', 'markup.inserted');
  assert.deepEqual(scopesAt(`x ${GLOG_I}`, 'I0314'), ['text.log.quorum']);
});
