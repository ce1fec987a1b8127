import type { Micros } from '../time';

/** The layouts we understand. One module per format under this folder. */
/** Every format id, for checking user input (rules' `formats`). */
export const FORMAT_IDS = ['glog', 'zookeeper', 'log4j', 'python', 'zkclient', 'plain'] as const;

export type FormatId = (typeof FORMAT_IDS)[number];

export type Severity = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

/** What the prefix of one log line says. */
export interface ParsedLine {
  time: Micros;
  severity?: Severity;
  thread?: string;
  /** `meta_server.cc:408`, `QuorumPeer@751`, a logger name: where the line was written from. */
  location?: string;
  /** ZooKeeper's `[myid:N]` MDC field, when printed and not empty. */
  myid?: string;
  /** Index in the line where the message text begins. */
  messageStart: number;
  /** True when the line's own date had no year and one was inferred. */
  yearInferred?: boolean;
}

/**
 * Supplies years to formats that print none (glog's `mmdd`, syslog). Starts at the file's known date
 * (header or file name) and rolls the year forward when month/day goes backwards (Dec → Jan).
 */
export interface YearClock {
  yearFor(month: number, day: number): number;
}

/**
 * A real line of one layout and what the parser, the TextMate grammar and the hover tokenizer must make of
 * it (test/unit/formatSamples.test.ts checks all three, so they cannot drift apart).
 */
export interface FormatSample {
  line: string;
  /** The timestamp as printed (first occurrence in the line): the grammar colours it, the hover finds it. */
  stamp: string;
  /** The level as printed (first occurrence): `I`, `WARN`, `ZOO_ERROR`. The grammar colours it by severity. */
  level?: string;
  expect: {
    /** `formatIso` of the parsed time; a yearless line is read with a clock starting on this date. */
    time: string;
    severity?: Severity;
    thread?: string;
    location?: string;
    myid?: string;
  };
}

export interface LogFormat {
  id: FormatId;
  label: string;
  /** Matches lines that begin an entry; other lines continue the entry above (stack traces, tracebacks). */
  entryStart: RegExp;
  /**
   * Regex source (used with the `m` flag) matching lines that begin an ERROR or FATAL entry; the indexer
   * counts them per minute.
   */
  errorLineSource: string;
  /**
   * Regex source that finds error lines inside a chunk more cheaply than `errorLineSource` anchored at
   * every line start (which would match each line's date before failing). A match may begin with the
   * `\n` that ends the line before. Hits are still checked against `errorLineSource`.
   */
  errorHit?: string;
  /**
   * Regex source of what comes right before a message (`] - ` in ZooKeeper, `] ` in glog). Rules whose
   * messages are known by how they start are searched for as anchor + start: a regex that begins with a
   * literal lets V8 skip ahead instead of trying every alternative at every position (2–5× faster).
   */
  messageAnchor?: string;
  parse(line: string, clock: YearClock): ParsedLine | undefined;
  /** One real line per layout `parse` reads, for every severity it maps. */
  samples: readonly FormatSample[];
}

export const SEVERITY_BY_WORD: Record<string, Severity> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  FINE: 'debug',
  BLATHER: 'debug',
  INFO: 'info',
  NOTICE: 'info',
  WARN: 'warn',
  WARNING: 'warn',
  ERROR: 'error',
  ERR: 'error',
  SEVERE: 'error',
  FATAL: 'fatal',
  CRITICAL: 'fatal',
};

export const MONTHS: Record<string, number> = {
  Jan: 1,
  Feb: 2,
  Mar: 3,
  Apr: 4,
  May: 5,
  Jun: 6,
  Jul: 7,
  Aug: 8,
  Sep: 9,
  Oct: 10,
  Nov: 11,
  Dec: 12,
};
