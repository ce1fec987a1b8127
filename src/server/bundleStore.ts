import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FileIndex } from '../core/model';
import { mergeRoleRules, validateRoleRules, type RoleRule } from '../core/rules/roleRules';
import { BundleNotFoundError, damagedNote, indexBundle, rulesKeyOf } from '../indexer/bundleIndexer';
import { planFolder, type ArchiveProgress } from '../indexer/archives';
import { cacheDirProblem, defaultCacheDir, loadIndex, saveIndex } from '../indexer/indexCache';
import { parseWindowUri } from '../shared/protocol';
import * as service from '../service';
import { bundleHandle, editorTimeLabel, type BundleHandle, type ServiceContext } from '../service';
import { DEFAULT_SETTINGS, type QuorumLensSettings } from '../shared/settings';
import type { SearchIndexStatus } from '../shared/protocol';
import { SearchBuilds } from './searchBuilds';

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
  /** Told how far unpacking a folder's archives has got (bytes of the archives read); optional. */
  unpacking?(p: ArchiveProgress): void;
  /** Told how the search index's background build goes; optional. */
  searchStatus?(s: SearchIndexStatus): void;
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

  /** The search indexes' background builds, started when an indexing run ends. */
  readonly searches: SearchBuilds;

  constructor(private readonly listener: StoreListener) {
    this.searches = new SearchBuilds(
      (st) => listener.searchStatus?.(st),
      (m) => listener.log(m),
    );
  }

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
    const bundles = this.bundles.flatMap((b) => (b.handle ? [b.handle] : []));
    // quorumLens.clockOffsets names nodes by folder or address; a name that is no node is said, not ignored.
    const offsets = service.resolveClockOffsets({ bundles, clockOffsetsMs: this.settingsValue.clockOffsets });
    const unknown =
      bundles.length > 0 && offsets.unknown.length > 0
        ? [
            `quorumLens.clockOffsets names ${offsets.unknown.join(', ')}: no such node (nodes: ${offsets.nodes.join(', ')}), so no offset is applied for it`,
          ]
        : [];
    return {
      bundles,
      rules: this.rules,
      clockOffsetsMs: offsets.offsetsMs,
      label: editorTimeLabel(this.settingsValue.timeZone),
      warnings: [
        ...this.bundles.flatMap((b) => (b.gone ? [`${b.root} is gone (${b.gone}): nothing from it is in this answer`] : [])),
        ...unknown,
      ],
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
    // The handles a build under way works on are about to be replaced.
    await this.searches.stop();
    do {
      this.again = false;
      const totals = new Map<string, { done: number; total: number }>();
      const rulesKey = rulesKeyOf(this.rules);
      const report = (root: string) => (done: number, total: number) => {
        totals.set(root, { done, total });
        let d = 0;
        let t = 0;
        for (const v of totals.values()) {
          d += v.done;
          t += v.total;
        }
        this.listener.progress(d, t);
      };
      for (const b of this.bundles) {
        const started = Date.now();
        try {
          // A folder holding only archives (one bundle archive, or per-node ones) is unpacked and indexed as
          // the CLI does. Beside plain files it is not: the editor's documents are those files, not copies.
          const plan = await planFolder(b.root).catch(() => undefined);
          if (plan?.kind === 'nodeArchives' && plan.others.length > 0 && !b.handle)
            this.listener.log(
              `${b.root}: its archives are not unpacked (plain files lie beside them); open an archive's folder on its own`,
            );
          if (plan?.kind === 'archive' || (plan?.kind === 'nodeArchives' && plan.others.length === 0)) {
            await this.indexArchives(b, report(b.root));
            this.listener.log(
              `indexed ${b.root} from its archives: ${b.handle?.index.files.length ?? 0} files in ${Date.now() - started} ms`,
            );
            continue;
          }
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
            onProgress: report(b.root),
          });
          b.gone = undefined;
          const before = b.handle;
          b.handle = bundleHandle(b.root, index, this.roles);
          // The last search index still rules on the files it describes as they are (it checks each one).
          await this.attachSearch(b.handle, cacheDir, before);
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
    this.searches.start(this.bundles);
  }

  /** Gives a fresh handle its cache folder and the search index it can use until the next build. */
  private async attachSearch(handle: BundleHandle, cacheDir: string | undefined, before: BundleHandle | undefined): Promise<void> {
    handle.cacheDir = cacheDir;
    if (cacheDir && before?.search && before.cacheDir === cacheDir) handle.search = before.search;
    else await service.loadSearchIndex(handle);
  }

  /**
   * Unpacks a folder's archives into the cache (the extension's storage, else the user's cache folder:
   * never the folder itself) through the service, as `quorum-lens index` does; a reopen reuses the
   * extraction and its saved index. Unpacking progress goes to the listener and, in tenths, to the log.
   */
  private async indexArchives(b: BundleState, onProgress: (done: number, total: number) => void): Promise<void> {
    let shown = '';
    const handle = await service.openBundle(b.root, {
      roleRules: this.rules,
      cacheDir: this.cacheDir ?? defaultCacheDir(),
      onProgress,
      onArchiveProgress: (p) => {
        this.listener.unpacking?.(p);
        const line = `${p.phase} ${p.archive}: ${10 * Math.floor((10 * p.doneBytes) / Math.max(1, p.totalBytes))}%`;
        if (line !== shown) this.listener.log((shown = line));
      },
    });
    for (const w of handle.cacheWarnings ?? []) this.listener.log(`${b.root}: ${w}`);
    for (const n of handle.archive?.notes ?? []) this.listener.log(`${b.root}: ${n}`);
    b.gone = undefined;
    b.handle = handle;
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
      // An unpacked bundle's files are in its extraction, not in the workspace folder.
      const rel = path.relative(b.handle?.archive ? b.handle.root : b.root, fsPath);
      if (rel.startsWith('..') || path.isAbsolute(rel)) continue;
      const relPath = rel.split(path.sep).join('/');
      return { bundle: b, handle: b.handle, relPath, file: b.handle?.queries.file(relPath)?.file, lineOffset };
    }
    return undefined;
  }
}
