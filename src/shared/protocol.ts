/**
 * Every custom message between the Quorum Lens client and its language server, in one place: the method
 * name, its parameter and result types, and who sends it when. Times travel as wall-clock microseconds
 * plus a label already formatted in the configured zone.
 */
import type { Decoded } from '../core/decode/decodeValue';
import type { NumberSummary } from '../core/workflows/numericStats';
import type { TimelineData } from './webviewProtocol';

/**
 * A request's method with its parameter and result types. Plain data, so this module depends on no
 * JSON-RPC package version (client and server bundle different ones).
 */
export interface RequestSpec<P, R> {
  readonly method: string;
  /** Type carrier only; never set. */
  readonly types?: { params: P; result: R };
}

export interface NotificationSpec<P> {
  readonly method: string;
  readonly types?: { params: P };
}

const request = <P, R>(method: string): RequestSpec<P, R> => ({ method });
const notification = <P>(method: string): NotificationSpec<P> => ({ method });

/** A line in a bundle file. `line` is 1-based, as the logs' users count. */
export interface SourceLocation {
  uri: string;
  /** Path relative to the bundle root. */
  file: string;
  line: number;
}

export interface IntervalInfo {
  role: string;
  node: string;
  /** `172.20.131.241` for address folders, else the folder name. */
  nodeLabel: string;
  start: number;
  end: number;
  startLabel: string;
  endLabel: string;
  seconds: number;
  startSource: SourceLocation;
  endSource: SourceLocation;
  endReason: string;
  /** The end reason in words: the end message, or "the process ended" / "still holding it when the logs end". */
  endReasonText: string;
  startText: string;
  endText?: string;
  epoch?: number;
}

export interface OverlapInfo {
  role: string;
  nodes: [string, string];
  nodeLabels: [string, string];
  start: number;
  end: number;
  startLabel: string;
  endLabel: string;
  seconds: number;
  intervals: [IntervalInfo, IntervalInfo];
  /** Configured clock offset between the two nodes, in ms, when any is set. */
  clockOffsetMs?: number;
  /** How far apart the two nodes' clocks may be by their NTP measurements (ms), when measured. */
  clockUncertaintyMs?: number;
  /** The overlap is no longer than that uncertainty: it may not be real. */
  uncertain?: boolean;
}

export interface NodeSummary {
  name: string;
  label: string;
  kind: 'node' | 'source';
  addresses: string[];
  myids: string[];
  files: number;
  startLabel?: string;
  endLabel?: string;
}

export interface BundleSummary {
  root: string;
  rootUri: string;
  files: number;
  indexedFiles: number;
  bytes: number;
  lines: number;
  formats: Record<string, number>;
  startLabel?: string;
  endLabel?: string;
  nodes: NodeSummary[];
  events: Record<string, number>;
  leaderIntervals: Record<string, number>;
  skipped: { file: string; reason: string }[];
  duplicates: { file: string; of: string }[];
  notes: { file?: string; note: string }[];
}

export interface IndexStatus {
  state: 'indexing' | 'ready' | 'empty';
  done: number;
  total: number;
  nodes: number;
  files: number;
  leaderIntervals: number;
  roles: string[];
}

/** client → server: summaries of every indexed bundle (Show Index Summary). */
export const IndexSummaryRequest = request<Record<string, never>, BundleSummary[]>('quorumLens/indexSummary');

/** client → server: leader intervals of one role, every bundle. */
export const LeaderIntervalsRequest = request<{ role: string }, { intervals: IntervalInfo[] }>('quorumLens/leaderIntervals');

/** client → server: overlapping intervals of one role (Find Leader Overlaps). */
export const OverlapsRequest = request<
  { role: string },
  { overlaps: OverlapInfo[]; examined: { intervals: number; nodes: number } }
>('quorumLens/overlaps');

/** client → server: decode a zxid, session id, retcode or errno (Decode ZooKeeper Id…). */
export const DecodeRequest = request<{ value: string }, { decoded?: Decoded; markdown: string }>('quorumLens/decode');

/** client → server: what the timeline panel draws, one entry per bundle (Show Leader Timeline). */
export const TimelineRequest = request<Record<string, never>, TimelineData[]>('quorumLens/timeline');

/** Files VS Code does not hand to extensions (larger than this) get the window view instead. */
export const LARGE_FILE_BYTES = 50 * 1024 * 1024;

/** The URI scheme of window views: `quorum-lens-window:/abs/path?from=F&to=T`. */
export const WINDOW_SCHEME = 'quorum-lens-window';

/** The window view's URI for lines `from`..`to` of a file. */
export function windowUri(fileUri: string, from: number, to: number): string {
  const filePath = new URL(fileUri).pathname;
  return `${WINDOW_SCHEME}:${filePath}?from=${from}&to=${to}`;
}

/**
 * The file and line range a window view's URI stands for. VS Code percent-encodes the query (`=` → %3D)
 * when it sends the URI to the server, so both spellings are read.
 */
export function parseWindowUri(uri: string): { fileUri: string; from: number; to: number } | undefined {
  const m = new RegExp(`^${WINDOW_SCHEME}:([^?]*)\\?(.*)$`).exec(uri);
  if (!m) return undefined;
  const query = new URLSearchParams(decodeURIComponent(m[2]));
  const from = Number(query.get('from'));
  const to = Number(query.get('to'));
  if (!(from >= 1 && to >= from)) return undefined;
  return { fileUri: `file://${encodeURI(decodeURIComponent(m[1]))}`, from, to };
}

/** client → server: lines `from`..`to` of a bundle file (for the window view of a file too large to open). */
export const WindowRequest = request<{ uri: string; from: number; to: number }, { lines: string[]; totalLines?: number }>('quorumLens/window');

/** client → server: index every workspace folder again from scratch (Reindex Bundle). */
export const ReindexRequest = request<Record<string, never>, void>('quorumLens/reindex');

/** client → server: is this file part of an indexed bundle? (so the client gives it the Cluster Log language) */
export const IsBundleFileRequest = request<{ uri: string }, boolean>('quorumLens/isBundleFile');

/** server → client: indexing progress and, when done, the counts the status bar shows. */
export const IndexStatusNotification = notification<IndexStatus>('quorumLens/indexStatus');

/** One line found by a workflow, ready to show and to open. */
export interface FoundLine {
  location: SourceLocation;
  node: string;
  nodeLabel: string;
  /** Time label (corrected by the node's clock offset), when the line has one. */
  timeLabel?: string;
  time?: number;
  text: string;
}

/** client → server: every line mentioning `text` across the bundle, in time order (Trace Across Nodes). */
export const TraceRequest = request<{ text: string; regex?: boolean; max?: number }, { lines: FoundLine[]; truncated: boolean; files: number; unreadable?: UnreadableFile[] }>('quorumLens/trace');

/** A file a search could not read (deleted or made unreadable since indexing); the search went on without it. */
export interface UnreadableFile {
  file: string;
  message: string;
}

/**
 * client → server: every node's lines within ±windowSeconds of a moment (Show Cluster Context). The moment
 * is `time` (micros) or the time of `uri`:`line`; the origin line comes back marked.
 */
export const ContextRequest = request<
  { time?: number; uri?: string; line?: number; windowSeconds: number },
  { center?: number; centerLabel?: string; lines: (FoundLine & { origin?: boolean })[]; problem?: string; unreadable?: UnreadableFile[] }
>('quorumLens/context');

/** client → server: matches per node and day/hour (Count per Node). */
export const CountRequest = request<
  { pattern: string; regex?: boolean; by: 'day' | 'hour' },
  { by: 'day' | 'hour'; buckets: string[]; nodes: { node: string; label: string; total: number; counts: number[] }[]; undated: number; truncated: boolean; unreadable?: UnreadableFile[] }
>('quorumLens/count');

/** count, sum, min, max, mean, median, p99 (as computed in core). */
export type NumberSummaryInfo = NumberSummary;

/** client → server: the number a regex captures, summarized per node (Numeric Statistics). */
export const StatsRequest = request<
  { regex: string },
  { nodes: ({ node: string; label: string } & NumberSummaryInfo)[]; all?: NumberSummaryInfo; notNumbers: number; problem?: string; unreadable?: UnreadableFile[] }
>('quorumLens/stats');

/** client → server: NTP/chrony offsets per node, and the offsets configured in settings (Show Clock Offsets). */
export const ClockOffsetsRequest = request<
  Record<string, never>,
  { nodes: { node: string; label: string; measured?: NumberSummaryInfo & { maxAbs: number }; configuredMs?: number }[] }
>('quorumLens/clockOffsets');

/** client → server: a ZooKeeper session's or meta session's lifecycle (Show Session Lifecycle). */
export const SessionLifecycleRequest = request<{ id: string }, SessionLifecycleInfo>('quorumLens/sessionLifecycle');

export interface SessionLifecycleInfo {
  /** `0x…` for a ZooKeeper session, a uuid for a meta session, "meta" for every meta session line. */
  id: string;
  kind: 'zookeeper' | 'meta';
  /** The server whose myid is the session id's top byte, and the node it maps to when the bundle says. */
  createdBy?: { myid: number; node?: string; nodeLabel?: string };
  events: (FoundLine & { what: string })[];
}
