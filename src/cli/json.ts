/**
 * The JSON the CLI prints with `--json`: the stable contract README.md documents. Each command's output is
 * typed with its shape here, so a change to the contract is a change to this file (and the tests read it).
 */
import type { Decoded } from '../core/decode/decodeValue';
import type { NumberSummary } from '../core/workflows/numericStats';

export interface SourceJson {
  file: string;
  line: number;
}
export interface IntervalJson {
  role: string;
  node: string;
  start: string;
  end: string;
  seconds: number;
  startSource: SourceJson;
  endSource: SourceJson;
  endReason: string;
  /** The ZooKeeper epoch, when the logs tell it exactly; `epochBy` says how. */
  epoch?: number;
  epochBy?: 'quorum' | 'txnLog' | 'followersTxnLog';
  /** When the epoch is not known exactly: the followers' sync zxids say it is at least this. */
  epochAtLeast?: number;
  /** The meta election seq of this leadership, when logged. */
  electionSeq?: number;
  /** ZooKeeper phases as logged (broadcast = could serve clients; 3.4 has it from the quorum line). */
  phases?: { phase: 'discovery' | 'synchronization' | 'broadcast'; time: string; file: string; line: number }[];
  /** With several bundles in the folder: the root of this term's bundle. */
  bundle?: string;
}
export interface OverlapsJson {
  overlaps: {
    role: string;
    nodes: [string, string];
    start: string;
    end: string;
    seconds: number;
    intervals: IntervalJson[];
    clockUncertaintyMs?: number;
    uncertain?: boolean;
    bundle?: string;
    /** The side whose leadership is older: the lower epoch, else the lower meta election seq, else the earlier start. */
    stale?: string;
    staleBy?: 'epoch' | 'electionSeq' | 'start';
    staleWhy?: string;
    /** The lines that prove it (epoch / election seq lines, else the terms' starts), stale side first. */
    evidence?: { node: string; file: string; line: number; text: string }[];
    /** ZooKeeper: both leaders in broadcast at once; `{seconds: 0}` when they never were; absent when unknown. */
    bothServing?: { start: string; end: string; seconds: number } | { seconds: 0 };
    /** Silences of either side touching the overlap. */
    silences: { node: string; from: string; to: string; seconds: number; usualSpacingMs: number; file: string; line: number }[];
    /** Faults active during the overlap, then the nearest one before it. */
    faults: {
      tool: string;
      target?: string;
      node?: string;
      start: string;
      end: string;
      open: boolean;
      relation: 'during' | 'before';
      secondsBefore?: number;
      words: string;
      file: string;
      line: number;
      text: string;
    }[];
  }[];
  examined: { intervals: number; nodes: number };
  /** What makes the answer doubtful (a folder gone, several machines in one node): never empty when it is. */
  warnings: string[];
}
export interface LeadersJson {
  intervals: IntervalJson[];
  warnings: string[];
}
export interface IndexJson {
  root: string;
  files: { total: number; indexed: number; bytes: number; lines: number; byFormat: Record<string, number> };
  timeRange: { start: string | null; end: string | null };
  nodes: {
    name: string;
    kind: 'node' | 'source';
    folderAddress: string | null;
    addresses: string[];
    myids: string[];
    files: number;
    start: string | null;
    end: string | null;
  }[];
  processes: number;
  events: Record<string, number>;
  skipped: { file: string; reason: string }[];
  duplicates: { file: string; of: string; reason?: string }[];
  notes: { file: string | null; note: string }[];
  /** Where the bundle root was found and how its nodes were recognised. */
  layout: string | null;
  /** What makes answers about nodes doubtful (several machines in one node). */
  warnings: string[];
  /** Only when the bundle was unpacked from an archive (or a folder of per-node archives); `root` is then the extraction. */
  archive?: ArchiveJson;
}
export interface ArchiveJson {
  /** The archive opened, or the folder whose archives were unpacked. */
  path: string;
  kind: 'archive' | 'folder';
  archives: string[];
  /** Where it was unpacked: `<cache>/archives/<sha256>/`, or a temporary folder. */
  extractedTo: string;
  /** An earlier run's extraction was used (nothing unpacked this time). */
  reused: boolean;
  /** `extractedTo` is removed when the run ends (`--no-cache`). */
  temporary: boolean;
  /** Entries refused (outside the archive, links, devices, over a cap) and where unpacking stopped; also in `notes`. */
  notes: string[];
}
/** `decode --json` prints the readings as they are. */
export type DecodeJson = Decoded;

export interface LineJson {
  node: string;
  file: string;
  line: number;
  time: string | null;
  text: string;
}
export interface UnreadableJson {
  file: string;
  message: string;
}
export interface TraceJson {
  query: string;
  regex: boolean;
  truncated: boolean;
  /** Lines one answer holds at most (`--max`). */
  limit: number;
  /** When cut: every matching line before this time is in `hits`; `--from` it for the rest. */
  next?: string;
  filesSearched: number;
  bytesSearched: number;
  unreadable: UnreadableJson[];
  hits: LineJson[];
}
export interface ContextJson {
  center: string | null;
  windowSeconds: number;
  /** Files cut at `maxLinesPerFile` lines in the window. */
  truncatedFiles: string[];
  maxLinesPerFile: number;
  unreadable: UnreadableJson[];
  /** Files not read at all, and why. */
  skippedFiles: { file: string; reason: string }[];
  /** Files read only in part, and what was left out. */
  notes: { file: string; note: string }[];
  lines: LineJson[];
}
export interface CountJson {
  pattern: string;
  by: 'day' | 'hour';
  truncated: boolean;
  undated: number;
  unreadable: UnreadableJson[];
  buckets: string[];
  nodes: { node: string; total: number; counts: number[] }[];
}
/** count, sum, min, max, mean, median, p99: the core's summary, as printed. */
export type NumberSummaryJson = NumberSummary;
export interface StatsJson {
  pattern: string;
  truncated: boolean;
  /** When median and p99 come from the sketch: how close they are to the exact values. */
  approximate?: string;
  notNumbers: number;
  unreadable: UnreadableJson[];
  all: NumberSummaryJson | null;
  nodes: ({ node: string } & NumberSummaryJson)[];
}
export interface OffsetsJson {
  nodes: { node: string; count: number; min: number; max: number; mean: number; median: number; maxAbs: number }[];
}
export interface SessionJson {
  id: string;
  kind: 'zookeeper' | 'meta';
  createdBy: { myid: number; node: string | null } | null;
  /**
   * `effective`/`why` on a server's expiry or closeSession: false when logged by a deposed leader (another
   * already led a newer epoch); absent when the logs cannot tell.
   */
  events: (LineJson & { what: string; effective?: boolean; why?: string })[];
}
/**
 * `overlaps --explain --json`: one report per overlap. `overlap` is exactly what `overlaps --json` prints for
 * it; `states` are both nodes' ZooKeeper state and role lines around it, `sessions` the session expiries and
 * closes logged around it (`effective`/`why` as in `session --json`).
 */
export interface ExplainJson {
  /** The roles the reports are about (`--role`, `all` spelled out). */
  roles: string[];
  reports: {
    overlap: OverlapsJson['overlaps'][number];
    states: LineJson[];
    sessions: (LineJson & { what: string; effective?: boolean; why?: string })[];
    /** What makes this report doubtful (an overlap no longer than the clocks' uncertainty, a cut list). */
    warnings: string[];
  }[];
  examined: { intervals: number; nodes: number };
  warnings: string[];
}
/**
 * `merge --json`: one page of the merged cluster log. `lines` are in non-decreasing `time` (ISO with µs,
 * corrected by the node's clock offset; a continuation line carries its entry's time), then node, file and
 * line; `file` is relative to the bundle, `line` 1-based. `next` (`--after` it) continues after the last
 * line and is there only when more follow; `previous` (`--before` it) reads the page before the first.
 */
export interface MergeJson {
  lines: {
    time: string;
    node: string;
    file: string;
    line: number;
    text: string;
    /** The line has no time of its own: it continues the entry above it. */
    continuation?: true;
    /** The entry's own time when the line is placed elsewhere (outside the checkpoints around it: a clock step, a stray line). */
    ownTime?: string;
    /** With several bundles in the folder: the root of this line's bundle. */
    bundle?: string;
  }[];
  next?: string;
  previous?: string;
  /** More lines follow (forward) or precede (`--before`) than this page holds (`--max`). */
  truncated: boolean;
  limit: number;
  filters: {
    from?: string;
    to?: string;
    include: string[];
    exclude: string[];
    ignoreCase: boolean;
    level?: 'W' | 'E';
    nodes: string[];
    sources: string[];
  };
  unreadable: UnreadableJson[];
  /** Files not merged, and why. */
  skippedFiles: { file: string; reason: string }[];
  /** What reading the page left out or placed elsewhere. */
  notes: { file: string; note: string }[];
}
