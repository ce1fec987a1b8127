import { fractionToMicros, wallMicros } from '../time';
import { MONTHS, type FormatSample, type LogFormat, type ParsedLine } from './types';

// Anything else: find a recognisable timestamp near the start of the line (docker/compose prefixes,
// shippers, CI runners put their own text before the real line).
/** An ISO-8601-like time anywhere in a line (the hover tokenizer uses it too), with named groups. */
export const ISO_TIME =
  '(?<year>\\d{4})-(?<month>\\d\\d)-(?<day>\\d\\d)[ T](?<hour>\\d\\d):(?<minute>\\d\\d):(?<second>\\d\\d)(?:[.,](?<fraction>\\d{1,9}))?';
const ISO = new RegExp(ISO_TIME);
const SHORT = /\b(\d\d)\/(\d\d)\/(\d\d) (\d\d):(\d\d):(\d\d)\b/;
const SYSLOG = /\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) +(\d{1,2}) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?/;
const DAY_MON_YEAR = /\b(\d\d)-(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)-(\d{4}) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?/;
const COMPACT = /^(\d\d)(\d\d)(\d\d) (\d\d)(\d\d)(\d\d) /; // LogHub HDFS: 081109 203615
const HEAD = 96;

// Real lines (../shared/real-logs: bitnami docker issue, loghub OpenStack and HDFS, a kazoo syslog issue cut
// short) and two of common shapes no corpus file has (Tomcat's dd-MMM-yyyy, a yy/MM/dd without `logger:`).
const SAMPLES: readonly FormatSample[] = [
  {
    line:
      'zookeeper_1  | 2020-03-24 15:33:37,340 [myid:1] - INFO  ' +
      '[QuorumPeer[myid=1](plain=[0:0:0:0:0:0:0:0]:2181)(secure=disabled):QuorumPeer@1453] - FOLLOWING',
    stamp: '2020-03-24 15:33:37,340',
    level: 'INFO',
    expect: { time: '2020-03-24T15:33:37.340000', severity: 'info' },
  },
  {
    line:
      'nova-api.log.1.2017-05-16_13:53:08 2017-05-16 00:00:00.008 25746 INFO nova.osapi_compute.wsgi.server ' +
      '[req-38101a0b-2096-447d-96ea-a692162415ae]',
    stamp: '2017-05-16 00:00:00.008',
    level: 'INFO',
    expect: { time: '2017-05-16T00:00:00.008000', severity: 'info' },
  },
  {
    line: 'Jan  7 06:52:09.568578 prod-fe zk_watcher[30841]: (ERROR) socket connection error',
    stamp: 'Jan  7 06:52:09.568578',
    level: 'ERROR',
    expect: { time: '2023-01-07T06:52:09.568578', severity: 'error' },
  },
  {
    line: '081109 203615 148 INFO dfs.DataNode$PacketResponder: PacketResponder 1 for block blk_38865049064139660 terminating',
    stamp: '081109 203615',
    level: 'INFO',
    expect: { time: '2008-11-09T20:36:15.000000', severity: 'info' },
  },
  {
    line: '04-Jul-2024 19:16:27.380 SEVERE [main] org.apache.catalina.startup.Catalina.start The required Server component failed to start',
    stamp: '04-Jul-2024 19:16:27.380',
    level: 'SEVERE',
    expect: { time: '2024-07-04T19:16:27.380000', severity: 'error' },
  },
  {
    line: '18/04/05 16:30:10 WARN ha.HealthMonitor - Transport-level exception trying to monitor health of NameNode',
    stamp: '18/04/05 16:30:10',
    level: 'WARN',
    expect: { time: '2018-04-05T16:30:10.000000', severity: 'warn' },
  },
];

export const plain: LogFormat = {
  id: 'plain',
  label: 'plain text',
  entryStart: /^(?!\s)/,
  errorLineSource: '^[^\\n]{0,80}?\\b(?:ERROR|FATAL|CRITICAL|SEVERE)\\b',
  samples: SAMPLES,
  parse(line, clock): ParsedLine | undefined {
    const head = line.length > HEAD ? line.slice(0, HEAD) : line;
    let time = NaN;
    let yearInferred = false;
    let m = ISO.exec(head);
    if (m) {
      const g = m.groups ?? {};
      time = wallMicros(+g.year, +g.month, +g.day, +g.hour, +g.minute, +g.second, fractionToMicros(g.fraction ?? ''));
    } else if ((m = DAY_MON_YEAR.exec(head))) {
      time = wallMicros(+m[3], MONTHS[m[2]], +m[1], +m[4], +m[5], +m[6], fractionToMicros(m[7] ?? ''));
    } else if ((m = SHORT.exec(head))) {
      time = wallMicros(2000 + +m[1], +m[2], +m[3], +m[4], +m[5], +m[6], 0);
    } else if ((m = COMPACT.exec(head))) {
      time = wallMicros(2000 + +m[1], +m[2], +m[3], +m[4], +m[5], +m[6], 0);
    } else if ((m = SYSLOG.exec(head))) {
      const month = MONTHS[m[1]];
      time = wallMicros(clock.yearFor(month, +m[2]), month, +m[2], +m[3], +m[4], +m[5], fractionToMicros(m[6] ?? ''));
      yearInferred = true;
    }
    if (!m || Number.isNaN(time)) return undefined;
    const end = m.index + m[0].length;
    const sev = /\b(ERROR|FATAL|CRITICAL|SEVERE|WARN|WARNING|INFO|DEBUG)\b/.exec(line.slice(0, HEAD));
    const word = sev?.[1];
    const severity =
      word === 'ERROR' || word === 'SEVERE'
        ? 'error'
        : word === 'FATAL' || word === 'CRITICAL'
          ? 'fatal'
          : word === 'WARN' || word === 'WARNING'
            ? 'warn'
            : word === 'INFO'
              ? 'info'
              : word === 'DEBUG'
                ? 'debug'
                : undefined;
    return { time, severity, messageStart: end, yearInferred };
  },
};
