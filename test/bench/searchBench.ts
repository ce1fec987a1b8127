// The search index, measured for `npm run bench` (its `search` section, `--only search`, `--seeds N`): cold
// index without and with it, its size on disk, the warm searches as whole processes (ours with it, ours
// reading every byte, rg on the same bytes) and over the language server once its search index is ready,
// with the bytes each search read and skipped. Match counts are compared; timings are never asserted.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { SearchIndexStatus } from '../../src/shared/protocol';
import { writeVariedBundle } from '../fixtures/variedBundle';
import { CLI } from '../helpers';
import { indexedServer } from './mergeBench';

export interface SearchQueries {
  rare: string;
  phrase: string;
  regex: string;
  count: string;
  stats: string;
}

/** The sample bundle's: the workflows' own queries, and a regex with a required literal. */
export const SAMPLE_QUERIES: SearchQueries = {
  rare: 'pid: 65380',
  phrase: 'Exception when following the leader',
  regex: 'took [0-9]+ms which will adversely',
  count: 'Exception when following the leader',
  stats: 'GC pause .*, ([0-9.]+) secs',
};

/** Requests per query over LSP after the first; a trace asks for a page, as a view would. */
export const LSP_REQUESTS = 20;
export const LSP_TRACE_MAX = 1000;
/** Bump when test/fixtures/variedBundle.ts writes something else for the same seed. */
const VARIED_GENERATOR = 1;

export function walk(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (!e.name.startsWith('.')) out.push(p);
  }
  return out;
}

/** Reads every file once so each tool starts with the same warm page cache. */
export function warm(files: string[]): void {
  const buf = Buffer.alloc(8 << 20);
  for (const f of files) {
    const fd = fs.openSync(f, 'r');
    while (fs.readSync(fd, buf, 0, buf.length, null) > 0);
    fs.closeSync(fd);
  }
}

export function has(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
}

/** The CLI's `--stats` lines on stderr: the event index's, then the search index's when one was built. */
interface StatsLine {
  maxRssKb: number;
  indexMs?: number;
  searchMs?: number;
  searchBytes?: number;
}
function statsLines(stderr: string): StatsLine[] {
  return stderr
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as StatsLine);
}
/** The peak RSS a `--stats` run reports (the last line's: each is the process's peak so far). */
export const peakRssKb = (stderr: string): number => Math.max(...statsLines(stderr).map((l) => l.maxRssKb));

/** Runs a process with its stdout in a file (answers can be larger than a pipe buffer or a string). */
function run(cmd: string, argv: string[], out: string): { ms: number; ok: boolean; stderr: string } {
  const fd = fs.openSync(out, 'w');
  try {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(cmd, argv, { stdio: ['ignore', fd, 'pipe'], encoding: 'utf8', maxBuffer: 64 << 20 });
    // rg exits 1 when nothing matched: an answer, not a failure.
    const ok = r.status === 0 || (cmd === 'rg' && r.status === 1);
    return { ms: Number(process.hrtime.bigint() - t0) / 1e6, ok, stderr: r.stderr };
  } finally {
    fs.closeSync(fd);
  }
}

function lineCount(file: string): number {
  const b = fs.readFileSync(file);
  let n = 0;
  for (let i = b.indexOf(10); i >= 0; i = b.indexOf(10, i + 1)) n++;
  return n;
}

/** `rg -c` over several files: `path:N` per file. */
const countSum = (file: string) =>
  fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .reduce((n, l) => n + Number(l.slice(l.lastIndexOf(':') + 1)), 0);

/** The parts of the answers (CLI JSON and LSP results) the benchmark reads. */
interface Answer {
  hits?: unknown[];
  lines?: unknown[];
  truncated?: boolean;
  bytes?: number;
  nodes?: { total: number }[];
  all?: { count: number } | null;
  search?: { skippedBytes: number; note?: string };
}

interface Query {
  name: string;
  text: string;
  ours: string[];
  rg: string[];
  rgCount: (file: string) => number;
  count: (a: Answer) => number;
  lsp: { method: string; params: object };
}

function queries(bundle: string, q: SearchQueries): Query[] {
  const trace = (name: string, text: string, regex: boolean): Query => ({
    name,
    text,
    ours: ['trace', bundle, text, '--max', '10000000', ...(regex ? ['--regex'] : [])],
    rg: ['-z', '-n', ...(regex ? [] : ['-F']), '-e', text, bundle],
    rgCount: lineCount,
    count: (a) => (a.hits ?? a.lines ?? []).length,
    lsp: { method: 'quorumLens/trace', params: { text, regex, max: LSP_TRACE_MAX } },
  });
  return [
    trace('trace rare', q.rare, false),
    trace('trace phrase', q.phrase, false),
    trace('trace regex', q.regex, true),
    {
      name: 'count',
      text: q.count,
      ours: ['count', bundle, q.count, '--by', 'hour'],
      rg: ['-z', '-c', '-F', '-e', q.count, bundle],
      rgCount: countSum,
      count: (a) => (a.nodes ?? []).reduce((n, x) => n + x.total, 0),
      lsp: { method: 'quorumLens/count', params: { pattern: q.count, by: 'hour' } },
    },
    {
      name: 'stats',
      text: q.stats,
      ours: ['stats', bundle, q.stats],
      rg: ['-z', '-o', '-N', '--no-filename', '-r', '$1', '-e', q.stats, bundle],
      rgCount: lineCount,
      count: (a) => a.all?.count ?? 0,
      lsp: { method: 'quorumLens/stats', params: { regex: q.stats } },
    },
  ];
}

export interface Timed {
  ms: number;
  matches?: number;
  /** Ours stopped at its limit (a trace keeps 32 MB of line text): rg's count is then not comparable. */
  cut?: boolean;
  error?: string;
}

/** Median of three runs, and the matches of the last; a failure is reported, not thrown (the others go on). */
function median3(cmd: string, argv: string[], out: string, matches: (file: string) => number, cut?: (file: string) => boolean): Timed {
  const runs = [0, 1, 2].map(() => run(cmd, argv, out));
  const failed = runs.find((r) => !r.ok);
  if (failed) return { ms: NaN, error: failed.stderr.trim().split('\n')[0] ?? 'failed' };
  const ms = runs.map((r) => r.ms).sort((a, b) => a - b)[1];
  try {
    return { ms, matches: matches(out), cut: cut?.(out) };
  } catch (e) {
    // An answer too large to read back (a string's limit) is still timed.
    return { ms, error: `answer not read: ${(e as Error).message}` };
  }
}

export interface QueryRow {
  name: string;
  text: string;
  indexed: Timed;
  full: Timed;
  rg?: Timed;
}

/** `index` on a fresh cache (and a warm page cache), with or without the search index: the faster of two. */
function coldIndex(bundle: string, files: string[], bytes: number, cache: string, search: boolean, out: string) {
  const argv = [CLI, 'index', bundle, '--json', '--stats', '--cache', cache, ...(search ? [] : ['--no-search-index'])];
  const runs = [0, 1].map(() => {
    fs.rmSync(cache, { recursive: true, force: true });
    warm(files);
    return run(process.execPath, argv, out);
  });
  const r = runs[0].ms < runs[1].ms ? runs[0] : runs[1];
  if (!runs.every((x) => x.ok)) throw new Error(`index ${bundle}: ${runs.map((x) => x.stderr).join('')}`);
  const lines = statsLines(r.stderr);
  const built = lines.find((l) => l.searchMs !== undefined);
  if (search && !built) throw new Error(`index ${bundle} built no search index: ${r.stderr}`);
  return {
    ms: r.ms,
    mbps: bytes / 1e3 / r.ms,
    rssMb: peakRssKb(r.stderr) / 1024,
    eventMs: lines.find((l) => l.indexMs !== undefined)?.indexMs ?? NaN,
    searchMs: built?.searchMs,
    searchBytes: built?.searchBytes,
  };
}

/** The language server's resident memory now (Linux: VmRSS of its process), in MB. */
function rssMbOf(pid: number | undefined): number {
  const m = pid === undefined ? null : /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** Each query over LSP once the server's search index is ready: the first request, then LSP_REQUESTS more. */
async function lspQueries(bundle: string, cache: string, qs: Query[]) {
  const s = await indexedServer(bundle, cache);
  try {
    const status = (await s.waitFor(
      'quorumLens/searchIndexStatus',
      (p) => (p as SearchIndexStatus).state !== 'building',
      30 * 60_000,
    )) as SearchIndexStatus;
    // Every search goes over the same files: a trace's bytes read plus skipped is the whole of them.
    let total = NaN;
    const rows = [];
    for (const q of qs) {
      const ms: number[] = [];
      let a: Answer = {};
      for (let i = 0; i <= LSP_REQUESTS; i++) {
        const t0 = process.hrtime.bigint();
        a = await s.connection.sendRequest<Answer>(q.lsp.method, q.lsp.params);
        ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
      const skippedBytes = a.search?.skippedBytes ?? 0;
      if (Number.isNaN(total) && a.bytes !== undefined) total = a.bytes + skippedBytes;
      const rest = ms.slice(1).sort((x, y) => x - y);
      const pct = (p: number) => rest[Math.min(rest.length - 1, Math.floor(rest.length * p))];
      rows.push({
        name: q.name,
        firstMs: ms[0],
        p50Ms: pct(0.5),
        p99Ms: pct(0.99),
        matches: q.count(a),
        truncated: a.truncated ?? false,
        readBytes: a.bytes ?? total - skippedBytes,
        skippedBytes,
        note: a.search?.note,
      });
    }
    return { state: status.state, note: status.note, rows, serverRssMb: rssMbOf(s.child.pid) };
  } finally {
    await s.stop();
  }
}

export type SearchResult = Awaited<ReturnType<typeof searchBench>>;

/** The whole section on one bundle; over LSP too when `lsp`. */
export async function searchBench(bundle: string, q: SearchQueries, lsp: boolean) {
  const files = walk(bundle);
  const bytes = files.reduce((n, f) => n + fs.statSync(f).size, 0);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ql-bench-search-'));
  const out = path.join(work, 'stdout');
  const fullCache = path.join(work, 'full');
  const cache = path.join(work, 'indexed');
  try {
    const without = coldIndex(bundle, files, bytes, fullCache, false, out);
    const withSearch = coldIndex(bundle, files, bytes, cache, true, out);
    const qs = queries(bundle, q);
    const rg = has('rg');
    const rows = qs.map((x): QueryRow => {
      warm(files);
      const ours = (c: string) =>
        median3(
          process.execPath,
          [CLI, ...x.ours, '--json', '--cache', c],
          out,
          (f) => x.count(readJson(f)),
          (f) => readJson(f).truncated === true,
        );
      return {
        name: x.name,
        text: x.text,
        indexed: ours(cache),
        full: ours(fullCache),
        rg: rg ? median3('rg', x.rg, out, x.rgCount) : undefined,
      };
    });
    return {
      bytes,
      files: files.length,
      without,
      with: withSearch,
      searchPct: (100 * (withSearch.searchBytes ?? NaN)) / bytes,
      queries: rows,
      lsp: lsp ? await lspQueries(bundle, cache, qs) : undefined,
    };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

const readJson = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8')) as Answer;

/** A varied bundle of the seed, generated once under `.bench/varied-<size>-<seed>/`, and what to ask it. */
function ensureVaried(outDir: string, sizeText: string, mb: number, seed: number): { root: string; queries: SearchQueries } {
  const dir = path.join(outDir, `varied-${sizeText}-${seed}`);
  const marker = path.join(dir, '.bench-generated');
  const want = JSON.stringify({ mb, seed, generator: VARIED_GENERATOR });
  if (fs.existsSync(marker)) {
    const m = JSON.parse(fs.readFileSync(marker, 'utf8')) as { want: string; root: string; queries: SearchQueries };
    if (m.want === want) return { root: path.join(dir, m.root), queries: m.queries };
  }
  console.log(`generating a ${sizeText} varied bundle (seed ${seed}) in ${dir} …`);
  const v = writeVariedBundle(dir, { seed, mb });
  const queries = { ...v.queries, count: v.queries.phrase };
  fs.writeFileSync(marker, JSON.stringify({ want, root: path.relative(dir, v.root), queries }));
  return { root: v.root, queries };
}

export type SeedResult = SearchResult & { seed: number; searchQueries: SearchQueries };

/** The section (no LSP) on varied bundles of seeds 1..seeds. */
export async function seedBench(outDir: string, sizeText: string, mb: number, seeds: number): Promise<SeedResult[]> {
  const results: SeedResult[] = [];
  for (let seed = 1; seed <= seeds; seed++) {
    const v = ensureVaried(outDir, sizeText, mb, seed);
    results.push({ seed, searchQueries: v.queries, ...(await searchBench(v.root, v.queries, false)) });
  }
  return results;
}
