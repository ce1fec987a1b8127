import * as vscode from 'vscode';
import { plural } from '../core/plural';
import { uiText } from '../core/inertText';
import type { IndexStatus, SearchIndexStatus } from '../shared/protocol';

/**
 * "Quorum Lens: indexing…" as soon as the language server starts, then its progress and "5 nodes · 25 files ·
 * 20 leader intervals"; a click shows the summary. Hidden while there is nothing to index.
 */
export class IndexStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('quorumLens.status', vscode.StatusBarAlignment.Left, 10);
  private readonly timeline = vscode.window.createStatusBarItem('quorumLens.timeline', vscode.StatusBarAlignment.Left, 9);
  /** The ready item's tooltip, and the search index's line under it. */
  private readyTooltip: string | undefined;
  private searchLine = '';

  constructor() {
    this.timeline.name = 'Quorum Lens Timeline';
    this.timeline.text = '$(graph-line) Timeline';
    this.timeline.tooltip = 'Show Leader Timeline';
    this.timeline.command = 'quorumLens.showLeaderTimeline';
    this.item.name = 'Quorum Lens';
    this.item.command = 'quorumLens.showIndexSummary';
  }

  /** The server is starting: it indexes the bundle first, so that is what the item says. */
  starting(): void {
    this.item.text = '$(sync~spin) Quorum Lens: indexing…';
    this.item.tooltip = 'Quorum Lens is starting and will index the log bundle';
    this.item.show();
  }

  update(s: IndexStatus): void {
    this.item.show();
    if (s.state === 'indexing') {
      this.item.text =
        s.total > 0 ? `$(sync~spin) Quorum Lens: indexing ${s.done}/${s.total} files` : '$(sync~spin) Quorum Lens: indexing…';
      this.item.tooltip = 'Quorum Lens is indexing the log bundle';
    } else if (s.state === 'gone') {
      this.item.text = '$(warning) Bundle folder gone';
      this.item.tooltip = s.gone.map(uiText).join('\n');
      this.timeline.hide();
    } else if (s.state === 'empty') {
      this.item.text = '$(circle-slash) No logs indexed';
      this.item.tooltip = 'Quorum Lens found no log files in this workspace';
    } else {
      // A bundle whose nodes are in doubt (several machines in one folder) says so where the counts are.
      const doubt = (s.warnings ?? []).length > 0;
      this.item.text = `${doubt ? '$(warning)' : '$(pulse)'} ${plural(s.nodes, 'node')} · ${plural(s.files, 'file')} · ${plural(s.leaderIntervals, 'leader interval')}`;
      // Each line made inert on its own: a line break between them stays one (made inert, it showed as ␊).
      this.readyTooltip = ['Quorum Lens: click for the index summary', ...(s.layouts ?? []), ...(s.warnings ?? []), ...s.gone]
        .map(uiText)
        .join('\n');
      this.item.tooltip = this.withSearch();
      this.timeline.show();
      return;
    }
    this.readyTooltip = undefined;
  }

  /** The search index's build, after the event index: said in the ready item's tooltip. */
  search(s: SearchIndexStatus): void {
    const pct = s.totalBytes > 0 ? Math.floor((100 * s.doneBytes) / s.totalBytes) : 0;
    this.searchLine =
      s.state === 'building'
        ? `Search index: building (${pct} %) — until then, searches read every byte`
        : s.state === 'ready'
          ? readyLine(s.coverage)
          : `Search index: off — searches read every byte${s.note ? ` (${uiText(s.note)})` : ''}`;
    if (this.readyTooltip !== undefined) this.item.tooltip = this.withSearch();
  }

  private withSearch(): string {
    return [this.readyTooltip, this.searchLine].filter(Boolean).join('\n');
  }

  dispose(): void {
    this.item.dispose();
    this.timeline.dispose();
  }
}

/** The ready search index in words: what it covers, and that the rest is read whole (small files, `.gz`). */
function readyLine(c: SearchIndexStatus['coverage']): string {
  if (!c || c.coveredFiles === c.files) return 'Search index: ready — searches read only the blocks that can match';
  const pct = c.bytes > 0 ? Math.round((100 * c.coveredBytes) / c.bytes) : 0;
  return (
    `Search index: ready for ${c.coveredFiles} of ${plural(c.files, 'file')} (${pct} % of the bytes) — searches read only ` +
    'the blocks that can match there; the rest (.gz, files under ~512 KiB, files changed since) are read whole'
  );
}
