/** What the merged cluster log answers (service/merge.ts): a page of every node's lines in time order. */
import type { MergeCursor } from '../core/workflows/mergeOrder';
import type { FoundLine, UnreadableFile } from './results';
import type { SearchUse } from './searchResults';

/** Where a merged line stands in the merged log: pass it back as `cursor` to read on from there. */
export type { MergeCursor };

/** One line of the merged cluster log. `time` never decreases along a result. */
export interface MergedLineInfo extends FoundLine {
  time: number;
  timeLabel: string;
  /** No time of its own: it continues the entry above it (a stack trace), whose time it carries. */
  continuation?: true;
  /**
   * The entry's own time, when the line is placed elsewhere: its time lies outside the checkpoints around
   * it (a clock step, a stray line), so it is shown at the nearest time there.
   */
  ownTime?: number;
  ownTimeLabel?: string;
  /** With several bundles open: the root of the one this line is in (node names repeat across bundles). */
  bundle?: string;
}

/** The filters a merged page was read with, as resolved (nodes by folder name, times as labels). */
export interface MergeFilters {
  from?: number;
  fromLabel?: string;
  to?: number;
  toLabel?: string;
  /** lnav's rule, per entry: shown when some line matches any include (or there is none) and no line matches an exclude. */
  include: string[];
  exclude: string[];
  ignoreCase: boolean;
  /** W: warnings and worse; E: errors and fatal. */
  level?: 'W' | 'E';
  /** The nodes read, by label (`172.20.131.241`; empty: every node). */
  nodes: string[];
  /** Source kinds read (empty: every kind). */
  sources: string[];
}

export interface MergeResult {
  /** In the merged log's order: time, bundle, node, file path, line. */
  lines: MergedLineInfo[];
  direction: 'forward' | 'backward';
  /** Read on after the last line (forward); absent when nothing follows. */
  next?: MergeCursor;
  /** `next` as one opaque word (the CLI's `--after`). */
  nextToken?: string;
  /** Read back before the first line; absent when a backward read found nothing before it. */
  previous?: MergeCursor;
  previousToken?: string;
  /** More lines than returned in the direction read (the page ended at `limit` or the character cap). */
  truncated: boolean;
  limit: number;
  filters: MergeFilters;
  unreadable: UnreadableFile[];
  /** Files not merged, and why (skipped by the index, a copy of another, no time in them). */
  skippedFiles: { file: string; reason: string }[];
  /** What reading the page left out or placed elsewhere (a hole of NUL bytes, a clock step, an inflate cap). */
  notes: { file: string; note: string }[];
  /** Every node of the bundles read (not only those in the page), by folder name and label, with the clock offset applied to its lines. */
  nodes: { node: string; label: string; offsetMs: number }[];
  /** What the search index ruled out for the include filters (absent: nothing). */
  search?: SearchUse;
  /** Why nothing was read (a regex that cannot be used, an unknown node or source). */
  problem?: string;
}
