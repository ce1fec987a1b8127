import * as vscode from 'vscode';
import { uiText } from '../core/inertText';
import { countTable, statsTable, tableCsv, tableJson, tableMarkdown, type ResultTable } from '../core/workflows/resultTable';
import type { CountResult, StatsResult } from '../shared/protocol';
import { parseTableMessage, parseTableState, type CopyFormat, type HostToTable } from '../shared/tableProtocol';
import { copyFromPanel, panelOptions, panelPageOptions } from './panelPage';
import { tableHtml } from './tableHtml';

export const RESULT_TABLE_VIEW_TYPE = 'quorumLens.resultTable';

const FORMAT_NAMES: Record<CopyFormat, string> = { csv: 'CSV', markdown: 'Markdown', json: 'JSON' };

/** One panel per search: the same count or statistics run again refreshes its panel instead of opening another. */
const keyOf = (t: ResultTable) => JSON.stringify([t.kind, t.title, t.query]);

/**
 * Count per Node and Numeric Statistics as a sortable table with a bar chart, in a webview that follows the
 * theme. The table is computed once (src/core/workflows/resultTable.ts); the page shows it and keeps it,
 * with its sort, in its state (`setState`), so it needs no retainContextWhenHidden and a serializer brings
 * it back after a reload without searching again. Copying happens here: the page only asks.
 */
export class ResultTablePanel {
  private static readonly open = new Map<string, ResultTablePanel>();
  private ready = false;
  private readonly disposables: vscode.Disposable[] = [];

  /** Opens Count per Node's answer as a table (or refreshes the panel already showing that count). */
  static showCount(context: vscode.ExtensionContext, r: CountResult, column: vscode.ViewColumn = vscode.ViewColumn.Active): void {
    ResultTablePanel.show(context, countTable(r), column);
  }

  /** Opens Numeric Statistics' answer as a table (or refreshes the panel already showing those statistics). */
  static showStats(context: vscode.ExtensionContext, r: StatsResult, column: vscode.ViewColumn = vscode.ViewColumn.Active): void {
    ResultTablePanel.show(context, statsTable(r), column);
  }

  /** Shows a table: in the panel already showing the same search, else in a new one. */
  static show(context: vscode.ExtensionContext, table: ResultTable, column: vscode.ViewColumn = vscode.ViewColumn.Active): void {
    const existing = ResultTablePanel.open.get(keyOf(table));
    if (existing) {
      existing.setTable(table);
      existing.panel.reveal(column);
      return;
    }
    const panel = vscode.window.createWebviewPanel(RESULT_TABLE_VIEW_TYPE, titleOf(table), column, panelOptions(context));
    new ResultTablePanel(panel, context, table);
  }

  /** A panel VS Code kept across a reload: its page's state holds the table; without one it closes. */
  static revive(panel: vscode.WebviewPanel, context: vscode.ExtensionContext, state: unknown): void {
    const saved = parseTableState(state);
    if (!saved || ResultTablePanel.open.has(keyOf(saved.table))) {
      panel.dispose();
      return;
    }
    panel.webview.options = panelOptions(context);
    new ResultTablePanel(panel, context, saved.table);
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    context: vscode.ExtensionContext,
    private table: ResultTable,
  ) {
    ResultTablePanel.open.set(keyOf(table), this);
    const webview = panel.webview;
    panel.title = titleOf(table);
    webview.html = tableHtml(panelPageOptions(webview, context, 'table.js', 'table.css'));
    this.disposables.push(
      webview.onDidReceiveMessage((raw) => this.onMessage(raw)),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  private setTable(table: ResultTable): void {
    this.table = table;
    this.panel.title = titleOf(table);
    this.send();
  }

  private send(): void {
    if (this.ready) this.post({ type: 'table', table: this.table }); // the page asks with "ready" once it listens
  }

  private post(m: HostToTable): void {
    void this.panel.webview.postMessage(m);
  }

  private async onMessage(raw: unknown): Promise<void> {
    const m = parseTableMessage(raw);
    if (!m) return; // not one of ours, or malformed: ignore
    switch (m.type) {
      case 'ready':
        // Sent again each time the page is shown (a hidden page is unloaded).
        this.ready = true;
        this.send();
        return;
      case 'copy': {
        const text = { csv: tableCsv, markdown: tableMarkdown, json: tableJson }[m.format](this.table, m.sort);
        await copyFromPanel(text, 'table', FORMAT_NAMES[m.format], (message) => this.post({ type: 'status', message }));
        return;
      }
    }
  }

  private dispose(): void {
    if (ResultTablePanel.open.get(keyOf(this.table)) === this) ResultTablePanel.open.delete(keyOf(this.table));
    for (const d of this.disposables) d.dispose();
  }
}

/** "Count: Exception when following the leader", "Statistics: GC pause ([0-9.]+)": bundle-free, but user text. */
function titleOf(t: ResultTable): string {
  const query = t.query.length > 48 ? `${t.query.slice(0, 47)}…` : t.query;
  return `${t.kind === 'count' ? 'Count' : 'Statistics'}: ${uiText(query)}`;
}
