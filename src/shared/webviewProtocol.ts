/**
 * Messages between the timeline panel's host (src/client/timelinePanel.ts) and its webview
 * (src/webview/), as discriminated unions per direction. What arrives from the webview is checked at
 * runtime before the host acts on it: a webview is a web page, and log text passes through it.
 */
import type { TimelineItem, TimelineOverlap } from '../core/timelineModel';

export interface TimelineLaneInfo {
  id: string;
  /** `172.20.131.241` for address folders. */
  label: string;
  /** Aliases: `myid 1 · 10.0.131.241`. */
  detail: string;
  kind: 'node' | 'source';
  tracks: string[];
}

/** Items refer to files by index into `files` (a bundle has far fewer files than items). */
export type TimelineItemInfo = Omit<TimelineItem, 'file' | 'endFile'> & { file: number; endFile?: number };

export interface TimelineOverlapInfo extends TimelineOverlap {
  seconds: number;
  /** The largest NTP offsets of the two nodes added up (ms), when the bundle measured them. */
  clockUncertaintyMs?: number;
  /** The overlap is no longer than that uncertainty: it may not be real. */
  uncertain?: boolean;
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
  | { type: 'status'; message: string };

export type WebviewToHost = { type: 'ready' } | { type: 'openLine'; uri: string; line: number } | { type: 'openOverlap'; overlap: number };

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
      return isFiniteNumber(m.overlap) && m.overlap >= 0 ? { type: 'openOverlap', overlap: Math.floor(m.overlap) } : undefined;
    default:
      return undefined;
  }
}
