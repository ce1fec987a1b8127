/**
 * Every custom message between the Quorum Lens client and its language server, in one place: the method
 * name, its parameter and result types (the service's named results), and who sends it when.
 */
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';
import type {
  BundleSummary,
  ClockOffsetsResult,
  ContextResult,
  CountResult,
  DecodeResult,
  FileWindow,
  IndexCounts,
  LeadersResult,
  OverlapsResult,
  SearchCoverage,
  SessionLifecycleInfo,
  StatsResult,
  TraceResult,
  UnpackedArchive,
} from '../service/results';
import type { Bucket } from '../core/workflows/countPerNode';
import type { TimelineData } from './webviewProtocol';

export type * from '../service/results';

/** A request's method with its parameter and result types: the real JSON-RPC type, one version on both sides. */
export type RequestSpec<P, R> = RequestType<P, R, void>;
export type NotificationSpec<P> = NotificationType<P>;

const request = <P, R>(method: string): RequestSpec<P, R> => new RequestType<P, R, void>(method);
const notification = <P>(method: string): NotificationSpec<P> => new NotificationType<P>(method);

/** Indexing progress and, once done, the counts the status bar shows. */
export interface IndexStatus extends IndexCounts {
  /** `gone`: every bundle folder of the workspace has disappeared since it was indexed. */
  state: 'indexing' | 'ready' | 'empty' | 'gone';
  done: number;
  total: number;
}

/** client → server: summaries of every indexed bundle (Show Index Summary). */
export const IndexSummaryRequest = request<Record<string, never>, BundleSummary[]>('quorumLens/indexSummary');

/** client → server: leader intervals of one role (or `all`), every bundle. */
export const LeaderIntervalsRequest = request<{ role: string }, LeadersResult>('quorumLens/leaderIntervals');

/** client → server: overlapping intervals of one role (Find Leader Overlaps). */
export const OverlapsRequest = request<{ role: string }, OverlapsResult>('quorumLens/overlaps');

/** client → server: decode a zxid, session id, retcode or errno (Decode ZooKeeper Id…). */
export const DecodeRequest = request<{ value: string }, DecodeResult>('quorumLens/decode');

/** client → server: what the timeline panel draws, one entry per bundle (Show Leader Timeline). */
export const TimelineRequest = request<Record<string, never>, TimelineData[]>('quorumLens/timeline');

/** The Cluster Log view's page query: the merge's parameters (filters, cursor, direction, limit, bundle root). */
export type MergedLinesParams = import('../service/merge').MergeParams;

/**
 * Client → server, whenever the Cluster Log view needs lines (opening, scrolling near an edge of its window,
 * Go to Time, next/previous error): one page of every node's lines merged in corrected time, filtered.
 */
export const MergedLinesRequest = request<MergedLinesParams, import('../service/results').MergeResult>('quorumLens/mergedLines');

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
export const WindowRequest = request<{ uri: string; from: number; to: number }, FileWindow>('quorumLens/window');

/** client → server: index every workspace folder again from scratch (Reindex Bundle). */
export const ReindexRequest = request<Record<string, never>, void>('quorumLens/reindex');

/** client → server: is this file part of an indexed bundle? (so the client gives it the Cluster Log language) */
export const IsBundleFileRequest = request<{ uri: string }, boolean>('quorumLens/isBundleFile');

/** server → client: indexing progress and, when done, the counts the status bar shows. */
export const IndexStatusNotification = notification<IndexStatus>('quorumLens/indexStatus');

/** How the search index (what lets searches skip blocks) is coming along, per workspace. */
export interface SearchIndexStatus {
  /** `off`: indexes are not saved for this workspace (no cache folder), so searches read every byte. */
  state: 'building' | 'ready' | 'off';
  doneBytes: number;
  totalBytes: number;
  note?: string;
  /** `ready`: what the index covers of the files searches read. */
  coverage?: SearchCoverage;
}

/** server → client: the search index's build, after the event index is served (status bar tooltip, tests). */
export const SearchIndexStatusNotification = notification<SearchIndexStatus>('quorumLens/searchIndexStatus');

/** client → server: every line mentioning `text` across every bundle, in time order (Trace Across Nodes). */
export const TraceRequest = request<{ text: string; regex?: boolean; ignoreCase?: boolean; max?: number; from?: number }, TraceResult>(
  'quorumLens/trace',
);

/**
 * client → server: every node's lines within ±windowSeconds of a moment (Show Cluster Context). The moment
 * is `time` (micros) or the time of `uri`:`line`; the origin line comes back marked.
 */
export const ContextRequest = request<{ time?: number; uri?: string; line?: number; windowSeconds: number }, ContextResult>(
  'quorumLens/context',
);

/** client → server: matches per node and day/hour (Count per Node). */
export const CountRequest = request<{ pattern: string; regex?: boolean; ignoreCase?: boolean; by: Bucket }, CountResult>(
  'quorumLens/count',
);

/** client → server: the number a regex captures, summarized per node (Numeric Statistics). */
export const StatsRequest = request<{ regex: string }, StatsResult>('quorumLens/stats');

/** client → server: NTP/chrony offsets per node, and the offsets configured in settings (Show Clock Offsets). */
export const ClockOffsetsRequest = request<Record<string, never>, ClockOffsetsResult>('quorumLens/clockOffsets');

/** client → server: a ZooKeeper session's or meta session's lifecycle (Show Session Lifecycle). */
export const SessionLifecycleRequest = request<{ id: string }, SessionLifecycleInfo>('quorumLens/sessionLifecycle');

/** Client → server: unpack a bundle archive into the cache ("Open Log Bundle Archive…"); the client then adds the extraction as a workspace folder. */
export const UnpackArchiveRequest = request<{ path: string }, UnpackedArchive>('quorumLens/unpackArchive');

/** Which overlap(s) Explain Overlap is about: every overlap of `role` (default meta), or the one of `nodes` starting at `start`. */
export interface ExplainOverlapParams {
  role?: string;
  nodes?: [string, string];
  start?: number;
}

/** An overlap report as the editor gets it: the service's report and its Markdown, the words `overlaps --explain` prints. */
export type OverlapReportWithMarkdown = import('../service/results').OverlapReport & { markdown: string };

export type ExplainOverlapResult = Omit<import('../service/results').ExplainResult, 'reports'> & { reports: OverlapReportWithMarkdown[] };

/**
 * client → server: the overlap report (Explain Overlap…, the overlaps quick pick's button, the timeline's
 * list): both terms, the stale side and its evidence, silences, faults, states, sessions, clocks, with the
 * report's Markdown for "Copy as Markdown".
 */
export const ExplainOverlapRequest = request<ExplainOverlapParams, ExplainOverlapResult>('quorumLens/explainOverlap');

// ---- Time sync (issue 13 item 4): one moment across every visible editor.

/** A moment: corrected µs (the node's clock offset applied, as the merged log places lines) and its label. */
export type SyncMoment = import('../service/timeSync').LineMoment;

/** Where a moment falls in one document: the file's line (1-based, the full file's even for a window view). */
export type SyncLine = import('../service/timeSync').LineAtMoment;

/**
 * client → server (time sync, on a cursor move in the active editor): the moment of a line (1-based) of a
 * bundle file or window view — a continuation line's entry time; null when the file has no dated line.
 */
export const TimeAtLineRequest = request<{ uri: string; line: number }, SyncMoment | null>('quorumLens/timeAtLine');

/**
 * client → server (time sync, once per moment): for each document, the first line at or after `time`;
 * null for a document that stays put (not a dated file of the bundle of `sameBundleAs`, when given).
 */
export const LinesAtTimeRequest = request<{ time: number; uris: string[]; sameBundleAs?: string }, (SyncLine | null)[]>(
  'quorumLens/linesAtTime',
);
