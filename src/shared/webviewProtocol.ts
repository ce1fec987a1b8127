/**
 * Messages between the timeline panel's host (src/client/timelinePanel.ts) and its webview
 * (src/webview/), as discriminated unions per direction. What arrives from the webview is checked at
 * runtime before the host acts on it: a webview is a web page, and log text passes through it.
 */
import type { TimelineItem, TimelineOverlap, TimelinePhase } from '../core/timelineModel';

export interface TimelineLaneInfo {
  id: string;
  /** `172.20.131.241` for address folders. */
  label: string;
  /** Aliases: `myid 1 · 10.0.131.241`. */
  detail: string;
  kind: 'node' | 'source';
  tracks: string[];
}

/** A leading band's phase; its line by index into `files`. */
export type TimelinePhaseInfo = Omit<TimelinePhase, 'file'> & { file: number };

/**
 * Items refer to files by index into `files` (a bundle has far fewer files than items). A judged session
 * expiry's verdict arrives as words in `detail`.
 */
export type TimelineItemInfo = Omit<TimelineItem, 'file' | 'endFile' | 'phases' | 'verdict'> & {
  file: number;
  endFile?: number;
  phases?: TimelinePhaseInfo[];
};

export interface TimelineOverlapInfo extends Omit<TimelineOverlap, 'overlap'> {
  seconds: number;
  /** The largest NTP offsets of the two nodes added up (ms), when the bundle measured them. */
  clockUncertaintyMs?: number;
  /** The overlap is no longer than that uncertainty: it may not be real. */
  uncertain?: boolean;
  /** The side whose leadership is older (core staleSide): `why` is `election seq 381 < 416`. */
  stale?: { node: string; nodeLabel: string; why: string; by: 'epoch' | 'electionSeq' | 'start' };
  /**
   * ZooKeeper: how long both leaders were in broadcast at once (`start`/`end` when they were); absent when
   * the phases are not known.
   */
  bothServing?: { seconds: number; start?: number; end?: number };
}

export interface TimelineData {
  bundle: string;
  /** IANA zone set by the user, or '' for the logs' wall clock. */
  zone: string;
  start: number;
  end: number;
  lanes: TimelineLaneInfo[];
  files: { uri: string; path: string }[];
  items: TimelineItemInfo[];
  overlaps: TimelineOverlapInfo[];
  errors: number[][];
  /** What makes the lanes doubtful (several machines' logs in one node): shown above the chart. */
  warnings?: string[];
}

export interface ViewRange {
  start: number;
  end: number;
}

export type HostToWebview =
  | { type: 'init'; data: TimelineData; focus?: ViewRange & { overlap?: number } }
  | { type: 'focus'; start: number; end: number; overlap?: number }
  | { type: 'status'; message: string }
  /**
   * Time sync: where its cursor line is (corrected µs; none: no line) and whether it is on — while on, a
   * click in the chart picks a moment instead of opening a line.
   */
  | { type: 'cursor'; time?: number; sync: boolean };

export type WebviewToHost =
  | { type: 'ready' }
  | { type: 'openLine'; uri: string; line: number }
  | { type: 'openOverlap'; overlap: number }
  /** The overlap list's Explain button: the host runs `quorumLens.explainOverlap` on that overlap. */
  | { type: 'explainOverlap'; overlap: number }
  /** Time sync is on and the user clicked the chart at this moment (corrected µs): the editors go there. */
  | { type: 'pickTime'; time: number };

const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** The webview's message if it is well-formed, else undefined (and it is ignored). */
export function parseWebviewMessage(raw: unknown): WebviewToHost | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const m = raw as Record<string, unknown>;
  switch (m.type) {
    case 'ready':
      return { type: 'ready' };
    case 'openLine':
      return typeof m.uri === 'string' && /^file:\/\//.test(m.uri) && isFiniteNumber(m.line) && m.line >= 1
        ? { type: 'openLine', uri: m.uri, line: Math.floor(m.line) }
        : undefined;
    case 'openOverlap':
    case 'explainOverlap':
      return isFiniteNumber(m.overlap) && m.overlap >= 0 ? { type: m.type, overlap: Math.floor(m.overlap) } : undefined;
    case 'pickTime':
      return isFiniteNumber(m.time) ? { type: 'pickTime', time: Math.round(m.time) } : undefined;
    default:
      return undefined;
  }
}

/**
 * The host's cursor message if it is well-formed, else undefined: the page checks what it receives too
 * (a moment that is no number would draw nowhere, or throw in the middle of a paint).
 */
export function parseCursorMessage(raw: unknown): Extract<HostToWebview, { type: 'cursor' }> | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const m = raw as Record<string, unknown>;
  if (m.type !== 'cursor' || typeof m.sync !== 'boolean') return undefined;
  if (m.time !== undefined && !isFiniteNumber(m.time)) return undefined;
  return m.time === undefined ? { type: 'cursor', sync: m.sync } : { type: 'cursor', time: m.time, sync: m.sync };
}
