/**
 * Messages between an overlap report panel's host (src/client/overlapReport.ts) and its webview
 * (src/webview/report/), as discriminated unions per direction, and the argument that names one overlap.
 * What arrives from the webview, a command argument or a restored panel's state is checked at runtime
 * before anything acts on it: a webview is a web page, and log text passes through it.
 */
import type { OverlapReport } from '../service/results';

/** One overlap, as `quorumLens.explainOverlap` takes it (the timeline's list and the overlaps quick pick pass it). */
export interface OverlapKey {
  role: string;
  nodes: [string, string];
  /** The overlap's start: wall-clock microseconds, clock offsets applied (`OverlapInfo.start`). */
  start: number;
}

export type HostToReport =
  { type: 'report'; key: OverlapKey; report: OverlapReport } | { type: 'status'; message: string } | { type: 'problem'; message: string };

export type ReportToHost =
  | { type: 'ready' }
  /** Open the source line `uri`:`line` (1-based) beside the panel: only a line of the report is opened. */
  | { type: 'openLine'; uri: string; line: number }
  | { type: 'copy'; format: 'markdown' | 'json' };

/** What the webview keeps across hiding and reloads (`vscode.setState`): which overlap, and how far it was scrolled. */
export interface ReportState {
  key: OverlapKey;
  scrollY?: number;
}

const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** `{ role, nodes: [a, b], start }` if `raw` is exactly that shape, else undefined. */
export function parseOverlapKey(raw: unknown): OverlapKey | undefined {
  if (!isRecord(raw)) return undefined;
  const { role, nodes, start } = raw;
  if (typeof role !== 'string' || !isFiniteNumber(start)) return undefined;
  const pair: unknown = nodes;
  if (!Array.isArray(pair) || pair.length !== 2) return undefined;
  const a: unknown = pair[0];
  const b: unknown = pair[1];
  if (typeof a !== 'string' || typeof b !== 'string') return undefined;
  return { role, nodes: [a, b], start };
}

/** The webview's message if it is well-formed, else undefined (and it is ignored). */
export function parseReportMessage(raw: unknown): ReportToHost | undefined {
  if (!isRecord(raw)) return undefined;
  switch (raw.type) {
    case 'ready':
      return { type: 'ready' };
    case 'openLine':
      return typeof raw.uri === 'string' && isFiniteNumber(raw.line) && raw.line >= 1
        ? { type: 'openLine', uri: raw.uri, line: Math.floor(raw.line) }
        : undefined;
    case 'copy':
      return raw.format === 'markdown' || raw.format === 'json' ? { type: 'copy', format: raw.format } : undefined;
    default:
      return undefined;
  }
}

/** A restored panel's state if it names an overlap, else undefined. */
export function parseReportState(raw: unknown): ReportState | undefined {
  if (!isRecord(raw)) return undefined;
  const key = parseOverlapKey(raw.key);
  if (!key) return undefined;
  return { key, ...(isFiniteNumber(raw.scrollY) && { scrollY: raw.scrollY }) };
}
