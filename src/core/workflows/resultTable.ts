/**
 * Count per Node and Numeric Statistics as one table model — columns, rows of cells, the notes that say what
 * the answer does not cover — and the text it is copied as (CSV, Markdown, JSON). The editor's table panel,
 * its page and the tests all use this one home, so what is shown, sorted and copied is the same table.
 * Cells hold numbers as numbers; they become text only through `numberText` (integers exactly).
 */
import { mdCode, mdText, visibleControls } from '../inertText';
import { numberText } from '../numberText';
import { plural } from '../plural';
import type { Bucket } from './countPerNode';
import type { NumberSummary } from './numericStats';

export type TableCell = number | string | null;

export interface TableColumn {
  id: string;
  label: string;
  /** Sorted as numbers and right-aligned. */
  numeric: boolean;
  /** One of Count's time buckets: drawn in the bar chart. */
  bucket?: true;
}

export interface TableRow {
  id: string;
  /** The node (its address or folder name): text from the bundle. */
  label: string;
  /** One cell per column, in column order. */
  cells: TableCell[];
  /** The row over every node: it stays last whatever the sort. */
  summary?: true;
}

export interface ResultTable {
  kind: 'count' | 'stats';
  /** "Count per node and day", "Numeric statistics per node". */
  title: string;
  /** The text or regex searched, as typed. */
  query: string;
  /** What the rows are ("node"): the header of the label column. */
  rowHeader: string;
  columns: TableColumn[];
  rows: TableRow[];
  /** What the table does not cover, or why it is empty: shown above it, never left out. */
  notes: string[];
}

/** The label column, as a sort's `column` (the others are indexes into `columns`). */
export const LABEL_COLUMN = -1;

export interface TableSort {
  column: number;
  direction: 'ascending' | 'descending';
}

/** What `countTable` reads: a `CountResult` (src/service/results.ts) has this shape. */
export interface CountTableInput {
  pattern: string;
  by: Bucket;
  buckets: readonly string[];
  nodes: readonly { node: string; label: string; total: number; counts: readonly number[] }[];
  undated: number;
  truncated: boolean;
  unreadable: readonly { file: string; message: string }[];
  problem?: string;
}

/** What `statsTable` reads: a `StatsResult` (src/service/results.ts) has this shape. */
export interface StatsTableInput {
  pattern: string;
  nodes: readonly ({ node: string; label: string } & NumberSummary)[];
  all?: NumberSummary;
  notNumbers: number;
  truncated: boolean;
  approximate?: string;
  problem?: string;
  unreadable: readonly { file: string; message: string }[];
}

const ALL_NODES = 'all nodes';
/** Unreadable files named one by one, up to this many; the rest are counted. */
const UNREADABLE_LISTED = 20;

/** Row ids: the node's name, unless several bundles repeat it (then its label, which names the bundle). */
function rowIds(nodes: readonly { node: string; label: string }[]): string[] {
  const taken = new Set<string>([ALL_NODES]);
  return nodes.map((n, i) => {
    const id = [n.node, n.label, `${n.label}#${i + 1}`].find((c) => !taken.has(c)) ?? `row ${i + 1}`;
    taken.add(id);
    return id;
  });
}

function unreadableNotes(list: readonly { file: string; message: string }[]): string[] {
  if (list.length === 0) return [];
  const named = list.slice(0, UNREADABLE_LISTED).map((u) => `${u.file}: ${u.message}`);
  const more =
    list.length > UNREADABLE_LISTED
      ? [`and ${plural(list.length - UNREADABLE_LISTED, 'more unreadable file', 'more unreadable files')}`]
      : [];
  return [`${plural(list.length, 'file', 'files')} could not be read (left out):`, ...named, ...more];
}

/** Count per Node as a table: a row per node and one over all nodes, a column per bucket and the total. */
export function countTable(r: CountTableInput): ResultTable {
  const columns: TableColumn[] = [
    ...r.buckets.map((b): TableColumn => ({ id: b, label: b, numeric: true, bucket: true })),
    { id: 'total', label: 'total', numeric: true },
  ];
  const ids = rowIds(r.nodes);
  const rows: TableRow[] = r.nodes.map((n, i) => ({
    id: ids[i],
    label: n.label,
    cells: [...r.buckets.map((_, k) => n.counts[k] ?? 0), n.total],
  }));
  if (rows.length > 0)
    rows.push({
      id: ALL_NODES,
      label: ALL_NODES,
      cells: columns.map((_, k) => r.nodes.reduce((s, n) => s + (k < r.buckets.length ? (n.counts[k] ?? 0) : n.total), 0)),
      summary: true,
    });
  const notes: string[] = [];
  if (r.problem) notes.push(r.problem);
  else if (rows.length === 0) notes.push('No line matches.');
  if (r.undated) notes.push(`${plural(r.undated, 'match has', 'matches have')} no time: counted in the totals only.`);
  if (r.truncated) notes.push('The search stopped at its limit: these counts are partial.');
  notes.push(...unreadableNotes(r.unreadable));
  return { kind: 'count', title: `Count per node and ${r.by}`, query: r.pattern, rowHeader: 'node', columns, rows, notes };
}

const STAT_COLUMNS = ['count', 'sum', 'min', 'max', 'mean', 'median', 'p99'] as const;

/** Numeric Statistics as a table: a row per node and one over all nodes, a column per statistic. */
export function statsTable(r: StatsTableInput): ResultTable {
  const columns: TableColumn[] = STAT_COLUMNS.map((id) => ({ id, label: id, numeric: true }));
  const cells = (s: NumberSummary) => STAT_COLUMNS.map((c) => s[c]);
  const ids = rowIds(r.nodes);
  const rows: TableRow[] = r.nodes.map((n, i) => ({ id: ids[i], label: n.label, cells: cells(n) }));
  if (r.all) rows.push({ id: ALL_NODES, label: ALL_NODES, cells: cells(r.all), summary: true });
  const notes: string[] = [];
  if (r.problem) notes.push(r.problem);
  else if (!r.all) notes.push('No line matches with a number in the first capture group.');
  if (r.notNumbers) notes.push(`${plural(r.notNumbers, 'match', 'matches')} captured no number (left out).`);
  if (r.approximate) notes.push(`${r.approximate}.`);
  if (r.truncated) notes.push('The search stopped at its limit: the summary covers only the numbers read until then.');
  notes.push(...unreadableNotes(r.unreadable));
  return { kind: 'stats', title: 'Numeric statistics per node', query: r.pattern, rowHeader: 'node', columns, rows, notes };
}

/** Nulls last in either direction; numbers before text; text in natural order (`node2` before `node10`). */
function compareCells(a: TableCell, b: TableCell, sign: number): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  if (typeof a === 'number' && typeof b === 'number') return sign * (a - b);
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  return sign * a.localeCompare(b, 'en', { numeric: true });
}

/** The rows in the order `sort` asks (stable: equal rows keep their order), the summary row last. */
export function sortedRows(table: ResultTable, sort?: TableSort): TableRow[] {
  const body = table.rows.filter((r) => !r.summary);
  const pinned = table.rows.filter((r) => r.summary);
  if (!sort || sort.column < LABEL_COLUMN || sort.column >= table.columns.length) return [...body, ...pinned];
  const sign = sort.direction === 'ascending' ? 1 : -1;
  const key = (r: TableRow): TableCell => (sort.column === LABEL_COLUMN ? r.label : (r.cells[sort.column] ?? null));
  const keyed = body.map((row, i) => ({ row, i, key: key(row) }));
  keyed.sort((x, y) => compareCells(x.key, y.key, sign) || x.i - y.i);
  return [...keyed.map((k) => k.row), ...pinned];
}

/** A cell as the page shows it: numbers by the one rule, text with its control characters made visible. */
export function cellText(cell: TableCell): string {
  if (cell === null) return '';
  return typeof cell === 'number' ? numberText(cell) : visibleControls(cell);
}

/**
 * Text as one CSV field (RFC 4180): quoted when it holds a comma, quote, CR or LF, quotes doubled. Text that
 * a spreadsheet would run as a formula (starting with = + - @, tab or CR) gets a leading `'` first.
 */
export function csvField(s: string): string {
  const inert = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(inert) ? `"${inert.replace(/"/g, '""')}"` : inert;
}

/** A cell in CSV: a number as a number (a negative one stays a number), text as an inert field. */
function csvCell(cell: TableCell): string {
  if (cell === null) return '';
  return typeof cell === 'number' ? numberText(cell) : csvField(cell);
}

/** The table as CSV (RFC 4180: CRLF line ends, a header row), rows in the order `sort` asks. */
export function tableCsv(table: ResultTable, sort?: TableSort): string {
  const lines = [[table.rowHeader, ...table.columns.map((c) => c.label)].map(csvField).join(',')];
  for (const r of sortedRows(table, sort)) lines.push([csvField(r.label), ...r.cells.map(csvCell)].join(','));
  return lines.map((l) => `${l}\r\n`).join('');
}

/** A cell in a Markdown table: numbers by the one rule, text escaped (a `|` cannot split the cell, a backtick opens no code). */
function mdCell(cell: TableCell): string {
  if (cell === null) return '';
  return typeof cell === 'number' ? numberText(cell) : mdText(cell);
}

/** The table as Markdown for a ticket: its title and query, its notes, then the table; bundle text inert. */
export function tableMarkdown(table: ResultTable, sort?: TableSort): string {
  const out = [`**${mdText(table.title)}:** ${mdCode(table.query)}`, ''];
  if (table.notes.length) out.push(...table.notes.map((n) => `- ${mdText(n)}`), '');
  if (table.rows.length) {
    out.push(`| ${[table.rowHeader, ...table.columns.map((c) => c.label)].map(mdText).join(' | ')} |`);
    out.push(`|---|${table.columns.map((c) => (c.numeric ? '---:' : '---')).join('|')}|`);
    for (const r of sortedRows(table, sort)) {
      const label = r.summary ? `**${mdText(r.label)}**` : mdText(r.label);
      out.push(`| ${[label, ...r.cells.map(mdCell)].join(' | ')} |`);
    }
  }
  return out.join('\n') + '\n';
}

/** The table as JSON: the model itself, rows in the order `sort` asks, numbers exact. */
export function tableJson(table: ResultTable, sort?: TableSort): string {
  return JSON.stringify({ ...table, rows: sortedRows(table, sort) }, null, 2) + '\n';
}
