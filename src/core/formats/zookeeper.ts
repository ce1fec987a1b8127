import { fractionToMicros, wallMicros } from '../time';
import { SEVERITY_BY_WORD, type FormatSample, type LogFormat, type ParsedLine } from './types';

// 2015-07-29 17:41:44,747 - INFO  [thread:Class@line] - msg            (3.3, Debian packages)
// 2023-03-14 01:35:51,703 [myid:1] - INFO  [thread:Class@line] - msg   (3.4+, log4j/logback ISO8601)
// 2023-03-14T01:35:51,703 [myid:] - INFO  [thread:Class@line] - msg    (rendered through Log4j 2)
// The thread itself may hold ':' and ']' (QuorumPeer[myid=1](plain=10.0.131.241:2181)(secure=disabled)),
// so the location is the last `:Class@line] - ` reached lazily.
const LINE = new RegExp(
  '^(?<year>\\d{4})-(?<month>\\d\\d)-(?<day>\\d\\d)[ T](?<hour>\\d\\d):(?<minute>\\d\\d):(?<second>\\d\\d),(?<millis>\\d{3}) ' +
    '(?:\\[myid:(?<myid>[^\\]]*)\\] )?- (?<level>TRACE|DEBUG|INFO|WARN|ERROR|FATAL) *(?:- )?' +
    '\\[(?<thread>.*?):(?<location>[\\w$.]+@\\d+)\\] - ',
);

// Real lines (catalog §5.1, ../shared/real-logs/zookeeper) except DEBUG: `Established session` is DEBUG in 3.5+.
const SAMPLES: readonly FormatSample[] = [
  {
    line: '2015-07-29 17:41:44,747 - INFO  [QuorumPeer[myid=1]/0:0:0:0:0:0:0:0:2181:FastLeaderElection@774] - Notification time out: 3200',
    stamp: '2015-07-29 17:41:44,747',
    level: 'INFO',
    expect: {
      time: '2015-07-29T17:41:44.747000',
      severity: 'info',
      thread: 'QuorumPeer[myid=1]/0:0:0:0:0:0:0:0:2181',
      location: 'FastLeaderElection@774',
    },
  },
  {
    line:
      '2019-09-17 05:04:12,043 [myid:3] - WARN  [QuorumPeer[myid=3]/0.0.0.0:2181:LearnerHandler@702] - Closing connection to peer ' +
      'due to transaction timeout.',
    stamp: '2019-09-17 05:04:12,043',
    level: 'WARN',
    expect: {
      time: '2019-09-17T05:04:12.043000',
      severity: 'warn',
      thread: 'QuorumPeer[myid=3]/0.0.0.0:2181',
      location: 'LearnerHandler@702',
      myid: '3',
    },
  },
  {
    line:
      '2018-11-02 13:06:51,089 [myid:3] - ERROR [LearnerHandler-/172.31.28.162:48280:LearnerHandler@648] - Unexpected exception ' +
      'causing shutdown while sock still open',
    stamp: '2018-11-02 13:06:51,089',
    level: 'ERROR',
    expect: {
      time: '2018-11-02T13:06:51.089000',
      severity: 'error',
      thread: 'LearnerHandler-/172.31.28.162:48280',
      location: 'LearnerHandler@648',
      myid: '3',
    },
  },
  {
    line:
      '2023-03-14T01:35:50,953 [myid:] - INFO  [QuorumPeer[myid=1](plain=10.0.131.241:2181)(secure=disabled):Learner@392] - Getting ' +
      'a diff from the leader 0x100000175e',
    stamp: '2023-03-14T01:35:50,953',
    level: 'INFO',
    expect: {
      time: '2023-03-14T01:35:50.953000',
      severity: 'info',
      thread: 'QuorumPeer[myid=1](plain=10.0.131.241:2181)(secure=disabled)',
      location: 'Learner@392',
    },
  },
  {
    line: '2022-04-21T09:23:19,874 - INFO  - [main:Environment@98] - Server environment:java.io.tmpdir=/var/folders/tmp',
    stamp: '2022-04-21T09:23:19,874',
    level: 'INFO',
    expect: { time: '2022-04-21T09:23:19.874000', severity: 'info', thread: 'main', location: 'Environment@98' },
  },
  {
    line:
      '2023-03-14 01:35:51,703 [myid:1] - DEBUG [NIOWorkerThread-2:ZooKeeperServer@820] - Established session 0x1000adfaccc0001 with ' +
      'negotiated timeout 4000 for client /10.0.131.242:53912',
    stamp: '2023-03-14 01:35:51,703',
    level: 'DEBUG',
    expect: {
      time: '2023-03-14T01:35:51.703000',
      severity: 'debug',
      thread: 'NIOWorkerThread-2',
      location: 'ZooKeeperServer@820',
      myid: '1',
    },
  },
];

export const zookeeper: LogFormat = {
  id: 'zookeeper',
  label: 'ZooKeeper server (log4j/logback)',
  entryStart: /^\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d,\d{3} (?:\[myid:[^\]]*\] )?- [A-Z]+ +(?:- )?\[/,
  errorHit: '- (?:ERROR|FATAL) ',
  messageAnchor: '\\] - ',
  errorLineSource: '^\\d{4}-\\d\\d-\\d\\d[ T]\\d\\d:\\d\\d:\\d\\d,\\d{3} (?:\\[myid:[^\\]\\n]*\\] )?- (?:ERROR|FATAL)',
  samples: SAMPLES,
  parse(line): ParsedLine | undefined {
    const m = LINE.exec(line);
    const g = m?.groups;
    if (!m || !g) return undefined;
    const time = wallMicros(+g.year, +g.month, +g.day, +g.hour, +g.minute, +g.second, fractionToMicros(g.millis));
    if (Number.isNaN(time)) return undefined;
    return {
      time,
      myid: g.myid || undefined,
      severity: SEVERITY_BY_WORD[g.level],
      thread: g.thread,
      location: g.location,
      messageStart: m[0].length,
    };
  },
};
