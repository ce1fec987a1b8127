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

  constructor(size: number, script: string) {
    for (let i = 0; i < size; i++) {
      const worker = new Worker(script);
      const slot: Slot = { worker, busy: false, rulesSent: new Set() };
      worker.on('message', (reply: WorkerReply) => this.onReply(reply));
      worker.on('error', (e) => this.failSlot(slot, e));
      this.slots.push(slot);
    }
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
      if (slot.busy || this.queue.length === 0) continue;
      const job = this.queue.shift();
      if (!job) return;
      const id = this.nextId++;
      slot.busy = true;
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
    if ('error' in reply) p.reject(new Error(reply.error));
    else p.resolve(reply);
    this.pump();
  }

  private failSlot(slot: Slot, e: Error): void {
    for (const [id, p] of this.pending) {
      if (p.slot !== slot) continue;
      this.pending.delete(id);
      p.reject(e);
    }
    slot.busy = false;
  }
}
