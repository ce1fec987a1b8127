import { parentPort } from 'node:worker_threads';
import type { FileIndex } from '../core/model';
import { LineMatcher } from '../core/rules/lineMatcher';
import type { RoleRule } from '../core/rules/roleRules';
import { scanFile, type ScanRequest } from './fileScanner';

/** One file to scan in a worker thread; the rules travel as data and are compiled once per worker. */
export interface WorkerTask {
  id: number;
  request: Omit<ScanRequest, 'matcher'>;
  rulesKey: string;
  roleRules?: readonly RoleRule[];
}

export type WorkerReply = { id: number; index: FileIndex } | { id: number; error: string };

const matchers = new Map<string, LineMatcher>();

parentPort?.on('message', async (task: WorkerTask) => {
  try {
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
});
