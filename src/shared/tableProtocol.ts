/**
 * Messages between the result table panel's host (src/client/tableView.ts) and its webview
 * (src/webview/table/), as discriminated unions per direction, and the state the page keeps. What arrives
 * from the webview or from a restored panel's state is checked at runtime before anything acts on it: a
 * webview is a web page, and node names from the bundle pass through it.
 */
import {
  LABEL_COLUMN,
  type ResultTable,
  type TableCell,
  type TableColumn,
  type TableRow,
  type TableSort,
} from '../core/workflows/resultTable';

export type CopyFormat = 'csv' | 'markdown' | 'json';

export type HostToTable =
  /** The table to show (again each time the page says ready: a hidden page is unloaded). */
  { type: 'table'; table: ResultTable } | { type: 'status'; message: string };

export type TableToHost =
  | { type: 'ready' }
  /** Put the table on the clipboard, rows in the order the page shows them. */
  | { type: 'copy'; format: CopyFormat; sort?: TableSort };

/** What the page keeps across hiding and reloads (`vscode.setState`): the table, and how it is sorted. */
export interface TableState {
  table: ResultTable;
  sort?: TableSort;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');
const isCell = (v: unknown): v is TableCell => v === null || typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));

/** `{ column, direction }` if `raw` is a sort, else undefined (the column is checked against a table where one is known). */
export function parseTableSort(raw: unknown, columns?: number): TableSort | undefined {
  if (!isRecord(raw)) return undefined;
  const { column, direction } = raw;
  if (typeof column !== 'number' || !Number.isInteger(column) || column < LABEL_COLUMN) return undefined;
  if (columns !== undefined && column >= columns) return undefined;
  if (direction !== 'ascending' && direction !== 'descending') return undefined;
  return { column, direction };
}

function parseColumn(raw: unknown): TableColumn | undefined {
  if (!isRecord(raw) || typeof raw.id !== 'string' || typeof raw.label !== 'string' || typeof raw.numeric !== 'boolean') return undefined;
  return { id: raw.id, label: raw.label, numeric: raw.numeric, ...(raw.bucket === true && { bucket: true as const }) };
}

function parseRow(raw: unknown, columns: number): TableRow | undefined {
  if (!isRecord(raw) || typeof raw.id !== 'string' || typeof raw.label !== 'string') return undefined;
  const cells: unknown = raw.cells;
  if (!Array.isArray(cells) || cells.length !== columns || !cells.every(isCell)) return undefined;
  return { id: raw.id, label: raw.label, cells: [...cells], ...(raw.summary === true && { summary: true as const }) };
}

/** A table if `raw` is exactly one (every row as wide as the columns), else undefined. Only known fields are kept. */
export function parseResultTable(raw: unknown): ResultTable | undefined {
  if (!isRecord(raw)) return undefined;
  const { kind, title, query, rowHeader, notes } = raw;
  if (kind !== 'count' && kind !== 'stats') return undefined;
  if (typeof title !== 'string' || typeof query !== 'string' || typeof rowHeader !== 'string' || !isStringArray(notes)) return undefined;
  const rawColumns: unknown = raw.columns;
  const rawRows: unknown = raw.rows;
  if (!Array.isArray(rawColumns) || !Array.isArray(rawRows)) return undefined;
  const columns = rawColumns.map(parseColumn);
  if (!columns.every((c): c is TableColumn => c !== undefined)) return undefined;
  const rows = rawRows.map((r) => parseRow(r, columns.length));
  if (!rows.every((r): r is TableRow => r !== undefined)) return undefined;
  return { kind, title, query, rowHeader, columns, rows, notes: [...notes] };
}

/** The webview's message if it is well-formed, else undefined (and it is ignored). */
export function parseTableMessage(raw: unknown): TableToHost | undefined {
  if (!isRecord(raw)) return undefined;
  switch (raw.type) {
    case 'ready':
      return { type: 'ready' };
    case 'copy': {
      if (raw.format !== 'csv' && raw.format !== 'markdown' && raw.format !== 'json') return undefined;
      if (raw.sort === undefined) return { type: 'copy', format: raw.format };
      const sort = parseTableSort(raw.sort);
      return sort && { type: 'copy', format: raw.format, sort };
    }
    default:
      return undefined;
  }
}

/** A restored panel's state if it holds a table (and a sort that fits it), else undefined. */
export function parseTableState(raw: unknown): TableState | undefined {
  if (!isRecord(raw)) return undefined;
  const table = parseResultTable(raw.table);
  if (!table) return undefined;
  const sort = parseTableSort(raw.sort, table.columns.length);
  return { table, ...(sort && { sort }) };
}
