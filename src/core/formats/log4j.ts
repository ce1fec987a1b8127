import { fractionToMicros, wallMicros } from '../time';
import { SEVERITY_BY_WORD, type FormatSample, type LogFormat, type ParsedLine } from './types';

const LEVEL = '(?<level>TRACE|DEBUG|INFO|WARN|ERROR|FATAL)';
const ISO_DATE = '(?<year>\\d{4})-(?<month>\\d\\d)-(?<day>\\d\\d)[ T](?<hour>\\d\\d):(?<minute>\\d\\d):(?<second>\\d\\d),(?<millis>\\d{3})';
// Hadoop daemons: `%d{ISO8601} %p %c: %m%n` → 2019-09-17 05:04:12,618 FATAL org.apache...DFSZKFailoverController: msg
// MapReduce/LogHub: 2015-10-18 18:01:47,978 INFO [main] org.apache...MRAppMaster: msg
const ISO = new RegExp(`^${ISO_DATE} ${LEVEL} +(?:\\[(?<thread>[^\\]]*)\\] )?(?<logger>[\\w$.]+): `);
// Hadoop command-line tools: `%d{yy/MM/dd HH:mm:ss} %p %c{2}: %m%n` → 18/04/05 16:30:10 INFO ha.ActiveStandbyElector: msg
const SHORT = new RegExp(
  `^(?<yy>\\d\\d)\\/(?<month>\\d\\d)\\/(?<day>\\d\\d) (?<hour>\\d\\d):(?<minute>\\d\\d):(?<second>\\d\\d) ${LEVEL} +(?<logger>[\\w$.]+): `,
);
// Kafka's bundled ZooKeeper and other Java apps: [2025-04-24 08:30:34,737] INFO msg (logger)
const BRACKETED = new RegExp(`^\\[${ISO_DATE.replace('[ T]', ' ')}\\] ${LEVEL} `);

// Real lines: catalog §7, ../shared/real-logs/hadoop, loghub/Hadoop, zookeeper/kafka-bundled.
const SAMPLES: readonly FormatSample[] = [
  {
    line: '2019-09-17 05:04:12,618 FATAL org.apache.hadoop.hdfs.tools.DFSZKFailoverController: Got a fatal error, exiting now',
    stamp: '2019-09-17 05:04:12,618',
    level: 'FATAL',
    expect: { time: '2019-09-17T05:04:12.618000', severity: 'fatal', location: 'org.apache.hadoop.hdfs.tools.DFSZKFailoverController' },
  },
  {
    line:
      '2016-03-31 17:27:21,083 INFO org.apache.hadoop.ha.ZKFailoverController: Successfully transitioned NameNode at ' +
      'hadoop-nn1/192.168.4.7:8020 to active state',
    stamp: '2016-03-31 17:27:21,083',
    level: 'INFO',
    expect: { time: '2016-03-31T17:27:21.083000', severity: 'info', location: 'org.apache.hadoop.ha.ZKFailoverController' },
  },
  {
    line:
      '2015-10-18 18:01:47,978 INFO [main] org.apache.hadoop.mapreduce.v2.app.MRAppMaster: Created MRAppMaster for application ' +
      'appattempt_1445144423722_0020_000001',
    stamp: '2015-10-18 18:01:47,978',
    level: 'INFO',
    expect: {
      time: '2015-10-18T18:01:47.978000',
      severity: 'info',
      thread: 'main',
      location: 'org.apache.hadoop.mapreduce.v2.app.MRAppMaster',
    },
  },
  {
    line: '18/04/05 16:30:10 ERROR ha.ZKFailoverController: The failover controller encounters runtime error',
    stamp: '18/04/05 16:30:10',
    level: 'ERROR',
    expect: { time: '2018-04-05T16:30:10.000000', severity: 'error', location: 'ha.ZKFailoverController' },
  },
  {
    line: '18/04/05 16:30:10 INFO ha.ActiveStandbyElector: Session connected.',
    stamp: '18/04/05 16:30:10',
    level: 'INFO',
    expect: { time: '2018-04-05T16:30:10.000000', severity: 'info', location: 'ha.ActiveStandbyElector' },
  },
  {
    line:
      '[2025-04-24 08:30:34,737] INFO Reading configuration from: /opt/kafka/config/zookeeper.properties ' +
      '(org.apache.zookeeper.server.quorum.QuorumPeerConfig)',
    stamp: '2025-04-24 08:30:34,737',
    level: 'INFO',
    expect: { time: '2025-04-24T08:30:34.737000', severity: 'info' },
  },
  {
    line:
      '[2021-04-02 01:33:58,283] WARN Connection broken for id 1, my id = 2, error =  ' +
      '(org.apache.zookeeper.server.quorum.QuorumCnxManager)',
    stamp: '2021-04-02 01:33:58,283',
    level: 'WARN',
    expect: { time: '2021-04-02T01:33:58.283000', severity: 'warn' },
  },
];

function isoTime(g: Record<string, string>): number {
  return wallMicros(+g.year, +g.month, +g.day, +g.hour, +g.minute, +g.second, fractionToMicros(g.millis));
}

export const log4j: LogFormat = {
  id: 'log4j',
  label: 'log4j (Hadoop, Java)',
  entryStart: new RegExp(
    '^(?:\\d{4}-\\d\\d-\\d\\d[ T]\\d\\d:\\d\\d:\\d\\d,\\d{3} [A-Z]+ +(?:\\[[^\\]]*\\] )?[\\w$.]+: ' +
      '|\\d\\d\\/\\d\\d\\/\\d\\d \\d\\d:\\d\\d:\\d\\d [A-Z]+ +[\\w$.]+: ' +
      '|\\[\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,\\d{3}\\] [A-Z]+ )',
  ),
  errorHit: '(?:ERROR|FATAL) ',
  errorLineSource:
    '^(?:\\d{4}-\\d\\d-\\d\\d[ T]\\d\\d:\\d\\d:\\d\\d,\\d{3}|\\d\\d/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d' +
    '|\\[\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,\\d{3}\\]) (?:ERROR|FATAL) ',
  samples: SAMPLES,
  parse(line): ParsedLine | undefined {
    let m = ISO.exec(line);
    let g = m?.groups;
    if (m && g) {
      const time = isoTime(g);
      if (Number.isNaN(time)) return undefined;
      return { time, severity: SEVERITY_BY_WORD[g.level], thread: g.thread, location: g.logger, messageStart: m[0].length };
    }
    m = SHORT.exec(line);
    g = m?.groups;
    if (m && g) {
      const time = wallMicros(2000 + +g.yy, +g.month, +g.day, +g.hour, +g.minute, +g.second, 0);
      if (Number.isNaN(time)) return undefined;
      return { time, severity: SEVERITY_BY_WORD[g.level], location: g.logger, messageStart: m[0].length };
    }
    m = BRACKETED.exec(line);
    g = m?.groups;
    if (m && g) {
      const time = isoTime(g);
      if (Number.isNaN(time)) return undefined;
      return { time, severity: SEVERITY_BY_WORD[g.level], messageStart: m[0].length };
    }
    return undefined;
  },
};
