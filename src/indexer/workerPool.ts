import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { FileIndex } from '../core/model';
import type { RoleRule } from '../core/rules/roleRules';
import type { ScanRequest } from './fileScanner';
import type { GrepFileRequest, GrepFileResult } from './grepFile';
import type { WorkerReply, WorkerTask } from './indexWorker';
import type { FileSearch, SearchBuildRequest } from './searchBuild';

interface Slot {
  worker: Worker;
  busy: boolean;
  /** The worker failed or exited: no more work goes to it. */
  dead?: boolean;
  rulesSent: Set<string>;
}

type Job = { task: DistributiveOmit<WorkerTask, 'id'>; resolve: (r: WorkerReply) => void; reject: (e: Error) => void };
type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;

/**
 * Worker threads that scan files in parallel (one per core). Each scan is a whole file, so a bundle
 * uses every core as long as it has several files; a single huge file still takes one core.
 */
export class ScanPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private readonly pending = new Map<number, { slot: Slot; resolve: (r: WorkerReply) => void; reject: (e: Error) => void }>();
  private nextId = 1;

  /** The worker script sits next to whichever file holds this code (dist/ or out/src/indexer/). */
  static workerScript(): string | undefined {
    const candidates = [path.join(__dirname, 'indexWorker.js'), path.join(__dirname, '..', 'indexer', 'indexWorker.js')];
    return candidates.find((p) => existsSync(p));
  }

  /**
   * With `keepAlive`, an idle worker does not keep the process running (a pool kept between searches must
   * not stop a CLI from exiting); a busy one does, so a search in flight is not cut off.
   */
  constructor(
    size: number,
    script: string,
    private readonly keepAlive = false,
  ) {
    for (let i = 0; i < size; i++) {
      const worker = new Worker(script);
      const slot: Slot = { worker, busy: false, rulesSent: new Set() };
      worker.on('message', (reply: WorkerReply) => this.onReply(reply));
      worker.on('error', (e) => this.failSlot(slot, e));
      worker.on('exit', (code) => this.failSlot(slot, new Error(`a worker thread exited (code ${code})`)));
      if (keepAlive) worker.unref();
      this.slots.push(slot);
    }
  }

  /** Some worker is gone: a pool kept for later is replaced rather than reused. */
  get broken(): boolean {
    return this.slots.some((s) => s.dead);
  }

  async scan(request: Omit<ScanRequest, 'matcher'>, rulesKey: string, roleRules: readonly RoleRule[]): Promise<FileIndex> {
    const r = await this.run({ kind: 'scan', request, rulesKey, roleRules });
    if (!('index' in r)) throw new Error('worker answered a scan with something else');
    return r.index;
  }

  async grep(request: GrepFileRequest): Promise<GrepFileResult> {
    const r = await this.run({ kind: 'grep', request });
    if (!('grep' in r)) throw new Error('worker answered a search with something else');
    return r.grep;
  }

  /** A file's search filters (see buildFileSearch); undefined when it has too few blocks to summarise. */
  async searchFilters(request: SearchBuildRequest): Promise<FileSearch | undefined> {
    const r = await this.run({ kind: 'search', request });
    if (!('search' in r)) throw new Error('worker answered a search build with something else');
    return r.search ?? undefined;
  }

  private run(task: Job['task']): Promise<WorkerReply> {
    return new Promise((resolve, reject) => {
      this.queue.push({ task, resolve, reject });
      this.pump();
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (slot.busy || slot.dead || this.queue.length === 0) continue;
      const job = this.queue.shift();
      if (!job) return;
      const id = this.nextId++;
      slot.busy = true;
      if (this.keepAlive) slot.worker.ref();
      this.pending.set(id, { slot, resolve: job.resolve, reject: job.reject });
      if (job.task.kind === 'scan') {
        // The rules travel once per worker; later tasks name them by key.
        const first = !slot.rulesSent.has(job.task.rulesKey);
        slot.rulesSent.add(job.task.rulesKey);
        slot.worker.postMessage({ ...job.task, id, roleRules: first ? job.task.roleRules : undefined } satisfies WorkerTask);
      } else {
        slot.worker.postMessage({ ...job.task, id } satisfies WorkerTask);
      }
    }
  }

  private onReply(reply: WorkerReply): void {
    const p = this.pending.get(reply.id);
    if (!p) return;
    this.pending.delete(reply.id);
    p.slot.busy = false;
    if (this.keepAlive) p.slot.worker.unref();
    if ('error' in reply) p.reject(new Error(reply.error));
    else p.resolve(reply);
    this.pump();
  }

  private failSlot(slot: Slot, e: Error): void {
    if (slot.dead) return;
    slot.dead = true;
    for (const [id, p] of this.pending) {
      if (p.slot !== slot) continue;
      this.pending.delete(id);
      p.reject(e);
    }
    slot.busy = false;
    // With no worker left, what waits in the queue would wait forever.
    if (this.slots.every((s) => s.dead)) for (const job of this.queue.splice(0)) job.reject(e);
  }
}
