import type { FormatId } from './formats/types';
import type { Micros } from './time';

/** Where something was read: a file of the bundle (relative, `/`-separated), 1-based line, byte offset. */
export interface SourceRef {
  file: string;
  line: number;
  offset: number;
}

/** What kind of program wrote a file; decides which rules and lanes apply. */
export type SourceKind =
  'meta' | 'chunk' | 'zookeeper' | 'zkfc' | 'namenode' | 'hadoop' | 'kazoo' | 'testRunner' | 'ntp' | 'service' | 'other';

export type ZkPeerState = 'looking' | 'following' | 'leading' | 'observing';

export type SessionAction =
  'established' | 'committed' | 'revalidated' | 'invalid' | 'expired' | 'closeSubmitted' | 'closed' | 'clientExpired';

export type MetaSessionAction = 'expired' | 'expiredByDelayedRpc' | 'accessExpired' | 'keepaliveFailure' | 'jeopardy' | 'reconnect';

/** One fact found in a log line. `time` is the line's (or its entry's) wall-clock time. */
export type EventPayload =
  | { kind: 'role'; role: string; edge: 'start' | 'end'; rule: string }
  | { kind: 'zkState'; state: ZkPeerState; phase?: string; sync?: string }
  | {
      kind: 'zxid';
      what: 'quorum' | 'diff' | 'snapshot' | 'trunc' | 'newElection' | 'txnLog';
      zxid: string;
      epoch: number;
      counter: number;
    }
  | { kind: 'electionTook'; ms: number; as: 'leading' | 'following' }
  | { kind: 'metaElection'; what: 'leader' | 'follower'; seq: number; leader?: string }
  | { kind: 'session'; action: SessionAction; sessionId: string; timeoutMs?: number; client?: string; side: 'server' | 'client' }
  | { kind: 'metaSession'; action: MetaSessionAction; uuid?: string; epoch?: number }
  | { kind: 'fault'; action: 'inject' | 'restore'; tool: string; target?: string; host?: string; detail: string }
  | {
      kind: 'processStart';
      program: string;
      pid?: number;
      how: 'banner' | 'newPid';
      /** The last timestamped line before the banner in the same file: where the previous run ended. */
      previousTime?: Micros;
      previousLine?: number;
      previousOffset?: number;
    }
  | { kind: 'alias'; myid?: string; address?: string; via: string }
  /** An NTP/chrony measurement of this node's clock against its time source, in seconds as printed. */
  | { kind: 'clockOffset'; seconds: number };

export type EventKind = EventPayload['kind'];

export type LogEvent = EventPayload & {
  time: Micros;
  /** Index of the file in the bundle's file list. */
  file: number;
  line: number;
  offset: number;
  /** ZooKeeper peer id from the thread name, when one file holds several peers (in-process quorums). */
  peer?: string;
  /** The line, decoded as UTF-8 (invalid bytes replaced), cut at 400 characters. */
  text: string;
};

/** Where one of a tally's lines is: its time, line and byte offset. */
export interface TallyMark {
  time: Micros;
  line: number;
  offset: number;
}

/**
 * Repetitive events (session and meta session lines) past a file's event budget: counted per session, action
 * and side instead of kept one by one, so a file of millions of them costs a few counts.
 */
export interface EventTally {
  kind: 'session' | 'metaSession';
  action: SessionAction | MetaSessionAction;
  /**
   * The session id (`session`) or uuid (`metaSession`, '' when the line names none). '*' gathers the sessions
   * past the file's cap on distinct tallies: they are counted together, not told apart.
   */
  id: string;
  side?: 'server' | 'client';
  peer?: string;
  count: number;
  first: TallyMark;
  last: TallyMark;
  /** The first counted line, cut like an event's text. */
  text: string;
}

/** Line number ↔ byte offset ↔ time, so a viewer can jump to a time without rereading the file. */
export type Checkpoint = [line: number, offset: number, time: Micros];

/**
 * A step of at least a second between two consecutive dated lines of a file (file order, forward steps
 * only): where a process may have stopped writing. `core/silences` decides which ones are silences.
 */
export interface Gap {
  /** Time of the dated line before the gap. */
  from: Micros;
  /** Time of the dated line after it. */
  to: Micros;
  /** 1-based line and byte offset of the dated line after the gap. */
  line: number;
  offset: number;
  /** 1-based line of the dated line before the gap. */
  lineBefore: number;
}

/** The scan's record of the steps between dated lines, at a line boundary (see `FileIndex.gaps`). */
export interface GapScanState {
  gaps: Gap[];
  /** Shortest step recorded as a gap (1 s, raised when the list filled up). */
  min: Micros;
  histogram: number[];
  firstDated?: Checkpoint;
  lastDated?: Checkpoint;
  /** A dated line far off `lastDated` (behind, or a day ahead): a stray line, or the clock moving. */
  stray?: Checkpoint;
}

/**
 * Everything a file's scan knows at a line boundary, as plain data: saved with the index so an appended
 * file is read on from where the last scan stopped instead of from the start.
 */
export interface ScanState {
  bytes: number;
  lineNo: number;
  nextCheckpoint: number;
  nextSample: number;
  last?: { time: Micros; offset: number; line: number };
  errors: [number, number][];
  nulBytes: number;
  notUtf8: boolean;
  longLines: number;
  backwardSteps: number;
  largestStepBack: number;
  seenAliases: string[];
  clock: { year: number; month: number; day: number; rollovers: number };
  sawYearlessLine: boolean;
  steps: GapScanState;
}

/** Everything the index knows about one file. Serializable (persisted by later work). */
export interface FileIndex {
  path: string;
  node: string;
  source: SourceKind;
  program: string;
  format: FormatId;
  size: number;
  mtimeMs: number;
  gzip: boolean;
  /** glog writer pid from the file name. */
  pid?: number;
  /** glog file creation time (header, else file name). */
  created?: Micros;
  /** Where the year of yearless lines came from. */
  yearSource?: 'header' | 'fileName' | 'bundle' | 'unknown';
  firstTime?: Micros;
  lastTime?: Micros;
  lines: number;
  bytes: number;
  /** The events kept: all of them, unless the file went past its event budget (then see `unkeptEvents`). */
  events: LogEvent[];
  /** Session events past the file's event budget, counted per session and action. Absent when all were kept. */
  eventTallies?: EventTally[];
  /**
   * Events seen but not kept, per kind: counted in `eventTallies`, or dropped past the cap on the other
   * kinds (a note says so). Absent when every event was kept.
   */
  unkeptEvents?: Partial<Record<EventKind, number>>;
  checkpoints: Checkpoint[];
  /** [minute start, count] of ERROR/FATAL (glog E/F) entries, sorted. */
  errorsPerMinute: [Micros, number][];
  /**
   * Steps of at least a second between consecutive dated lines, in file order (only forward steps, a clock
   * stepping back is none). At most `MAX_GAPS`: past that, the longest (the shortest half is dropped and the
   * bar raised each time the list fills up).
   */
  gaps?: Gap[];
  /**
   * The spacing of the dated lines, sampled once per second of wall clock: for each whole second the file
   * spans, the step between the dated lines around it, counted per log2 bucket of its microseconds
   * (`gapBucket`). So each step counts as many times as it spans whole seconds: time-weighted, and never
   * looking inside a second (a scan only reads a line's stamp in full when its second changes).
   */
  gapHistogram?: number[];
  /** The first dated line, and the latest one (the time the file had reached at its end): rotation gaps join them. */
  firstDated?: Checkpoint;
  lastDated?: Checkpoint;
  /** Things worth knowing about this file that did not stop indexing (NUL bytes, invalid UTF-8, …). */
  notes: string[];
  /** Set when the file was not indexed, with the reason. */
  skipped?: string;
  /** Size and hash of the first 64 KiB: finds copies of the same file under other names. */
  fingerprint?: string;
  /**
   * Where the scan stopped (the end of the last complete line) and its state there: a later scan of the
   * same file grown by appends reads on from here. Absent for gzip and skipped files.
   */
  resume?: {
    offset: number;
    /** How many leading bytes `headHash` covers, and their hash: unchanged for an appended file. */
    headBytes: number;
    headHash: string;
    state: ScanState;
  };
  /** Set when this file repeats another one (symlinks, glog severity copies, a `zookeeper.out` console copy). */
  duplicateOf?: string;
  /** Why it is a copy, naming what it repeats (`link to …`, `severity copy of …`); set with `duplicateOf`. */
  copyReason?: string;
}

export interface NodeInfo {
  name: string;
  /** Address from the folder name (`172_20_131_241` → 172.20.131.241). */
  folderAddress?: string;
  addresses: string[];
  myids: string[];
  kind: 'node' | 'source';
}

/** One run of a program on a node: a glog pid, or a ZooKeeper server between start-up banners. */
export interface ProcessRun {
  node: string;
  program: string;
  pid?: number;
  /** Indexes into the bundle's files, in order. */
  files: number[];
  start?: Micros;
  end?: Micros;
  startSource?: SourceRef;
  endSource?: SourceRef;
  /** Offset within the first file where this run begins (ZooKeeper banners split files). */
  startOffset: number;
  /** Offset within the last file where the run ends (exclusive); Infinity for the end of the file. */
  endOffset: number;
}

export interface BundleIndex {
  root: string;
  files: FileIndex[];
  nodes: NodeInfo[];
  processes: ProcessRun[];
  /** Notes about the bundle as a whole (unreadable folders, symlink loops, …). */
  notes: string[];
  /** Where the bundle root was found below the opened folder, and how its node folders were recognised. */
  layout?: { base: string; nodeFolders: 'address' | 'alike' | 'none'; description: string };
  /**
   * What makes answers about this bundle doubtful (several machines' logs in one node, several bundles in
   * one folder): every answer that depends on nodes repeats them.
   */
  warnings?: string[];
}
