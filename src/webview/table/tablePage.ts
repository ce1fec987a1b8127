import { visibleControls } from '../../core/inertText';
import { LABEL_COLUMN, cellText, sortedRows, type ResultTable, type TableSort } from '../../core/workflows/resultTable';
import { plural } from '../../core/plural';
import {
  parseResultTable,
  parseTableState,
  type CopyFormat,
  type HostToTable,
  type TableState,
  type TableToHost,
} from '../../shared/tableProtocol';
import { countChart } from './barChart';

export interface VsCodeApi {
  postMessage(message: TableToHost): void;
  getState(): unknown;
  setState(state: unknown): void;
}

const sameSearch = (a: ResultTable, b: ResultTable) => a.kind === b.kind && a.title === b.title && a.query === b.query;

/**
 * The result table page: a table sorted by clicking (or Enter / Space on) a column header — numbers as
 * numbers, stable, the "all nodes" row last, `aria-sort` on the sorted column — its notes above it, and for
 * a count the bars per node and bucket under it. Built with DOM calls and `textContent` only: a node named
 * `<img src=x onerror=…>` shows as those characters. It keeps the table and its sort in `setState`, so it
 * draws at once when shown again; copying is the host's (the page says which format and the order shown).
 */
export class TablePage {
  private table: ResultTable | undefined;
  private sort: TableSort | undefined;
  private readonly status: HTMLElement;
  private readonly head: HTMLTableSectionElement;
  private readonly body: HTMLTableSectionElement;
  private readonly chart: HTMLElement;
  private readonly page: HTMLElement;
  private chartWidth = 0;

  constructor(
    private readonly doc: Document,
    private readonly vscode: VsCodeApi,
  ) {
    this.status = byId(doc, 'status');
    const table = byId(doc, 'table') as HTMLTableElement;
    this.head = table.tHead ?? table.createTHead();
    this.body = table.tBodies[0] ?? table.createTBody();
    this.chart = byId(doc, 'chart');
    const copy = (id: string, format: CopyFormat) =>
      byId(doc, id).addEventListener('click', () =>
        this.vscode.postMessage({ type: 'copy', format, ...(this.sort && { sort: this.sort }) }),
      );
    copy('copyCsv', 'csv');
    copy('copyMarkdown', 'markdown');
    copy('copyJson', 'json');
    // The chart fills the page's width: drawn again when that changes.
    this.page = byId(doc, 'page');
    new ResizeObserver(() => {
      if (this.page.clientWidth !== this.chartWidth) this.drawChart();
    }).observe(this.page);
    const saved = parseTableState(this.vscode.getState());
    if (saved) this.show(saved.table, saved.sort);
  }

  /** Tells the host the page listens: it answers with the table. */
  ready(): void {
    this.vscode.postMessage({ type: 'ready' });
  }

  onMessage(m: HostToTable): void {
    switch (m.type) {
      case 'status':
        this.status.textContent = m.message;
        return;
      case 'table': {
        const table = parseResultTable(m.table);
        if (!table) return;
        // The same search again (or the host answering "ready"): keep the sort the reader chose.
        const keep = this.table && sameSearch(this.table, table) && this.sort && this.sort.column < table.columns.length;
        this.show(table, keep ? this.sort : undefined);
        return;
      }
    }
  }

  private show(table: ResultTable, sort: TableSort | undefined): void {
    this.table = table;
    this.sort = sort;
    byId(this.doc, 'title').textContent = table.title;
    const query = byId(this.doc, 'query');
    const code = this.doc.createElement('code');
    code.textContent = visibleControls(table.query);
    query.replaceChildren(table.kind === 'count' ? 'Matches of ' : 'Numbers captured by ', code);
    const notes = byId(this.doc, 'notes');
    notes.replaceChildren(
      ...table.notes.map((n) => {
        const li = this.doc.createElement('li');
        li.textContent = visibleControls(n);
        return li;
      }),
    );
    notes.hidden = table.notes.length === 0;
    byId(this.doc, 'tableWrap').hidden = table.rows.length === 0;
    this.renderHead();
    this.renderBody();
    this.drawChart();
    const nodes = table.rows.filter((r) => !r.summary).length;
    this.status.textContent = plural(nodes, 'node', 'nodes');
    this.saveState();
  }

  /** The header: one button per column (label column first), the sorted one marked with `aria-sort` and an arrow. */
  private renderHead(): void {
    const t = this.table;
    if (!t) return;
    const tr = this.doc.createElement('tr');
    const columns = [{ label: t.rowHeader, numeric: false }, ...t.columns];
    columns.forEach((c, k) => {
      const index = k - 1; // LABEL_COLUMN for the first
      const th = this.doc.createElement('th');
      th.scope = 'col';
      th.className = c.numeric ? 'numeric' : 'text';
      const button = this.doc.createElement('button');
      button.type = 'button';
      button.className = 'sort';
      button.dataset.column = String(index);
      button.title = `Sort by ${visibleControls(c.label)}`;
      const label = this.doc.createElement('span');
      label.className = 'label';
      // An hour bucket ("2023-03-14 01:00") as a small date over the hour: a column per hour stays narrow.
      const [date, hour] = visibleControls(c.label).split(' ', 2);
      if ('bucket' in c && c.bucket && hour) {
        const small = this.doc.createElement('span');
        small.className = 'date';
        small.textContent = date;
        label.append(small, ` ${hour}`);
      } else label.textContent = visibleControls(c.label);
      const arrow = this.doc.createElement('span');
      arrow.className = 'arrow';
      arrow.setAttribute('aria-hidden', 'true');
      button.append(label, arrow);
      button.addEventListener('click', () => this.sortBy(index));
      th.append(button);
      tr.append(th);
    });
    this.head.replaceChildren(tr);
    this.markSorted();
  }

  /** `aria-sort` on the sorted column only (as the ARIA sortable-table pattern has it), arrows to match. */
  private markSorted(): void {
    for (const th of Array.from(this.head.querySelectorAll('th'))) {
      const button = th.querySelector('button');
      const index = Number(button?.dataset.column);
      const sorted = this.sort?.column === index;
      if (sorted && this.sort) th.setAttribute('aria-sort', this.sort.direction);
      else th.removeAttribute('aria-sort');
      const arrow = th.querySelector('.arrow');
      if (arrow) arrow.textContent = sorted ? (this.sort?.direction === 'ascending' ? '▲' : '▼') : '';
    }
  }

  private renderBody(): void {
    const t = this.table;
    if (!t) return;
    const rows = sortedRows(t, this.sort).map((r) => {
      const tr = this.doc.createElement('tr');
      tr.dataset.row = r.id;
      if (r.summary) tr.className = 'summary';
      const th = this.doc.createElement('th');
      th.scope = 'row';
      th.textContent = visibleControls(r.label);
      tr.append(th);
      r.cells.forEach((cell, i) => {
        const td = this.doc.createElement('td');
        td.className = `${t.columns[i].numeric ? 'numeric' : 'text'}${cell === 0 ? ' zero' : ''}`;
        td.textContent = cellText(cell);
        tr.append(td);
      });
      return tr;
    });
    this.body.replaceChildren(...rows);
  }

  /**
   * A header click: another column sorts numbers largest first (what an investigator looks for) and node
   * names A→Z; the same column again reverses. Focus stays on the header (only the rows are rebuilt).
   */
  sortBy(column: number): void {
    const t = this.table;
    if (!t || column < LABEL_COLUMN || column >= t.columns.length) return;
    const numeric = column !== LABEL_COLUMN && t.columns[column].numeric;
    const direction: TableSort['direction'] =
      this.sort?.column === column
        ? this.sort.direction === 'ascending'
          ? 'descending'
          : 'ascending'
        : numeric
          ? 'descending'
          : 'ascending';
    this.sort = { column, direction };
    this.markSorted();
    this.renderBody();
    this.drawChart();
    const name = column === LABEL_COLUMN ? t.rowHeader : t.columns[column].label;
    this.status.textContent = `Sorted by ${visibleControls(name)}, ${direction}.`;
    this.saveState();
  }

  private drawChart(): void {
    const t = this.table;
    this.chartWidth = this.page.clientWidth;
    const css = getComputedStyle(this.chart);
    const svg = t && countChart(this.doc, t, sortedRows(t, this.sort), this.chartWidth, `12px ${css.fontFamily}`);
    this.chart.hidden = !svg;
    if (!svg) {
      this.chart.replaceChildren();
      return;
    }
    const caption = this.doc.createElement('h2');
    caption.textContent = 'Matches per node and bucket';
    this.chart.replaceChildren(caption, svg);
  }

  private saveState(): void {
    if (!this.table) return;
    const state: TableState = { table: this.table, ...(this.sort && { sort: this.sort }) };
    this.vscode.setState(state);
  }
}

function byId(doc: Document, id: string): HTMLElement {
  const e = doc.getElementById(id);
  if (!e) throw new Error(`no #${id}`);
  return e;
}
