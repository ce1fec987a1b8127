import { fractionToMicros, wallMicros } from '../time';
import { MONTHS, SEVERITY_BY_WORD, type LogFormat, type ParsedLine } from './types';

const LEVEL = '(DEBUG|INFO|WARNING|WARN|ERROR|CRITICAL|FATAL|NOTICE|BLATHER)';
const DATE = '(\\d{4})-(\\d\\d)-(\\d\\d)[ T](\\d\\d):(\\d\\d):(\\d\\d)[,.](\\d{3,6})';
// Test runner: 2023-03-15 01:18:36,588|3658843:ThreadPoolExecutor-747_0:140040269186624|root|INFO|[baseLinux.py:53]|msg
const PIPE = new RegExp(`^${DATE}\\|([^|]*)\\|([^|]*)\\|${LEVEL}\\|(?:\\[([^\\]]*)\\]\\|)?`);
// kazoo via zkfc_monitor: 2019-09-17 05:03:55,403 -connection:connection.py-L637-INFO: msg
const DASH = new RegExp(`^${DATE} -([\\w.]+):([\\w.]+-L\\d+)-${LEVEL}: `);
// The logging cookbook's `%(asctime)s - %(name)s - %(levelname)s - %(message)s`
const COOKBOOK = new RegExp(`^${DATE} - ([\\w.]+) - ${LEVEL} - `);
// `%(asctime)s %(levelname)s: %(message)s` (Patroni). `… %(levelname)s %(name)s: …` reads as log4j.
const SIMPLE = new RegExp(`^${DATE} ${LEVEL}: `);
// asab: 02-Jun-2025 14:18:49.699192 WARNING kazoo.client msg
const ASAB = new RegExp(`^(\\d\\d)-(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)-(\\d{4}) (\\d\\d):(\\d\\d):(\\d\\d)\\.(\\d{3,6}) ${LEVEL} ([\\w.]+) `);

function isoTime(m: RegExpExecArray): number {
  return wallMicros(+m[1], +m[2], +m[3], +m[4], +m[5], +m[6], fractionToMicros(m[7]));
}

export const python: LogFormat = {
  id: 'python',
  label: 'Python logging (kazoo, test runner)',
  entryStart: new RegExp(`^(?:${DATE}(?:\\|[^|]*\\|[^|]*\\|${LEVEL}\\|| -[\\w.]+:[\\w.]+-L\\d+-${LEVEL}: | - [\\w.]+ - ${LEVEL} - | ${LEVEL}: )|\\d\\d-[A-Z][a-z]{2}-\\d{4} \\d\\d:\\d\\d:\\d\\d\\.\\d+ ${LEVEL} )`),
  errorLineSource: `^(?:\\d{4}-\\d\\d-\\d\\d[ T]\\d\\d:\\d\\d:\\d\\d[,.]\\d{3,6}(?:\\|[^|\\n]*\\|[^|\\n]*\\||[^\\n]{0,60}?[- ])|\\d\\d-[A-Z][a-z]{2}-\\d{4} [\\d:.]+ )(?:ERROR|CRITICAL|FATAL)\\b`,
  parse(line): ParsedLine | undefined {
    let m = PIPE.exec(line);
    if (m) {
      const time = isoTime(m);
      if (Number.isNaN(time)) return undefined;
      return { time, thread: m[8], severity: SEVERITY_BY_WORD[m[10]], location: m[11] ?? m[9], messageStart: m[0].length };
    }
    m = DASH.exec(line) ?? COOKBOOK.exec(line);
    if (m) {
      const time = isoTime(m);
      if (Number.isNaN(time)) return undefined;
      return { time, location: m[8], severity: SEVERITY_BY_WORD[m[m.length - 1]], messageStart: m[0].length };
    }
    m = SIMPLE.exec(line);
    if (m) {
      const time = isoTime(m);
      if (Number.isNaN(time)) return undefined;
      return { time, severity: SEVERITY_BY_WORD[m[8]], messageStart: m[0].length };
    }
    m = ASAB.exec(line);
    if (m) {
      const time = wallMicros(+m[3], MONTHS[m[2]], +m[1], +m[4], +m[5], +m[6], fractionToMicros(m[7]));
      if (Number.isNaN(time)) return undefined;
      return { time, severity: SEVERITY_BY_WORD[m[8]], location: m[9], messageStart: m[0].length };
    }
    return undefined;
  },
};
