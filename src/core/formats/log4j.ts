import { fractionToMicros, wallMicros } from '../time';
import { SEVERITY_BY_WORD, type LogFormat, type ParsedLine } from './types';

// Hadoop daemons: `%d{ISO8601} %p %c: %m%n` → 2019-09-17 05:04:12,618 FATAL org.apache...DFSZKFailoverController: msg
// MapReduce/LogHub: 2015-10-18 18:01:47,978 INFO [main] org.apache...MRAppMaster: msg
const ISO = /^(\d{4})-(\d\d)-(\d\d)[ T](\d\d):(\d\d):(\d\d),(\d{3}) (TRACE|DEBUG|INFO|WARN|ERROR|FATAL) +(?:\[([^\]]*)\] )?([\w$.]+): /;
// Hadoop command-line tools: `%d{yy/MM/dd HH:mm:ss} %p %c{2}: %m%n` → 18/04/05 16:30:10 INFO ha.ActiveStandbyElector: msg
const SHORT = /^(\d\d)\/(\d\d)\/(\d\d) (\d\d):(\d\d):(\d\d) (TRACE|DEBUG|INFO|WARN|ERROR|FATAL) +([\w$.]+): /;
// Kafka's bundled ZooKeeper and other Java apps: [2025-04-24 08:30:34,737] INFO msg (logger)
const BRACKETED = /^\[(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d),(\d{3})\] (TRACE|DEBUG|INFO|WARN|ERROR|FATAL) /;

export const log4j: LogFormat = {
  id: 'log4j',
  label: 'log4j (Hadoop, Java)',
  entryStart: /^(?:\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d,\d{3} [A-Z]+ +(?:\[[^\]]*\] )?[\w$.]+: |\d\d\/\d\d\/\d\d \d\d:\d\d:\d\d [A-Z]+ +[\w$.]+: |\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}\] [A-Z]+ )/,
  errorHit: '(?:ERROR|FATAL) ',
  errorLineSource: '^(?:\\d{4}-\\d\\d-\\d\\d[ T]\\d\\d:\\d\\d:\\d\\d,\\d{3}|\\d\\d/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d|\\[\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,\\d{3}\\]) (?:ERROR|FATAL) ',
  parse(line): ParsedLine | undefined {
    let m = ISO.exec(line);
    if (m) {
      const time = wallMicros(+m[1], +m[2], +m[3], +m[4], +m[5], +m[6], fractionToMicros(m[7]));
      if (Number.isNaN(time)) return undefined;
      return { time, severity: SEVERITY_BY_WORD[m[8]], thread: m[9], location: m[10], messageStart: m[0].length };
    }
    m = SHORT.exec(line);
    if (m) {
      const time = wallMicros(2000 + +m[1], +m[2], +m[3], +m[4], +m[5], +m[6], 0);
      if (Number.isNaN(time)) return undefined;
      return { time, severity: SEVERITY_BY_WORD[m[7]], location: m[8], messageStart: m[0].length };
    }
    m = BRACKETED.exec(line);
    if (m) {
      const time = wallMicros(+m[1], +m[2], +m[3], +m[4], +m[5], +m[6], fractionToMicros(m[7]));
      if (Number.isNaN(time)) return undefined;
      return { time, severity: SEVERITY_BY_WORD[m[8]], messageStart: m[0].length };
    }
    return undefined;
  },
};
