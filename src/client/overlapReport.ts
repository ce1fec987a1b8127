import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { uiText } from '../core/inertText';
import { ExplainOverlapRequest, type OverlapReportWithMarkdown, type SourceLocation } from '../shared/protocol';
import { parseReportMessage, parseReportState, type HostToReport, type OverlapKey } from '../shared/reportProtocol';
import { request } from './languageClient';
import { openAt } from './openSource';
import { copyFromPanel, panelOptions, panelPageOptions } from './panelPage';
import { webviewPage, type WebviewPageOptions } from './webviewPage';

export const REPORT_VIEW_TYPE = 'quorumLens.overlapReport';

export type ReportHtmlOptions = WebviewPageOptions;

/** The report page: the toolbar and an empty report the script fills from the structured report. No data in it. */
export function reportHtml(o: ReportHtmlOptions): string {
  return webviewPage(o, {
    title: 'Overlap report',
    body: `<div id="toolbar" role="toolbar" aria-label="Overlap report">
  <button id="copyMarkdown" class="primary" type="button" title="Copy the report as Markdown, for an incident ticket">Copy as Markdown</button>
  <button id="copyJson" type="button" title="Copy the report's data as JSON">Copy as JSON</button>
  <span id="status" aria-live="polite">Loading…</span>
</div>
<main id="report"></main>`,
  });
}

/** Every line the report shows, as `uri#line`: the only lines its page may ask to open. */
function reportLines(r: OverlapReportWithMarkdown): Set<string> {
  const out = new Set<string>();
  const add = (l: SourceLocation) => out.add(`${l.uri}#${l.line}`);
  const o = r.overlap;
  for (const iv of o.intervals) {
    add(iv.startSource);
    add(iv.endSource);
    for (const p of iv.phases ?? []) add(p.source);
  }
  for (const e of o.stale?.evidence ?? []) add(e.location);
  for (const s of o.silences) {
    add(s.before);
    add(s.after);
  }
  for (const f of o.faults) add(f.source);
  for (const l of [...r.states, ...r.sessions]) add(l.location);
  return out;
}

const keyString = (k: OverlapKey) => JSON.stringify([k.role, k.nodes[0], k.nodes[1], k.start]);

/**
 * One webview panel per overlap: both terms, the stale side and its evidence, silences, faults, states,
 * sessions and clocks, every line one click from its source, and the report's Markdown one click from the
 * clipboard. Its data comes from the language server; the page keeps only which overlap and its scroll
 * (`setState`), so it needs no retainContextWhenHidden and a serializer brings it back after a reload.
 */
export class OverlapReportPanel {
  private static readonly open = new Map<string, OverlapReportPanel>();
  private report: OverlapReportWithMarkdown | undefined;
  private problem: string | undefined;
  private lines = new Set<string>();
  private ready = false;
  private readonly disposables: vscode.Disposable[] = [];

  /** Opens the report of one overlap, or reveals the panel already showing it. */
  static async show(context: vscode.ExtensionContext, client: LanguageClient, key: OverlapKey): Promise<void> {
    const id = keyString(key);
    const existing = OverlapReportPanel.open.get(id);
    if (existing) {
      existing.panel.reveal();
      return;
    }
    const report = await OverlapReportPanel.fetch(client, key);
    if (!report) return;
    // A second request for the same overlap may have opened it while this one waited.
    const raced = OverlapReportPanel.open.get(id);
    if (raced) {
      raced.panel.reveal();
      return;
    }
    const panel = vscode.window.createWebviewPanel(REPORT_VIEW_TYPE, titleOf(report), vscode.ViewColumn.Active, panelOptions(context));
    new OverlapReportPanel(panel, context, key, report);
  }

  /** A panel VS Code kept across a reload: its page's state names the overlap, the server answers again. */
  static revive(panel: vscode.WebviewPanel, context: vscode.ExtensionContext, client: LanguageClient, state: unknown): void {
    const saved = parseReportState(state);
    if (!saved) {
      panel.dispose();
      return;
    }
    panel.webview.options = panelOptions(context);
    const p = new OverlapReportPanel(panel, context, saved.key);
    void OverlapReportPanel.fetch(client, saved.key, false).then((r) => p.setReport(r));
  }

  /** The server's report of the overlap; with several bundles holding it, the one the user picks. */
  private static async fetch(client: LanguageClient, key: OverlapKey, ask = true): Promise<OverlapReportWithMarkdown | undefined> {
    let result;
    try {
      result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: 'Quorum Lens: explaining the overlap' },
        () => request(client, ExplainOverlapRequest, { role: key.role, nodes: key.nodes, start: key.start }),
      );
    } catch (e) {
      void vscode.window.showErrorMessage(`Quorum Lens: cannot explain the overlap: ${uiText((e as Error).message)}`);
      return undefined;
    }
    for (const w of result.warnings) void vscode.window.showWarningMessage(`Quorum Lens: ${uiText(w)}`);
    if (result.reports.length === 0) {
      if (ask)
        void vscode.window.showWarningMessage(
          `Quorum Lens: no ${uiText(key.role)} overlap of ${uiText(key.nodes.join(' and '))} starts there (the bundle was reindexed?): find it again with Find Leader Overlaps.`,
        );
      return undefined;
    }
    if (result.reports.length === 1 || !ask) return result.reports[0];
    const picked = await vscode.window.showQuickPick(
      result.reports.map((r) => ({ label: uiText(r.overlap.bundle ?? ''), report: r })),
      { title: 'Explain Overlap', placeHolder: 'The same overlap is in several bundles: which one?' },
    );
    return picked?.report;
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    context: vscode.ExtensionContext,
    private readonly key: OverlapKey,
    report?: OverlapReportWithMarkdown,
  ) {
    OverlapReportPanel.open.set(keyString(key), this);
    const webview = panel.webview;
    webview.html = reportHtml(panelPageOptions(webview, context, 'report.js', 'report.css'));
    this.disposables.push(
      webview.onDidReceiveMessage((raw) => this.onMessage(raw)),
      panel.onDidDispose(() => this.dispose()),
    );
    if (report) this.setReport(report);
  }

  private setReport(report: OverlapReportWithMarkdown | undefined): void {
    if (!report) {
      this.problem = `No ${this.key.role} overlap of ${this.key.nodes.join(' and ')} starts there any more (the bundle was reindexed?).`;
      this.send();
      return;
    }
    this.report = report;
    this.lines = reportLines(report);
    this.panel.title = titleOf(report);
    this.send();
  }

  private send(): void {
    if (!this.ready) return; // the page asks with "ready" once it listens
    if (this.report) this.post({ type: 'report', key: this.key, report: this.report });
    else if (this.problem) this.post({ type: 'problem', message: this.problem });
  }

  private post(m: HostToReport): void {
    void this.panel.webview.postMessage(m);
  }

  private async onMessage(raw: unknown): Promise<void> {
    const m = parseReportMessage(raw);
    if (!m) return; // not one of ours, or malformed: ignore
    switch (m.type) {
      case 'ready':
        // Sent again each time the page is shown (a hidden page is unloaded).
        this.ready = true;
        this.send();
        return;
      case 'openLine': {
        // Only a line the report holds, so only a file of the report's own bundle.
        if (!this.lines.has(`${m.uri}#${m.line}`)) return;
        await openAt({ uri: m.uri, file: '', line: m.line }, vscode.ViewColumn.Beside);
        return;
      }
      case 'copy': {
        if (!this.report) return;
        const { markdown, ...data } = this.report;
        const text = m.format === 'markdown' ? markdown : JSON.stringify(data, null, 2) + '\n';
        await copyFromPanel(text, 'report', m.format === 'markdown' ? 'Markdown' : 'JSON', (message) =>
          this.post({ type: 'status', message }),
        );
        return;
      }
    }
  }

  private dispose(): void {
    OverlapReportPanel.open.delete(keyString(this.key));
    for (const d of this.disposables) d.dispose();
  }
}

/** "Overlap: 172.20.131.241 ∩ 172.20.131.243". */
function titleOf(r: OverlapReportWithMarkdown): string {
  return `Overlap: ${uiText(r.overlap.nodeLabels[0])} ∩ ${uiText(r.overlap.nodeLabels[1])}`;
}
