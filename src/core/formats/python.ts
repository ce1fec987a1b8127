import { fractionToMicros, wallMicros } from '../time';
import { MONTHS, SEVERITY_BY_WORD, type FormatSample, type LogFormat, type ParsedLine } from './types';

const LEVEL_WORDS = 'DEBUG|INFO|WARNING|WARN|ERROR|CRITICAL|FATAL|NOTICE|BLATHER';
const LEVEL = `(?<level>${LEVEL_WORDS})`;
const ANY_LEVEL = `(?:${LEVEL_WORDS})`;
const DATE_SHAPE = '\\d{4}-\\d\\d-\\d\\d[ T]\\d\\d:\\d\\d:\\d\\d[,.]\\d{3,6}';
const DATE =
  '(?<year>\\d{4})-(?<month>\\d\\d)-(?<day>\\d\\d)[ T](?<hour>\\d\\d):(?<minute>\\d\\d):(?<second>\\d\\d)[,.](?<fraction>\\d{3,6})';
// Test runner: 2023-03-15 01:18:36,588|3658843:ThreadPoolExecutor-747_0:140040269186624|root|INFO|[baseLinux.py:53]|msg
const PIPE = new RegExp(`^${DATE}\\|(?<thread>[^|]*)\\|(?<logger>[^|]*)\\|${LEVEL}\\|(?:\\[(?<location>[^\\]]*)\\]\\|)?`);
// kazoo via zkfc_monitor: 2019-09-17 05:03:55,403 -connection:connection.py-L637-INFO: msg
const DASH = new RegExp(`^${DATE} -(?<logger>[\\w.]+):([\\w.]+-L\\d+)-${LEVEL}: `);
// The logging cookbook's `%(asctime)s - %(name)s - %(levelname)s - %(message)s`
const COOKBOOK = new RegExp(`^${DATE} - (?<logger>[\\w.]+) - ${LEVEL} - `);
// `%(asctime)s %(levelname)s: %(message)s` (Patroni). `… %(levelname)s %(name)s: …` reads as log4j.
const SIMPLE = new RegExp(`^${DATE} ${LEVEL}: `);
// asab: 02-Jun-2025 14:18:49.699192 WARNING kazoo.client msg
const ASAB = new RegExp(
  '^(?<day>\\d\\d)-(?<mon>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)-(?<year>\\d{4}) ' +
    `(?<hour>\\d\\d):(?<minute>\\d\\d):(?<second>\\d\\d)\\.(?<fraction>\\d{3,6}) ${LEVEL} (?<logger>[\\w.]+) `,
);

// Real lines (seeds, ../shared/real-logs/kazoo) except the cookbook one, which is the logging HOWTO's.
const SAMPLES: readonly FormatSample[] = [
  {
    line:
      '2023-03-15 01:18:36,588|3658843:ThreadPoolExecutor-747_0:140040269186624|root|INFO|[baseLinux.py:53]|Running: iptables -t ' +
      'mangle -A OUTPUT -s 10.0.131.242 -j DROP',
    stamp: '2023-03-15 01:18:36,588',
    level: 'INFO',
    expect: {
      time: '2023-03-15T01:18:36.588000',
      severity: 'info',
      thread: '3658843:ThreadPoolExecutor-747_0:140040269186624',
      location: 'baseLinux.py:53',
    },
  },
  {
    line: '2023-03-15 01:24:05,131|3658843:MainThread:140042024847168|root|ERROR|[conftest.py:60]|teardown failed',
    stamp: '2023-03-15 01:24:05,131',
    level: 'ERROR',
    expect: {
      time: '2023-03-15T01:24:05.131000',
      severity: 'error',
      thread: '3658843:MainThread:140042024847168',
      location: 'conftest.py:60',
    },
  },
  {
    line: '2019-09-17 05:04:03,691 -connection:connection.py-L608-WARNING: Connection dropped: outstanding heartbeat ping not received',
    stamp: '2019-09-17 05:04:03,691',
    level: 'WARNING',
    expect: { time: '2019-09-17T05:04:03.691000', severity: 'warn', location: 'connection' },
  },
  {
    line: '2019-09-17 05:03:55,525 -client:client.py-L480-INFO: Zookeeper connection established, state: CONNECTED',
    stamp: '2019-09-17 05:03:55,525',
    level: 'INFO',
    expect: { time: '2019-09-17T05:03:55.525000', severity: 'info', location: 'client' },
  },
  {
    line: '2005-03-19 15:10:26,618 - simple_example - DEBUG - debug message',
    stamp: '2005-03-19 15:10:26,618',
    level: 'DEBUG',
    expect: { time: '2005-03-19T15:10:26.618000', severity: 'debug', location: 'simple_example' },
  },
  {
    line: '2022-01-25 12:45:35,914 INFO: no action.  i am the leader with the lock',
    stamp: '2022-01-25 12:45:35,914',
    level: 'INFO',
    expect: { time: '2022-01-25T12:45:35.914000', severity: 'info' },
  },
  {
    line: '02-Jun-2025 14:18:49.699192 WARNING kazoo.client Connection dropped: socket connection broken',
    stamp: '02-Jun-2025 14:18:49.699192',
    level: 'WARNING',
    expect: { time: '2025-06-02T14:18:49.699192', severity: 'warn', location: 'kazoo.client' },
  },
  {
    line: '22-Jan-2026 11:58:42.233386 NOTICE asab.zookeeper.container [sd node="10.17.171.89:2181"] Connected to ZooKeeper',
    stamp: '22-Jan-2026 11:58:42.233386',
    level: 'NOTICE',
    expect: { time: '2026-01-22T11:58:42.233386', severity: 'info', location: 'asab.zookeeper.container' },
  },
];

function isoTime(g: Record<string, string>): number {
  return wallMicros(+g.year, +g.month, +g.day, +g.hour, +g.minute, +g.second, fractionToMicros(g.fraction));
}

export const python: LogFormat = {
  id: 'python',
  label: 'Python logging (kazoo, test runner)',
  entryStart: new RegExp(
    `^(?:${DATE_SHAPE}(?:\\|[^|]*\\|[^|]*\\|${ANY_LEVEL}\\|| -[\\w.]+:[\\w.]+-L\\d+-${ANY_LEVEL}: ` +
      `| - [\\w.]+ - ${ANY_LEVEL} - | ${ANY_LEVEL}: )` +
      `|\\d\\d-[A-Z][a-z]{2}-\\d{4} \\d\\d:\\d\\d:\\d\\d\\.\\d+ ${ANY_LEVEL} )`,
  ),
  errorLineSource:
    '^(?:\\d{4}-\\d\\d-\\d\\d[ T]\\d\\d:\\d\\d:\\d\\d[,.]\\d{3,6}(?:\\|[^|\\n]*\\|[^|\\n]*\\||[^\\n]{0,60}?[- ])' +
    '|\\d\\d-[A-Z][a-z]{2}-\\d{4} [\\d:.]+ )' +
    '(?:ERROR|CRITICAL|FATAL)\\b',
  samples: SAMPLES,
  parse(line): ParsedLine | undefined {
    let m = PIPE.exec(line);
    let g = m?.groups;
    if (m && g) {
      const time = isoTime(g);
      if (Number.isNaN(time)) return undefined;
      return { time, thread: g.thread, severity: SEVERITY_BY_WORD[g.level], location: g.location ?? g.logger, messageStart: m[0].length };
    }
    m = DASH.exec(line) ?? COOKBOOK.exec(line);
    g = m?.groups;
    if (m && g) {
      const time = isoTime(g);
      if (Number.isNaN(time)) return undefined;
      return { time, location: g.logger, severity: SEVERITY_BY_WORD[g.level], messageStart: m[0].length };
    }
    m = SIMPLE.exec(line);
    g = m?.groups;
    if (m && g) {
      const time = isoTime(g);
      if (Number.isNaN(time)) return undefined;
      return { time, severity: SEVERITY_BY_WORD[g.level], messageStart: m[0].length };
    }
    m = ASAB.exec(line);
    g = m?.groups;
    if (m && g) {
      const time = wallMicros(+g.year, MONTHS[g.mon], +g.day, +g.hour, +g.minute, +g.second, fractionToMicros(g.fraction));
      if (Number.isNaN(time)) return undefined;
      return { time, severity: SEVERITY_BY_WORD[g.level], location: g.logger, messageStart: m[0].length };
    }
    return undefined;
  },
};
