import { createHash } from 'node:crypto';
import { EVENT_RULES } from '../core/rules/eventRules';
import { promises as fs } from 'node:fs';
import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import { detectLayout, layoutDescription, nodeOfPath } from '../core/bundleLayout';
import type { BundleIndex, FileIndex, LogEvent } from '../core/model';
import { buildNodes, identityProblems } from '../core/nodeAliases';
import { findProcesses } from '../core/processes';
import { LineMatcher } from '../core/rules/lineMatcher';
import { BUILTIN_ROLE_RULES, type RoleRule } from '../core/rules/roleRules';
import { markCopies } from './copies';
import { scanFile } from './fileScanner';
import { cacheDirProblem, loadIndex, saveIndex } from './indexCache';
import { walkBundle, type WalkedFile, type WalkResult } from './walk';
import { ScanPool } from './workerPool';

export interface IndexOptions {
  /** Role rules; the built-in ones when not given. */
  roleRules?: readonly RoleRule[];
  onProgress?(done: number, total: number, file: string): void;
  /** Files scanned at once (I/O overlaps parsing). */
  concurrency?: number;
  /**
   * Worker threads for scanning; default one per core (at most 4) for bundles worth it, 0 to scan on
   * this thread.
   */
  workers?: number;
  signal?: AbortSignal;
  /**
   * Raw scans from an earlier run, keyed by relative path; files whose size and mtime are unchanged are
   * not read again. Updated in place with this run's scans. Drop it when the rules change.
   */
  scanCache?: Map<string, FileIndex>;
  /** The root's walk, when the caller has just made it (the CLI walks to find the bundle roots). */
  walked?: WalkResult;
  /** indexBundleCached only: told when the saved index was refused, damaged or could not be written. */
  onCacheWarning?(message: string): void;
}

export class BundleNotFoundError extends Error {}

/**
 * The key that ties a persisted index to the rules it was built with: the role rules in force and the built-in
 * event rules (a new or changed message rule must reach indexes saved before it, not only fresh ones).
 */
export function rulesKeyOf(rules: readonly RoleRule[]): string {
  const events = EVENT_RULES.map((r) => [r.id, r.regex.source, r.keywords, r.starts, r.formats, r.sources, r.anchor]);
  return createHash('sha1')
    .update(JSON.stringify([rules, events]))
    .digest('hex');
}

/**
 * Indexes a bundle reusing the index saved in `cacheDir` (files unchanged since are not read; appended
 * ones are read from where they ended), then saves the new one there. A damaged or stale saved index
 * is reported in the notes and rebuilt.
 */
export async function indexBundleCached(root: string, cacheDir: string, options: IndexOptions = {}): Promise<BundleIndex> {
  const warnings: string[] = [];
  const warn = (m: string) => {
    warnings.push(m);
    options.onCacheWarning?.(m);
  };
  // A cache folder inside the bundle is neither read (it is bundle content) nor written.
  const refused = await cacheDirProblem(cacheDir, root);
  if (refused) {
    const bundle = await indexBundle(root, options);
    warn(refused);
    bundle.notes.push(...warnings);
    return bundle;
  }
  const rulesKey = rulesKeyOf(options.roleRules ?? BUILTIN_ROLE_RULES);
  const loaded = await loadIndex(cacheDir, root, rulesKey);
  const scanCache = loaded.scans ?? new Map<string, FileIndex>();
  const saved = new Map(scanCache);
  const bundle = await indexBundle(root, { ...options, scanCache });
  // A file unchanged keeps its saved scan (the same object): when every one did, the saved index stands.
  const unchanged =
    loaded.scans && !loaded.damaged?.length && scanCache.size === saved.size && [...scanCache].every(([k, v]) => saved.get(k) === v);
  if (loaded.problem && loaded.problem !== 'no saved index') {
    const note = `index rebuilt: ${loaded.problem}`;
    if (/damaged|too big|not an index/.test(loaded.problem)) warn(note);
    else bundle.notes.push(note);
  }
  if (loaded.damaged?.length) warn(damagedNote(loaded.damaged));
  try {
    if (!unchanged) await saveIndex(cacheDir, root, rulesKey, scanCache);
  } catch (e) {
    warn(`index not saved in ${cacheDir}: ${(e as Error).message}`);
  }
  bundle.notes.push(...warnings);
  return bundle;
}

/** The note for saved scans that failed validation: those files were rescanned. */
export function damagedNote(damaged: readonly string[]): string {
  const shown = damaged.slice(0, 5).join('; ');
  return `saved index was damaged for ${damaged.length} file(s), rescanned: ${shown}${damaged.length > 5 ? '; …' : ''}`;
}

/** Indexes a log bundle folder. Reads only; never writes anything inside the bundle. */
export async function indexBundle(root: string, options: IndexOptions = {}): Promise<BundleIndex> {
  const absRoot = path.resolve(root);
  let st: import('node:fs').Stats;
  try {
    st = await fs.stat(absRoot);
  } catch {
    throw new BundleNotFoundError(`no such folder: ${root}`);
  }
  if (!st.isDirectory()) throw new BundleNotFoundError(`not a folder: ${root}`);

  const walked = options.walked ?? (await walkBundle(absRoot));
  const layout = detectLayout(
    path.basename(absRoot),
    walked.files.map((w) => w.relPath),
    walked.topLevelFolders,
  );
  const matcher = new LineMatcher(options.roleRules ?? BUILTIN_ROLE_RULES);
  const kinds = new Map<string, 'node' | 'source'>();
  const nodeOf = (w: WalkedFile) => {
    const n = nodeOfPath(layout, w.relPath);
    if (!kinds.has(n.name)) kinds.set(n.name, n.kind);
    return n.name;
  };
  // Node folders without files are nodes too (a node whose logs are missing is worth seeing).
  for (const f of layout.nodes) nodeOf({ relPath: `${layout.base ? `${layout.base}/` : ''}${f}/x` } as WalkedFile);

  const total = walked.files.length;
  const files = new Array<FileIndex>(total);
  let done = 0;
  const cache = options.scanCache;
  const rules = options.roleRules ?? BUILTIN_ROLE_RULES;
  const toScan = walked.files.filter((w) => {
    const c = cache?.get(w.relPath);
    return !(c && c.path === w.relPath && c.size === w.size && c.mtimeMs === w.mtimeMs);
  });
  const workers = options.workers ?? defaultWorkers(toScan);
  const script = workers > 0 ? ScanPool.workerScript() : undefined;
  const scanPool = script ? new ScanPool(Math.min(workers, toScan.length), script) : undefined;
  const rulesKey = JSON.stringify(rules);
  const scan = (req: Omit<Parameters<typeof scanFile>[0], 'matcher'>) =>
    scanPool ? scanPool.scan(req, rulesKey, rules) : scanFile({ ...req, matcher });
  // Biggest files first, so one large file does not start last and leave the other cores idle.
  const order = walked.files.map((_, i) => i).sort((a, b) => walked.files[b].size - walked.files[a].size);
  try {
    await pool(
      order.map((i) => async () => {
        const w = walked.files[i];
        if (options.signal?.aborted) throw new Error('indexing cancelled');
        const node = nodeOf(w);
        // A saved scan is used only for the path the walk found it under (the cache steers no reads).
        const found = cache?.get(w.relPath);
        const cached = found?.path === w.relPath ? found : undefined;
        const raw =
          cached && cached.size === w.size && cached.mtimeMs === w.mtimeMs && cached.node === node
            ? cached
            : await scan({
                relPath: w.relPath,
                absPath: w.absPath,
                node,
                size: w.size,
                mtimeMs: w.mtimeMs,
                previous: cached?.node === node ? cached : undefined,
                root: absRoot,
              });
        cache?.set(w.relPath, raw);
        // Assembly below marks copies and numbers events: work on a copy so the cache stays raw.
        files[i] = cache ? assemblyCopy(raw) : raw;
        if (w.sameAs) files[i].duplicateOf = w.sameAs;
        options.onProgress?.(++done, total, w.relPath);
      }),
      Math.max(options.concurrency ?? 4, (scanPool ? workers : 0) * 2),
    );
  } finally {
    await scanPool?.close();
  }
  if (cache) {
    const present = new Set(walked.files.map((w) => w.relPath));
    for (const key of [...cache.keys()]) if (!present.has(key)) cache.delete(key);
  }

  await rescanYearless(files, walked.files, matcher, cache, absRoot);
  await markCopies(files, walked.files, absRoot);
  files.forEach((f, i) => {
    if (f.duplicateOf) {
      f.events = [];
      f.errorsPerMinute = [];
    }
    for (const e of f.events) e.file = i;
  });

  const processes = findProcesses(files);
  addProcessStartEvents(files, processes);
  const nodes = buildNodes(files, kinds);
  const warnings = [
    ...identityProblems(files, nodes),
    ...layout.others.map((o) => `another bundle root is beside this one: ${o}/ (open it on its own; it is not in these answers)`),
  ];
  return {
    root: absRoot,
    files,
    nodes,
    processes,
    notes: walked.notes,
    layout: { base: layout.base, nodeFolders: layout.nodeFolders, description: layoutDescription(layout) },
    warnings,
  };
}

/**
 * A copy of a raw scan that assembly may change: new events (they get their file number), new lists;
 * checkpoints and error counts are never changed, so they are shared (a deep copy of a 10 GB bundle's
 * checkpoints took most of a warm reopen).
 */
function assemblyCopy(raw: FileIndex): FileIndex {
  // Object.assign keeps the events in fast (in-object) shape: a spread copy of a large event list takes twice the memory.
  return { ...raw, events: raw.events.map((e) => Object.assign({}, e)), notes: [...raw.notes] };
}

/** Worker threads pay off once there is real work: several files and tens of megabytes. */
function defaultWorkers(files: readonly WalkedFile[]): number {
  const bytes = files.reduce((n, f) => n + f.size, 0);
  if (files.length < 2 || bytes < 32 * 1024 * 1024) return 0;
  return Math.min(4, Math.max(1, availableParallelism()));
}

/** Runs tasks with at most `limit` in flight. */
async function pool(tasks: (() => Promise<void>)[], limit: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) await tasks[next++]();
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
}

/**
 * Lines without a year whose file gives none either borrow the year most of the same node's other logs
 * carry (else the bundle's). Only those files are read again.
 */
async function rescanYearless(
  files: FileIndex[],
  walked: WalkedFile[],
  matcher: LineMatcher,
  cache: Map<string, FileIndex> | undefined,
  root: string,
): Promise<void> {
  const yearOf = (f: FileIndex) => (f.firstTime !== undefined ? new Date(f.firstTime / 1000).getUTCFullYear() : undefined);
  const votes = (list: FileIndex[]) => {
    const count = new Map<number, number>();
    for (const f of list) {
      if (f.yearSource === 'unknown' || f.skipped) continue;
      const y = yearOf(f);
      if (y !== undefined) count.set(y, (count.get(y) ?? 0) + 1);
    }
    return [...count.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  };
  const bundleYear = votes(files);
  for (let i = 0; i < files.length; i++) {
    const f = files[i];
    if (f.yearSource !== 'unknown') continue;
    const year = votes(files.filter((g) => g.node === f.node)) ?? bundleYear;
    if (year === undefined) continue;
    const w = walked[i];
    const again = await scanFile({
      relPath: w.relPath,
      absPath: w.absPath,
      node: f.node,
      size: w.size,
      mtimeMs: w.mtimeMs,
      matcher,
      fallbackYear: year,
      root,
    });
    cache?.set(w.relPath, again);
    files[i] = cache ? assemblyCopy(again) : again;
    if (f.duplicateOf) files[i].duplicateOf = f.duplicateOf;
  }
}

/** Each glog run (a pid) starts a process: make that an event, so lists and timelines show restarts. */
function addProcessStartEvents(files: FileIndex[], processes: ReturnType<typeof findProcesses>): void {
  for (const run of processes) {
    if (run.pid === undefined || run.start === undefined) continue;
    const fi = run.files[0];
    const f = files[fi];
    const first = f.checkpoints[0];
    const event: LogEvent = {
      kind: 'processStart',
      program: run.program,
      pid: run.pid,
      how: 'newPid',
      time: run.start,
      file: fi,
      line: first?.[0] ?? 1,
      offset: first?.[1] ?? 0,
      text: `${run.program} started (pid ${run.pid})`,
    };
    f.events.unshift(event);
  }
}
