import type { Connection, WorkDoneProgressServerReporter } from 'vscode-languageserver';
import * as service from '../service';
import { IndexStatusNotification, SearchIndexStatusNotification, type IndexStatus, type SearchIndexStatus } from '../shared/protocol';
import type { BundleStore, StoreListener } from './bundleStore';

/** Tells the client how indexing goes: a work-done progress while it runs, the status bar's counts after. */
export class IndexReporter implements StoreListener {
  private status: IndexStatus = {
    state: 'indexing',
    done: 0,
    total: 0,
    nodes: 0,
    files: 0,
    leaderIntervals: 0,
    roles: [],
    gone: [],
    layouts: [],
    warnings: [],
  };
  private progressBar: WorkDoneProgressServerReporter | undefined;
  /** Set once the client says it can show work-done progress. */
  canReportProgress = false;
  store: BundleStore | undefined;

  constructor(private readonly connection: Connection) {}

  /** A reindex begins: a fresh progress bar when the client shows them. */
  async begin(): Promise<void> {
    if (this.canReportProgress) {
      this.progressBar = await this.connection.window.createWorkDoneProgress();
      this.progressBar.begin('Quorum Lens', 0, 'Indexing log bundle', false);
    }
    // The roles are known before any file is read: the palette can offer them at once.
    this.send({ state: 'indexing', done: 0, total: 0, roles: this.store ? service.indexCounts(this.store.context()).roles : [] });
  }

  progress(done: number, total: number): void {
    this.progressBar?.report(total ? Math.floor((done / total) * 100) : 0, `Indexing ${done}/${total} files`);
    this.send({ state: 'indexing', done, total });
  }

  indexed(): void {
    this.progressBar?.done();
    this.progressBar = undefined;
    if (!this.store) return;
    const counts = service.indexCounts(this.store.context());
    this.send({ state: counts.files > 0 ? 'ready' : counts.gone.length > 0 ? 'gone' : 'empty', ...counts });
  }

  /** How far the indexing under way has got (files done of total); undefined when none is under way. */
  get indexing(): { done: number; total: number } | undefined {
    return this.status.state === 'indexing' ? { done: this.status.done, total: this.status.total } : undefined;
  }

  searchStatus(s: SearchIndexStatus): void {
    void this.connection.sendNotification(SearchIndexStatusNotification, s);
  }

  log(message: string): void {
    this.connection.console.log(message);
  }

  private send(next: Partial<IndexStatus>): void {
    this.status = { ...this.status, ...next };
    void this.connection.sendNotification(IndexStatusNotification, this.status);
  }
}
