import { visibleControls } from '../inertText';
import { formatHuman } from '../time';
import { MIN_LEVELS, type MinLevel } from '../workflows/mergeFilter';

/** What one Cluster Log view shows: lnav's filters. A view is one document per bundle and filter set. */
export interface ViewFilters {
  include: string[];
  exclude: string[];
  ignoreCase?: boolean;
  level?: MinLevel;
  /** Node folder names; none: every node. */
  nodes: string[];
  /** Source kinds (meta, zookeeper, …); none: every kind. */
  sources: string[];
  /** Corrected µs: only lines at or after it. */
  from?: number;
  /** Corrected µs: only lines before it. */
  to?: number;
}

/** The query of a view's document: which bundle (its root; absent with one bundle) and which filters. */
export interface ViewQuery {
  bundle?: string;
  filters: ViewFilters;
}

export const NO_FILTERS: ViewFilters = { include: [], exclude: [], nodes: [], sources: [] };

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : []);
const time = (v: unknown): number | undefined => (typeof v === 'number' && Number.isSafeInteger(v) ? v : undefined);

/** A view's query as one string (the document URI's query), and back; what does not parse is left out, never trusted. */
export function encodeViewQuery(q: ViewQuery): string {
  return JSON.stringify(q);
}

export function decodeViewQuery(text: string): ViewQuery {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { filters: { ...NO_FILTERS } };
  }
  const r = (raw ?? {}) as { bundle?: unknown; filters?: Record<string, unknown> };
  const f = r.filters ?? {};
  const level = MIN_LEVELS.find((l) => l === f.level);
  const filters: ViewFilters = {
    include: strings(f.include),
    exclude: strings(f.exclude),
    nodes: strings(f.nodes),
    sources: strings(f.sources),
  };
  if (f.ignoreCase === true) filters.ignoreCase = true;
  if (level) filters.level = level;
  const from = time(f.from);
  const to = time(f.to);
  if (from !== undefined) filters.from = from;
  if (to !== undefined) filters.to = to;
  return { ...(typeof r.bundle === 'string' && { bundle: r.bundle }), filters };
}

/** True when the view shows every line of the bundle. */
export function unfiltered(f: ViewFilters): boolean {
  return (
    f.include.length + f.exclude.length + f.nodes.length + f.sources.length === 0 && !f.level && f.from === undefined && f.to === undefined
  );
}

const cut = (s: string, n = 32) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/**
 * The filters in a few words, for the tab label and the status bar: `+pid: 65380 −srvr ≥E nodes 241,242
 * zookeeper 01:30–02:00`. A regex may come from a log line (Hide Lines Like This): controls are made visible.
 */
export function filtersSummary(f: ViewFilters, nodeName: (node: string) => string = (n) => n): string {
  const parts: string[] = [];
  for (const re of f.include) parts.push(`+${cut(re)}`);
  for (const re of f.exclude) parts.push(`−${cut(re)}`);
  if (f.ignoreCase) parts.push('(ignore case)');
  if (f.level) parts.push(`≥${f.level}`);
  if (f.nodes.length) parts.push(`nodes ${f.nodes.map(nodeName).join(',')}`);
  if (f.sources.length) parts.push(f.sources.join(','));
  if (f.from !== undefined || f.to !== undefined)
    parts.push(`${f.from === undefined ? '…' : formatHuman(f.from)}–${f.to === undefined ? '…' : formatHuman(f.to)}`);
  return visibleControls(parts.join(' '));
}

/**
 * The document's title (its URI path's last segment is the tab label): `Cluster Log` or `Cluster Log · …`,
 * with no `/` (it would split the path) and no `?` or `#` (they would end it).
 */
export function viewTitle(f: ViewFilters, nodeName?: (node: string) => string): string {
  const summary = filtersSummary(f, nodeName);
  return `Cluster Log${summary ? ` · ${summary}` : ''}`.replace(/\//g, '∕').replace(/\\/g, '∖').replace(/[?#%]/g, '＿');
}
