/** The answers of the searches (trace, context, count, stats): what the CLI prints and the server sends. */
import type { Bucket } from '../core/workflows/countPerNode';
import type { NumberSummary } from '../core/workflows/numericStats';
import type { FoundLine, UnreadableFile } from './results';

/** How the search index served a search: the bytes it ruled out, and why it did not rule on all of them. */
export interface SearchUse {
  skippedBytes: number;
  note?: string;
}

/** Of the files a search reads, how many (and how many bytes) the search index covers; the rest are read whole. */
export interface SearchCoverage {
  files: number;
  bytes: number;
  coveredFiles: number;
  coveredBytes: number;
}

export interface TraceResult {
  query: string;
  regex: boolean;
  lines: FoundLine[];
  /** Stopped at the limit: there are more lines than shown. */
  truncated: boolean;
  /** Lines one answer holds at most. */
  limit: number;
  /**
   * When cut: every matching line before this corrected time is in `lines`, none at or after it — the next
   * page starts here (`from`).
   */
  next?: number;
  nextLabel?: string;
  /** The `from` asked for (a later page), as a label. */
  fromLabel?: string;
  /** More lines than the limit at one instant: some at this time are left out. */
  crowdedAt?: string;
  files: number;
  bytes: number;
  unreadable: UnreadableFile[];
  /** The search index's part (absent when nothing was searched). */
  search?: SearchUse;
  /** Why nothing was searched (a regex that cannot be used). */
  problem?: string;
}

export interface ContextLineInfo extends FoundLine {
  /** The line the context was opened from. */
  origin?: boolean;
}

export interface ContextResult {
  center?: number;
  centerLabel?: string;
  windowSeconds: number;
  lines: ContextLineInfo[];
  /** Files with more lines in the window than one answer holds: each is cut at the per-file limit. */
  truncatedFiles: string[];
  /** The most lines one file gives the answer (the cut of `truncatedFiles`). */
  maxLinesPerFile: number;
  /** Why there is no answer (no bundle, a line without a time). */
  problem?: string;
  unreadable: UnreadableFile[];
  /** Files not read at all, and why (skipped by the index, a copy of another file, no time in them). */
  skippedFiles: { file: string; reason: string }[];
  /** Files read only in part, and what was left out (a hole of NUL bytes, a read or inflate cap). */
  notes: { file: string; note: string }[];
}

export interface CountRow {
  node: string;
  label: string;
  total: number;
  /** counts[i] is the count in buckets[i]. */
  counts: number[];
}

export interface CountResult {
  pattern: string;
  by: Bucket;
  /** Bucket labels: `2023-03-14` or `2023-03-14 01:00`. */
  buckets: string[];
  nodes: CountRow[];
  /** Matches whose line has no time (in the totals only). */
  undated: number;
  truncated: boolean;
  unreadable: UnreadableFile[];
  /** The search index's part (absent when nothing was searched). */
  search?: SearchUse;
  /** Why nothing was counted (a regex that cannot be used). */
  problem?: string;
}

export type NodeNumberSummary = { node: string; label: string } & NumberSummary;

export interface StatsResult {
  pattern: string;
  nodes: NodeNumberSummary[];
  all?: NumberSummary;
  notNumbers: number;
  truncated: boolean;
  /** Set when median and p99 come from the sketch (more numbers than are kept exactly): how close they are. */
  approximate?: string;
  problem?: string;
  unreadable: UnreadableFile[];
  /** The search index's part (absent when nothing was searched). */
  search?: SearchUse;
}
