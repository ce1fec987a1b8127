import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { TimelineRequest } from '../shared/protocol';
import type { OverlapKey } from '../shared/reportProtocol';
import { parseWebviewMessage, type HostToWebview, type TimelineData, type ViewRange } from '../shared/webviewProtocol';
import { request } from './languageClient';
import { openAt } from './openSource';
import { openSidesAtStart } from './overlapPicker';
import { timelineHtml } from './timelineHtml';
import { attachTimeline, pickTime, timelineCursor, type TimelineCursor } from './timeSyncTimeline';
import { uiText } from '../core/inertText';

export const TIMELINE_VIEW_TYPE = 'quorumLens.timeline';

/** The command that opens an overlap's report, given the overlap's `OverlapKey`. */
const EXPLAIN_OVERLAP_COMMAND = 'quorumLens.explainOverlap';

/**
 * The one Leader Timeline panel. Its data comes from the language server's index (a typed request),
 * never from rereading files; its zoom and scroll live in the webview's own state, so the panel needs no
 * retainContextWhenHidden and a serializer brings it back after a reload.
 */
export class TimelinePanel {
  private static current: TimelinePanel | undefined;
  private data: TimelineData | undefined;
  private pendingFocus: (ViewRange & { overlap?: number }) | undefined;
  private ready = false;
  /** The bundle shown when the workspace has several. */
  private chosenRoot: string | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  static show(context: vscode.ExtensionContext, client: LanguageClient, focus?: ViewRange & { overlap?: number }): void {
    if (TimelinePanel.current) {
      TimelinePanel.current.panel.reveal();
      if (focus) TimelinePanel.current.focus(focus);
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      TIMELINE_VIEW_TYPE,
      'Leader Timeline',
      vscode.ViewColumn.Active,
      TimelinePanel.options(context),
    );
    TimelinePanel.current = new TimelinePanel(panel, context, client, focus);
  }

  /** Restores a panel VS Code kept across a reload (the webview restores its own view state). */
  static revive(panel: vscode.WebviewPanel, context: vscode.ExtensionContext, client: LanguageClient): void {
    panel.webview.options = TimelinePanel.options(context);
    TimelinePanel.current = new TimelinePanel(panel, context, client);
  }

  /** Scrolls an open timeline to a moment (Show Cluster Context); does nothing when none is open. */
  static focusIfOpen(range: ViewRange): void {
    TimelinePanel.current?.focus(range);
  }

  /** Re-sends data after the index changed. */
  static refresh(): void {
    void TimelinePanel.current?.load();
  }

  private static options(context: vscode.ExtensionContext): vscode.WebviewOptions & vscode.WebviewPanelOptions {
    return {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(context.extensionUri, 'media'), vscode.Uri.joinPath(context.extensionUri, 'dist')],
    };
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    context: vscode.ExtensionContext,
    private readonly client: LanguageClient,
    focus?: ViewRange & { overlap?: number },
  ) {
    this.pendingFocus = focus;
    const webview = panel.webview;
    webview.html = timelineHtml({
      cspSource: webview.cspSource,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(context.extensionUri, 'dist', 'webview.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(context.extensionUri, 'media', 'timeline.css')).toString(),
      nonce: randomBytes(16).toString('base64'),
    });
    this.disposables.push(
      webview.onDidReceiveMessage((raw) => this.onMessage(raw)),
      attachTimeline((c) => this.postCursor(c)),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  private post(m: HostToWebview): void {
    void this.panel.webview.postMessage(m);
  }

  /** Time sync's cursor line (or none) and whether a click picks a moment. */
  private postCursor(c: TimelineCursor = timelineCursor()): void {
    if (this.ready && this.data) this.post({ type: 'cursor', ...c });
  }

  private focus(f: ViewRange & { overlap?: number }): void {
    // A hidden panel's page is unloaded (no retainContextWhenHidden): keep the focus for the init it
    // asks for when shown again.
    if (this.ready && this.panel.visible) this.post({ type: 'focus', ...f });
    else this.pendingFocus = f;
  }

  private async load(): Promise<void> {
    if (!this.ready) return;
    this.post({ type: 'status', message: 'Loading the index…' });
    const bundles = await request(this.client, TimelineRequest, {});
    this.data = await this.chooseBundle(bundles);
    if (!this.data) {
      this.post({ type: 'status', message: 'No bundle is indexed in this workspace.' });
      return;
    }
    this.panel.title = `Leader Timeline — ${uiText(this.data.bundle.split(/[\\/]/).pop() ?? this.data.bundle)}`;
    this.post({ type: 'init', data: this.data, focus: this.pendingFocus });
    this.pendingFocus = undefined;
    this.postCursor();
  }

  /**
   * With several bundles open, the timeline shows one: the one chosen before (kept across reloads of the
   * index), else the one the user picks. A "no" about one bundle must not pass for all of them.
   */
  private async chooseBundle(bundles: readonly TimelineData[]): Promise<TimelineData | undefined> {
    if (bundles.length <= 1) return bundles[0];
    const kept = bundles.find((b) => b.bundle === this.chosenRoot);
    if (kept) return kept;
    const picked = await vscode.window.showQuickPick(
      bundles.map((b) => ({ label: uiText(b.bundle.split(/[\\/]/).pop() ?? b.bundle), description: uiText(b.bundle), data: b })),
      { title: 'Leader Timeline', placeHolder: `${bundles.length} bundles are open: which one?` },
    );
    this.chosenRoot = (picked?.data ?? bundles[0]).bundle;
    return picked?.data ?? bundles[0];
  }

  private async onMessage(raw: unknown): Promise<void> {
    const m = parseWebviewMessage(raw);
    if (!m) return; // not one of ours, or malformed: ignore
    switch (m.type) {
      case 'ready':
        this.ready = true;
        await this.load();
        return;
      case 'pickTime':
        pickTime(m.time);
        return;
      case 'openLine':
        await openAt({ uri: m.uri, file: '', line: m.line }, vscode.ViewColumn.Beside);
        return;
      case 'openOverlap': {
        const o = this.data?.overlaps[m.overlap];
        const data = this.data;
        if (!o || !data) return;
        const column = this.panel.viewColumn ?? vscode.ViewColumn.One;
        const items = o.items.map((id) => data.items[id]).filter((it) => it !== undefined);
        // Both sides at the overlap's start, in sync (as the overlaps quick pick opens them), beside the panel.
        const sides = items.map((it) => ({
          loc: { uri: data.files[it.file].uri, file: data.files[it.file].path, line: it.line },
          start: it.start,
        }));
        await openSidesAtStart(sides, o.start, (i) => Math.min(column + 1 + i, 9));
        return;
      }
      case 'explainOverlap': {
        // The page names an overlap by index only: what the command gets comes from the host's own data.
        const o = this.data?.overlaps[m.overlap];
        if (!o) return;
        // Named as the core names it: the two nodes sorted, the start with clock offsets applied.
        const key: OverlapKey = { role: o.role, nodes: [o.nodes[0], o.nodes[1]], start: o.start };
        try {
          await vscode.commands.executeCommand(EXPLAIN_OVERLAP_COMMAND, key);
        } catch (e) {
          void vscode.window.showErrorMessage(
            `Quorum Lens: could not explain the overlap: ${uiText(e instanceof Error ? e.message : String(e))}`,
          );
        }
        return;
      }
    }
  }

  private dispose(): void {
    TimelinePanel.current = undefined;
    for (const d of this.disposables) d.dispose();
  }
}
