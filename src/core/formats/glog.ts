import { fractionToMicros, wallMicros, type Micros } from '../time';
import type { FormatSample, LogFormat, ParsedLine, Severity } from './types';

// I0314 05:12:22.456939 141319 meta_server.cc:408] msg   (glog ≤ 0.4, no year)
// I20230314 05:12:22.456939 141319 meta_server.cc:408] msg   (glog 0.5+, year in prefix)
// lnav also reads C (critical) as fatal; the error counts take it with E and F.
const SEVERITY: Record<string, Severity> = { I: 'info', W: 'warn', E: 'error', F: 'fatal', C: 'fatal' };
const LETTERS = `[${Object.keys(SEVERITY).join('')}]`;
const ERROR_LETTERS = `[${Object.keys(SEVERITY)
  .filter((k) => SEVERITY[k] === 'error' || SEVERITY[k] === 'fatal')
  .join('')}]`;
const DATE = '(?:\\d{4}|\\d{8})';
const CLOCK = '\\d\\d:\\d\\d:\\d\\d\\.\\d{6}';

/**
 * The glog prefix up to the `]` (no `^`), with named groups: severity, date (mmdd or yyyymmdd), hour,
 * minute, second, micros, thread, file, line. The hover tokenizer uses it as is.
 */
export const GLOG_PREFIX =
  `(?<severity>${LETTERS})(?<date>\\d{4}|\\d{8}) (?<hour>\\d\\d):(?<minute>\\d\\d):(?<second>\\d\\d)\\.(?<micros>\\d{6})` +
  ' +(?<thread>\\S+) (?<file>[^\\s:\\]]+):(?<line>\\d+)\\]';
const LINE = new RegExp(`^${GLOG_PREFIX} ?`);

/** glog's file header (`LogFileObject::Write`): the first line dates the file. */
const HEADER_CREATED = /^Log file created at: (\d{4})\/(\d\d)\/(\d\d) (\d\d):(\d\d):(\d\d)/;
const HEADER_LINE = /^(?:Log file created at|Running on machine|Running duration|Log line format|Application fingerprint):/;

/** `<base>[.<SEVERITY>].<YYYYMMDD-HHMMSS>.<pid>[.gz]`. */
const FILE_NAME = /(?:\.(INFO|WARNING|ERROR|FATAL))?\.(\d{4})(\d\d)(\d\d)-(\d\d)(\d\d)(\d\d)\.(\d+)(?:\.gz)?$/;
/** `<prog>.INFO`, `<prog>.WARNING`, …: the link glog keeps to each severity's current file. */
const LINK_NAME = /^([^.]+)\.(INFO|WARNING|ERROR|FATAL)$/;

// Real lines (../shared/real-logs: mesos, kudu, caffe, nebula, librime); the C line is lnav's letter on a
// Nebula line, since no corpus file has one.
const SAMPLES: readonly FormatSample[] = [
  {
    line: 'I0314 05:12:22.456939 141319 meta_server.cc:408] Start the leader role',
    stamp: '05:12:22.456939',
    level: 'I',
    expect: { time: '2023-03-14T05:12:22.456939', severity: 'info', thread: '141319', location: 'meta_server.cc:408' },
  },
  {
    line: 'W20240513 15:06:37.455744  3208 entry_collector.cc:182] invalid entry definition at #999176.',
    stamp: '15:06:37.455744',
    level: 'W',
    expect: { time: '2024-05-13T15:06:37.455744', severity: 'warn', thread: '3208', location: 'entry_collector.cc:182' },
  },
  {
    line: 'E1205 19:06:24.163748 27115 data_dirs.cc:1011] Directory /data/8/kudu/data marked as failed',
    stamp: '19:06:24.163748',
    level: 'E',
    expect: { time: '2023-12-05T19:06:24.163748', severity: 'error', thread: '27115', location: 'data_dirs.cc:1011' },
  },
  {
    line: 'F1118 21:30:55.832010    93 master.cpp:1536] Recovery failed: Failed to recover registrar',
    stamp: '21:30:55.832010',
    level: 'F',
    expect: { time: '2023-11-18T21:30:55.832010', severity: 'fatal', thread: '93', location: 'master.cpp:1536' },
  },
  {
    line: 'C20230427 07:03:06.335533 23613 RaftPart.cpp:1261] Check failed: leader election',
    stamp: '07:03:06.335533',
    level: 'C',
    expect: { time: '2023-04-27T07:03:06.335533', severity: 'fatal', thread: '23613', location: 'RaftPart.cpp:1261' },
  },
];

export const glog: LogFormat = {
  id: 'glog',
  label: 'glog (C++)',
  entryStart: new RegExp(`^${LETTERS}${DATE} ${CLOCK} `),
  errorLineSource: `^${ERROR_LETTERS}${DATE} ${CLOCK} `,
  errorHit: `\\n${ERROR_LETTERS}\\d{4}`,
  messageAnchor: '\\] ',
  samples: SAMPLES,
  parse(line, clock): ParsedLine | undefined {
    const m = LINE.exec(line);
    const g = m?.groups;
    if (!m || !g) return undefined;
    const date = g.date;
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
    const time = wallMicros(year, month, day, +g.hour, +g.minute, +g.second, fractionToMicros(g.micros));
    if (Number.isNaN(time)) return undefined;
    return {
      time,
      severity: SEVERITY[g.severity],
      thread: g.thread,
      location: `${g.file}:${g.line}`,
      messageStart: m[0].length,
      yearInferred: date.length === 4,
    };
  },
};

/** `Log file created at: 2023/03/14 23:58:23` → the file's start, from glog's header. */
export function parseGlogHeader(line: string): Micros | undefined {
  const m = HEADER_CREATED.exec(line);
  if (!m) return undefined;
  const t = wallMicros(+m[1], +m[2], +m[3], +m[4], +m[5], +m[6], 0);
  return Number.isNaN(t) ? undefined : t;
}

/** True for the lines of glog's file header, which are no log entries (format detection skips them). */
export function isGlogHeaderLine(line: string): boolean {
  return HEADER_LINE.test(line);
}

/** The first line of a glog file, for VS Code's `firstLine` detection test. */
export const GLOG_HEADER_SAMPLE = { line: 'Log file created at: 2023/03/14 23:58:23', time: '2023-03-14T23:58:23.000000' } as const;

/**
 * glog names files `<base>.<YYYYMMDD-HHMMSS>.<pid>` (`zbs-metad.log.20230314-235823.160199`,
 * `caffe.host.user.log.INFO.20141025-153657.31294`): the creation time and the writer's pid.
 */
export function parseGlogFileName(name: string): { created: Micros; pid: number; severity?: string } | undefined {
  const m = FILE_NAME.exec(name);
  if (!m) return undefined;
  const created = wallMicros(+m[2], +m[3], +m[4], +m[5], +m[6], +m[7], 0);
  if (Number.isNaN(created)) return undefined;
  return { created, pid: +m[8], severity: m[1] };
}

/** glog's log files per severity, lowest first: each holds the lines of its severity and above. */
export const GLOG_SEVERITIES = ['INFO', 'WARNING', 'ERROR', 'FATAL'] as const;
export type GlogSeverityName = (typeof GLOG_SEVERITIES)[number];

/** Which of a program's glog files a name is. */
export interface GlogStream {
  /** The name's first dot-separated part: glog's default `<prog>.<host>.<user>.log.<SEVERITY>.` starts with it, as does `<prog>.log.`. */
  program: string;
  /**
   * The lowest severity the file holds: glog writes each line to the file of its severity and of every
   * lower one, so a WARNING, ERROR or FATAL file repeats lines of the INFO file of the same program and pid.
   * A log file whose name gives none (`<prog>.log.<ts>.<pid>`) is the INFO file.
   */
  severity: GlogSeverityName;
  /** From a log file's name; a link's (`<prog>.INFO`) names none. */
  pid?: number;
  created?: Micros;
  /** True for the name of glog's link to the current file (`<prog>.INFO`). */
  link: boolean;
}

/** The glog stream a file name belongs to (`zbs-metad.log.WARNING.<ts>.<pid>`, `zbs-metad.INFO`), if it is a glog name. */
export function glogStreamOf(name: string): GlogStream | undefined {
  const program = name.split('.')[0];
  const named = parseGlogFileName(name);
  if (named && program)
    return { program, severity: (named.severity ?? 'INFO') as GlogSeverityName, pid: named.pid, created: named.created, link: false };
  const link = LINK_NAME.exec(name);
  return link ? { program: link[1], severity: link[2] as GlogSeverityName, link: true } : undefined;
}
