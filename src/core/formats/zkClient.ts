import { HEX } from '../identifiers';
import { fractionToMicros, wallMicros } from '../time';
import type { FormatSample, LogFormat, ParsedLine, Severity } from './types';

// zookeeper-client-c zk_log.c: "%s:%ld(0x%lx):%s@%s@%d: " = time, pid, thread, level, function, line.
// 2023-03-14 16:32:00,045:38748(0x7f70a7ded700):ZOO_ERROR@handle_socket_error_msg@2393: msg
// Non-threaded builds print no `(0x…)`.
const SEVERITY: Record<string, Severity> = { ERROR: 'error', WARN: 'warn', INFO: 'info', DEBUG: 'debug' };
const STAMP = '\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,\\d{3}';
const LINE = new RegExp(
  '^(?<year>\\d{4})-(?<month>\\d\\d)-(?<day>\\d\\d) (?<hour>\\d\\d):(?<minute>\\d\\d):(?<second>\\d\\d),(?<millis>\\d{3})' +
    `:(?<pid>\\d+)(?:\\((?<thread>${HEX})\\))?:ZOO_(?<level>${Object.keys(SEVERITY).join('|')})@(?<function>\\w+)@(?<line>\\d+): `,
);

// Real lines (../shared/real-logs: mesosphere hdfs issue, mesos-everpeace, kazoo), except the non-threaded
// one, whose shape zk_log.c gives.
const SAMPLES: readonly FormatSample[] = [
  {
    line:
      '2015-04-23 11:34:43,510:15841(0x7fd8c4b41700):ZOO_INFO@log_env@712: Client environment:zookeeper.version=zookeeper C client ' +
      '3.4.5',
    stamp: '2015-04-23 11:34:43,510',
    level: 'ZOO_INFO',
    expect: { time: '2015-04-23T11:34:43.510000', severity: 'info', thread: '0x7fd8c4b41700', location: 'log_env@712' },
  },
  {
    line:
      '2014-04-20 10:45:23,408:57712(0x10e704000):ZOO_ERROR@handle_socket_error_msg@1721: Socket [127.0.0.1:2181] zk retcode=-4, ' +
      'errno=64(Host is down)',
    stamp: '2014-04-20 10:45:23,408',
    level: 'ZOO_ERROR',
    expect: { time: '2014-04-20T10:45:23.408000', severity: 'error', thread: '0x10e704000', location: 'handle_socket_error_msg@1721' },
  },
  {
    line: '2024-04-12 03:12:59,328:39639:ZOO_WARN@zookeeper_interest@1597: Exceeded deadline by 11ms',
    stamp: '2024-04-12 03:12:59,328',
    level: 'ZOO_WARN',
    expect: { time: '2024-04-12T03:12:59.328000', severity: 'warn', thread: '39639', location: 'zookeeper_interest@1597' },
  },
];

export const zkClient: LogFormat = {
  id: 'zkclient',
  label: 'ZooKeeper C client',
  entryStart: new RegExp(`^${STAMP}:\\d+(?:\\(${HEX}\\))?:ZOO_`),
  errorHit: 'ZOO_ERROR@',
  errorLineSource: `^${STAMP}:\\d+(?:\\(${HEX}\\))?:ZOO_ERROR@`,
  samples: SAMPLES,
  parse(line): ParsedLine | undefined {
    const m = LINE.exec(line);
    const g = m?.groups;
    if (!m || !g) return undefined;
    const time = wallMicros(+g.year, +g.month, +g.day, +g.hour, +g.minute, +g.second, fractionToMicros(g.millis));
    if (Number.isNaN(time)) return undefined;
    return { time, thread: g.thread ?? g.pid, severity: SEVERITY[g.level], location: `${g.function}@${g.line}`, messageStart: m[0].length };
  },
};
