import { fractionToMicros, wallMicros } from '../time';
import { MONTHS, type LogFormat, type ParsedLine } from './types';

// Anything else: find a recognisable timestamp near the start of the line (docker/compose prefixes,
// shippers, CI runners put their own text before the real line).
const ISO = /(\d{4})-(\d\d)-(\d\d)[ T](\d\d):(\d\d):(\d\d)(?:[.,](\d{1,9}))?/;
const SHORT = /\b(\d\d)\/(\d\d)\/(\d\d) (\d\d):(\d\d):(\d\d)\b/;
const SYSLOG = /\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) +(\d{1,2}) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?/;
const DAY_MON_YEAR = /\b(\d\d)-(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)-(\d{4}) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?/;
const COMPACT = /^(\d\d)(\d\d)(\d\d) (\d\d)(\d\d)(\d\d) /; // LogHub HDFS: 081109 203615
const HEAD = 96;

export const plain: LogFormat = {
  id: 'plain',
  label: 'plain text',
  entryStart: /^(?!\s)/,
  errorLineSource: '^[^\\n]{0,80}?\\b(?:ERROR|FATAL|CRITICAL|SEVERE)\\b',
  parse(line, clock): ParsedLine | undefined {
    const head = line.length > HEAD ? line.slice(0, HEAD) : line;
    let time = NaN;
    let end = 0;
    let yearInferred = false;
    let m = ISO.exec(head);
    if (m) {
      time = wallMicros(+m[1], +m[2], +m[3], +m[4], +m[5], +m[6], fractionToMicros(m[7] ?? ''));
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
    end = m.index + m[0].length;
    const sev = /\b(ERROR|FATAL|CRITICAL|SEVERE|WARN|WARNING|INFO|DEBUG)\b/.exec(line.slice(0, HEAD));
    const word = sev?.[1];
    const severity = word === 'ERROR' || word === 'SEVERE' ? 'error'
      : word === 'FATAL' || word === 'CRITICAL' ? 'fatal'
      : word === 'WARN' || word === 'WARNING' ? 'warn'
      : word === 'INFO' ? 'info' : word === 'DEBUG' ? 'debug' : undefined;
    return { time, severity, messageStart: end, yearInferred };
  },
};
