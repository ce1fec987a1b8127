import { fractionToMicros, wallMicros, type Micros } from '../time';
import type { LogFormat, ParsedLine, Severity } from './types';

// I0314 05:12:22.456939 141319 meta_server.cc:408] msg   (glog ≤ 0.4, no year)
// I20230314 05:12:22.456939 141319 meta_server.cc:408] msg   (glog 0.5+, year in prefix)
const LINE = /^([IWEFC])(\d{4}|\d{8}) (\d\d):(\d\d):(\d\d)\.(\d{6}) +(\S+) ([^\s:\]]+):(\d+)\] ?/;
const SEVERITY: Record<string, Severity> = { I: 'info', W: 'warn', E: 'error', F: 'fatal', C: 'fatal' };

export const glog: LogFormat = {
  id: 'glog',
  label: 'glog (C++)',
  entryStart: /^[IWEFC](?:\d{4}|\d{8}) \d\d:\d\d:\d\d\.\d{6} /,
  errorLineSource: '^[EF](?:\\d{4}|\\d{8}) \\d\\d:\\d\\d:\\d\\d\\.\\d{6} ',
  errorHit: '\\n[EF]\\d{4}',
  messageAnchor: '\\] ',
  parse(line, clock): ParsedLine | undefined {
    const m = LINE.exec(line);
    if (!m) return undefined;
    const date = m[2];
    let year: number;
    let month: number;
    let day: number;
    if (date.length === 8) {
      year = +date.slice(0, 4);
      month = +date.slice(4, 6);
      day = +date.slice(6, 8);
    } else {
      month = +date.slice(0, 2);
      day = +date.slice(2, 4);
      year = clock.yearFor(month, day);
    }
    const time = wallMicros(year, month, day, +m[3], +m[4], +m[5], fractionToMicros(m[6]));
    if (Number.isNaN(time)) return undefined;
    return {
      time, severity: SEVERITY[m[1]], thread: m[7], location: `${m[8]}:${m[9]}`,
      messageStart: m[0].length, yearInferred: date.length === 4,
    };
  },
};

/** `Log file created at: 2023/03/14 23:58:23` → the file's start, from glog's header. */
export function parseGlogHeader(line: string): Micros | undefined {
  const m = /^Log file created at: (\d{4})\/(\d\d)\/(\d\d) (\d\d):(\d\d):(\d\d)/.exec(line);
  if (!m) return undefined;
  const t = wallMicros(+m[1], +m[2], +m[3], +m[4], +m[5], +m[6], 0);
  return Number.isNaN(t) ? undefined : t;
}

/**
 * glog names files `<base>.<YYYYMMDD-HHMMSS>.<pid>` (`zbs-metad.log.20230314-235823.160199`,
 * `caffe.host.user.log.INFO.20141025-153657.31294`): the creation time and the writer's pid.
 */
export function parseGlogFileName(name: string): { created: Micros; pid: number; severity?: string } | undefined {
  const m = /(?:\.(INFO|WARNING|ERROR|FATAL))?\.(\d{4})(\d\d)(\d\d)-(\d\d)(\d\d)(\d\d)\.(\d+)(?:\.gz)?$/.exec(name);
  if (!m) return undefined;
  const created = wallMicros(+m[2], +m[3], +m[4], +m[5], +m[6], +m[7], 0);
  if (Number.isNaN(created)) return undefined;
  return { created, pid: +m[8], severity: m[1] };
}
