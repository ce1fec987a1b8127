import { parentPort } from 'node:worker_threads';
import type { FileIndex } from '../core/model';
import { LineMatcher } from '../core/rules/lineMatcher';
import type { RoleRule } from '../core/rules/roleRules';
import { scanFile, type ScanRequest } from './fileScanner';
import { grepFile, type GrepFileRequest, type GrepFileResult } from './grepFile';
import { enableLinearRegexFallback } from './regexRuntime';
import { buildFileSearch, type FileSearch, type SearchBuildRequest } from './searchBuild';

enableLinearRegexFallback();

/** Work for a worker thread: index a file, or search one. Plain data; rules are compiled once per worker. */
export type WorkerTask =
  | { id: number; kind: 'scan'; request: Omit<ScanRequest, 'matcher'>; rulesKey: string; roleRules?: readonly RoleRule[] }
  | { id: number; kind: 'grep'; request: GrepFileRequest }
  | { id: number; kind: 'search'; request: SearchBuildRequest };

export type WorkerReply =
  | { id: number; index: FileIndex }
  | { id: number; grep: GrepFileResult }
  | { id: number; search: FileSearch | null }
  | { id: number; error: string };

const matchers = new Map<string, LineMatcher>();

parentPort?.on('message', (task: WorkerTask) => void answer(task));

/** Runs one task; every failure goes back to the pool as an error reply, never an unhandled rejection. */
async function answer(task: WorkerTask): Promise<void> {
  try {
    if (task.kind === 'grep') {
      parentPort?.postMessage({ id: task.id, grep: await grepFile(task.request) } satisfies WorkerReply);
      return;
    }
    if (task.kind === 'search') {
      const search = (await buildFileSearch(task.request)) ?? null;
      // The filters move to the pool rather than being copied.
      parentPort?.postMessage(
        { id: task.id, search } satisfies WorkerReply,
        search ? search.segments.map((m) => m.buffer as ArrayBuffer) : [],
      );
      return;
    }
    let matcher = matchers.get(task.rulesKey);
    if (!matcher) {
      if (!task.roleRules) throw new Error('rules not sent to this worker yet');
      matchers.set(task.rulesKey, (matcher = new LineMatcher(task.roleRules)));
    }
    const index = await scanFile({ ...task.request, matcher });
    parentPort?.postMessage({ id: task.id, index } satisfies WorkerReply);
  } catch (e) {
    parentPort?.postMessage({ id: task.id, error: (e as Error).stack ?? String(e) } satisfies WorkerReply);
  }
}
