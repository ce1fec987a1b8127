import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FileIndex } from '../core/model';
import { mergeRoleRules, validateRoleRules, type RoleRule } from '../core/rules/roleRules';
import { BundleNotFoundError, damagedNote, indexBundle, rulesKeyOf } from '../indexer/bundleIndexer';
import { cacheDirProblem, loadIndex, saveIndex } from '../indexer/indexCache';
import { parseWindowUri } from '../shared/protocol';
import { bundleHandle, editorTimeLabel, type BundleHandle, type ServiceContext } from '../service';
import { DEFAULT_SETTINGS, type QuorumLensSettings } from '../shared/settings';

export interface BundleState {
  root: string;
  rootUri: string;
  /** Raw scans of the last run: unchanged files are not read again. */
  cache: Map<string, FileIndex>;
  /** The last complete index, until a new one replaces it. */
  handle?: BundleHandle;
  /** Why the folder cannot be indexed any more (deleted, no longer a folder): nothing is answered from it. */
  gone?: string;
  /** Set while the cache folder lies inside this bundle (said once in the log). */
  cacheRefused?: boolean;
}

/** The bundle and file a document belongs to; a window view stands for its file, `lineOffset` lines down. */
export interface Located {
  bundle: BundleState;
  handle?: BundleHandle;
  relPath: string;
  file?: FileIndex;
  lineOffset: number;
}

export interface StoreListener {
  progress(done: number, total: number): void;
  indexed(): void;
  log(message: string): void;
}

/**
 * Owns the index of every workspace folder (each folder is a bundle). Indexing runs one at a time; file
 * changes arriving meanwhile schedule one more run, which reads only the files that changed.
 */
export class BundleStore {
  private bundles: BundleState[] = [];
  private settingsValue: QuorumLensSettings = DEFAULT_SETTINGS;
  private rules: RoleRule[] = mergeRoleRules([]);
  private running: Promise<void> | undefined;
  private again = false;
  private timer: NodeJS.Timeout | undefined;

  /** Folder for persisted indexes (the extension's storage); none keeps the index in memory only. */
  cacheDir: string | undefined;

  constructor(private readonly listener: StoreListener) {}

  get settings(): QuorumLensSettings {
    return this.settingsValue;
  }

  get roleRules(): readonly RoleRule[] {
    return this.rules;
  }

  get roles(): string[] {
    return this.rules.map((r) => r.role);
  }

  get all(): readonly BundleState[] {
    return this.bundles;
  }

  /** What the use cases run against: every indexed folder, the rules and the user's settings. */
  context(): ServiceContext {
    return {
      bundles: this.bundles.flatMap((b) => (b.handle ? [b.handle] : [])),
      rules: this.rules,
      clockOffsetsMs: this.settingsValue.clockOffsets,
      label: editorTimeLabel(this.settingsValue.timeZone),
      warnings: this.bundles.flatMap((b) => (b.gone ? [`${b.root} is gone (${b.gone}): nothing from it is in this answer`] : [])),
    };
  }

  get indexing(): boolean {
    return this.running !== undefined;
  }

  setFolders(uris: readonly string[]): void {
    const keep = new Map(this.bundles.map((b) => [b.rootUri, b]));
    this.bundles = uris.map((uri) => keep.get(uri) ?? { root: fileURLToPath(uri), rootUri: uri, cache: new Map() });
  }

  /** Applies new settings; returns true when the index must be rebuilt (the role rules changed). */
  updateSettings(next: QuorumLensSettings): boolean {
    const problems = validateRoleRules(next.roleRules);
    if (problems.length > 0) {
      this.listener.log(`quorumLens.roleRules ignored: ${problems.join('; ')}`);
      next = { ...next, roleRules: [] };
    }
    const rulesChanged = JSON.stringify(next.roleRules) !== JSON.stringify(this.settingsValue.roleRules);
    this.settingsValue = next;
    if (rulesChanged) {
      this.rules = mergeRoleRules(next.roleRules);
      for (const b of this.bundles) b.cache.clear();
    }
    return rulesChanged;
  }

  /** Indexes every folder; `fresh` forgets earlier scans. Resolves when the index is current. */
  refresh(fresh = false): Promise<void> {
    if (fresh) for (const b of this.bundles) b.cache.clear();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.run().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** Coalesces bursts of file events into one refresh. */
  scheduleRefresh(delayMs = 300): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), delayMs);
  }

  private async run(): Promise<void> {
    do {
      this.again = false;
      const totals = new Map<string, { done: number; total: number }>();
      const rulesKey = rulesKeyOf(this.rules);
      for (const b of this.bundles) {
        const started = Date.now();
        try {
          // A cache folder inside the bundle is neither read nor written: index in memory only.
          const refused = this.cacheDir ? await cacheDirProblem(this.cacheDir, b.root) : undefined;
          if (refused && !b.cacheRefused) this.listener.log(`${b.root}: ${refused}`);
          b.cacheRefused = refused !== undefined;
          const cacheDir = refused ? undefined : this.cacheDir;
          if (cacheDir && b.cache.size === 0) {
            const loaded = await loadIndex(cacheDir, b.root, rulesKey);
            if (loaded.scans) b.cache = loaded.scans;
            else if (loaded.problem !== 'no saved index') this.listener.log(`index of ${b.root} rebuilt: ${loaded.problem}`);
            if (loaded.damaged?.length) this.listener.log(`index of ${b.root}: ${damagedNote(loaded.damaged)}`);
          }
          const index = await indexBundle(b.root, {
            roleRules: this.rules,
            scanCache: b.cache,
            onProgress: (done, total) => {
              totals.set(b.root, { done, total });
              let d = 0;
              let t = 0;
              for (const v of totals.values()) {
                d += v.done;
                t += v.total;
              }
              this.listener.progress(d, t);
            },
          });
          b.gone = undefined;
          b.handle = bundleHandle(b.root, index, this.roles);
          if (cacheDir) {
            await saveIndex(cacheDir, b.root, rulesKey, b.cache).catch((e: Error) =>
              this.listener.log(`index of ${b.root} not saved: ${e.message}`),
            );
          }
          this.listener.log(`indexed ${b.root}: ${index.files.length} files in ${Date.now() - started} ms`);
        } catch (e) {
          this.listener.log(`indexing ${b.root} failed: ${(e as Error).message}`);
          // A folder deleted or replaced since: its old index must not keep answering as if it were there.
          if (e instanceof BundleNotFoundError) {
            b.handle = undefined;
            b.gone = e.message;
          }
        }
      }
    } while (this.again);
    this.listener.indexed();
  }

  /**
   * The bundle and file a document belongs to. A window view stands for its file, with `lineOffset`
   * lines before its first line.
   */
  locate(uri: string): Located | undefined {
    const win = parseWindowUri(uri);
    let fsPath: string;
    try {
      fsPath = fileURLToPath(win ? win.fileUri : uri);
    } catch {
      return undefined;
    }
    const lineOffset = win ? win.from - 1 : 0;
    for (const b of this.bundles) {
      const rel = path.relative(b.root, fsPath);
      if (rel.startsWith('..') || path.isAbsolute(rel)) continue;
      const relPath = rel.split(path.sep).join('/');
      return { bundle: b, handle: b.handle, relPath, file: b.handle?.queries.file(relPath)?.file, lineOffset };
    }
    return undefined;
  }
}
