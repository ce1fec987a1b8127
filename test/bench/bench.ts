import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LineMatcher } from '../../src/core/rules/lineMatcher';
import { BUILTIN_ROLE_RULES } from '../../src/core/rules/roleRules';
import { writeSampleBundle } from '../fixtures/sampleBundle';
import { FLOOD_LINES, sessionId, writeSessionFlood } from '../fixtures/sessionFlood';
import { fmt1, indexedServer, lspMergeTimings, MERGE_AT, mergeLspText, mergeTimings } from './mergeBench';
import { has, peakRssKb, SAMPLE_QUERIES, searchBench, seedBench, walk, warm } from './searchBench';
import { searchText, seedSpread, seedsText } from './searchReport';

// npm run bench [-- --size 1g|10g|300m] [--out DIR] [--only merge|search] [--seeds N]
// Generates (once, cached under .bench/) a bundle shaped like seed 000 at the requested size, then times
// in one run, each with a warm page cache: quorum-lens index cold and warm, rg -c with the indexer's
// patterns, lnav headless, peak RSS, the workflows that rescan (trace, count, stats) next to the rg command
// for each, cluster context, hover latency over LSP and the overlaps request, the search index (see
// searchBench.ts; `--seeds N` adds varied bundles of seeds 1..N at the same size). Prints a table and
// writes it as JSON. Timings are reported, never asserted.

const REPO = path.resolve(__dirname, '..', '..', '..');
const CLI = path.join(REPO, 'dist', 'cli.js');
const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const sizeText = opt('size', '1g');
/** `--only merge`: only the merged log's paging (the Cluster Log view); `--only search`: only the search index. */
const only = opt('only', '');
/** Varied bundles (seeds 1..N) the search index is measured on as well; 0: none. */
const seeds = Number(opt('seeds', '0'));
const outDir = path.resolve(opt('out', path.join(REPO, '.bench')));
const GENERATOR_VERSION = 2;
/** Peak RSS every run of ours stays under (issue 10): on the 1 GB and 10 GB bundles and the 8 M-event gz. */
const RSS_BOUND_MB = 700;
/** Megabytes the sample generator writes per filler line-per-minute (measured: 1059 MB at 2900). */
const MB_PER_NOISE_UNIT = 0.3653;

/** The parts of the CLI's JSON answers the benchmark reads. */
interface IndexJson {
  files: { lines: number };
}
interface TraceJson {
  hits: unknown[];
}
interface CountJson {
  nodes: { total: number }[];
}
interface StatsJson {
  all: { count: number } | null;
}
interface ContextJson {
  lines: unknown[];
}
interface MergeJson {
  lines: unknown[];
}
const parse = <T>(text: string): T => JSON.parse(text) as T;

function parseSize(text: string): number {
  const m = /^(\d+(?:\.\d+)?)([mg])$/i.exec(text);
  if (!m) throw new Error(`--size takes e.g. 1g, 10g or 300m, not ${text}`);
  return Number(m[1]) * (m[2].toLowerCase() === 'g' ? 1000 : 1);
}

function ensureBundle(mb: number): string {
  const dir = path.join(outDir, `bundle-${sizeText}`);
  const marker = path.join(dir, '.bench-generated');
  const want = JSON.stringify({ mb, generator: GENERATOR_VERSION });
  if (fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') === want) return dir;
  console.log(`generating a ${sizeText} bundle in ${dir} …`);
  writeSampleBundle(dir, { noisePerMinute: Math.round(mb / MB_PER_NOISE_UNIT) });
  fs.writeFileSync(marker, want);
  return dir;
}

function timed(
  cmd: string,
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
): { ms: number; stdout: string; stderr: string; status: number | null } {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, argv, { encoding: 'utf8', env, maxBuffer: 256 << 20 });
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, stdout: r.stdout, stderr: r.stderr, status: r.status };
}

async function lspTimings(bundle: string, cacheDir: string) {
  const s = await indexedServer(bundle, cacheDir);
  try {
    const rel = '172_20_131_242/base_component_logs/zookeeper/zookeeper.log';
    const text = fs.readFileSync(path.join(bundle, rel), 'utf8');
    const uri = pathToFileURL(path.join(bundle, rel)).toString();
    await s.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'quorum-log', version: 1, text } });
    const targets: { line: number; character: number }[] = [];
    text.split('\n').forEach((l, i) => {
      const m = /0x[0-9a-f]+|\d+\.\d+\.\d+\.\d+|^\d{4}-\d\d-\d\d/.exec(l);
      if (m && targets.length < 5000) targets.push({ line: i, character: m.index + 1 });
    });
    const hovers: number[] = [];
    for (let i = 0; i < 1000; i++) {
      const t0 = process.hrtime.bigint();
      await s.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: targets[(i * 7919) % targets.length] });
      hovers.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    hovers.sort((a, b) => a - b);
    const overlaps: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = process.hrtime.bigint();
      await s.connection.sendRequest('quorumLens/overlaps', { role: 'meta' });
      overlaps.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    return { hoverP50: hovers[500], hoverP99: hovers[990], overlapsFirstMs: overlaps[0], overlapsMs: Math.min(...overlaps.slice(1)) };
  } finally {
    await s.stop();
  }
}

/** Peak RSS of the whole CLI process (workers included), written by a preloaded hook as it exits. */
function rssHook(): string {
  const hook = path.join(outDir, 'rss-hook.js');
  fs.writeFileSync(hook, "process.on('exit', () => process.stderr.write(`\\nRSS_KB=${process.resourceUsage().maxRSS}\\n`));\n");
  return hook;
}

interface Flow {
  name: string;
  ours: string[];
  rg?: string[];
  oursCount: (out: string) => number;
  rgCount?: (out: string) => number;
}
interface FlowRow {
  name: string;
  oursMs: number;
  rssMb: number;
  rgMs?: number;
  oursLines: number;
  rgLines?: number;
}

/** Runs each flow (ours with peak RSS, then the rg twin) on a warm page cache. */
function runFlows(flows: Flow[], files: string[], cache: string): FlowRow[] {
  const hook = rssHook();
  return flows.map((f) => {
    warm(files);
    const ours = timed(process.execPath, ['--require', hook, CLI, ...f.ours, '--json', '--cache', cache]);
    if (ours.status !== 0) throw new Error(`${f.name}: ${ours.stderr}`);
    const rssMb = Number(/RSS_KB=(\d+)/.exec(ours.stderr)?.[1] ?? NaN) / 1024;
    const row: FlowRow = { name: f.name, oursMs: ours.ms, rssMb, oursLines: f.oursCount(ours.stdout) };
    if (f.rg && has('rg')) {
      warm(files);
      const r = timed('rg', f.rg);
      row.rgMs = r.ms;
      row.rgLines = f.rgCount?.(r.stdout);
    }
    return row;
  });
}

/** The 8 M-event gz bundle, generated once under .bench/. */
async function ensureFlood(): Promise<string> {
  const dir = path.join(outDir, 'flood-8m');
  const marker = path.join(dir, '.bench-generated');
  const want = JSON.stringify({ lines: FLOOD_LINES, generator: 1 });
  if (fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') === want) return dir;
  fs.rmSync(dir, { recursive: true, force: true });
  console.log(`generating the ${FLOOD_LINES / 1e6} M-event gz in ${dir} …`);
  await writeSessionFlood(dir);
  fs.writeFileSync(marker, want);
  return dir;
}

async function main(): Promise<void> {
  fs.mkdirSync(outDir, { recursive: true });
  spawnSync('bash', [path.join(REPO, 'test/bench/setup.sh')], { stdio: 'inherit' });
  const bundle = ensureBundle(parseSize(sizeText));
  if (only === 'search') {
    await searchOnly(bundle);
    return;
  }
  const files = walk(bundle);
  const bytes = files.reduce((n, f) => n + fs.statSync(f).size, 0);
  const mb = bytes / 1e6;
  const cores = os.availableParallelism();
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'ql-bench-cache-'));
  const rows: { tool: string; ms?: number; mbps?: number; rssMb?: number; note?: string }[] = [];
  if (only === 'merge') {
    await mergeOnly(bundle, cache);
    return;
  }

  // 1. quorum-lens index, cold (no saved index; best of two) and warm (saved index, nothing changed).
  let cold: { ms: number; rssKb: number } | undefined;
  let lines = 0;
  for (let i = 0; i < 2; i++) {
    fs.rmSync(cache, { recursive: true, force: true });
    warm(files);
    const r = timed(process.execPath, [CLI, 'index', bundle, '--json', '--stats', '--cache', cache]);
    lines = parse<IndexJson>(r.stdout).files.lines;
    if (!cold || r.ms < cold.ms) cold = { ms: r.ms, rssKb: peakRssKb(r.stderr) };
  }
  rows.push({
    tool: 'quorum-lens index (cold)',
    ms: cold?.ms,
    mbps: mb / ((cold?.ms ?? 1) / 1000),
    rssMb: (cold?.rssKb ?? 0) / 1024,
    note: 'event and search index',
  });
  warm(files);
  const w = timed(process.execPath, [CLI, 'index', bundle, '--json', '--stats', '--cache', cache]);
  rows.push({
    tool: 'quorum-lens index (warm)',
    ms: w.ms,
    rssMb: peakRssKb(w.stderr) / 1024,
    note: 'saved index, nothing changed',
  });

  // 2. ripgrep counting lines with the same patterns the indexer looks for.
  const patterns = [...new Set([...new LineMatcher(BUILTIN_ROLE_RULES).keywords, 'ERROR', 'FATAL'])];
  const patternFile = path.join(cache, 'patterns.txt');
  fs.writeFileSync(patternFile, patterns.join('\n') + '\n');
  if (has('rg')) {
    warm(files);
    const r = timed('rg', ['-c', '-F', '-f', patternFile, '--no-messages', bundle]);
    rows.push({ tool: `rg -c -F (${patterns.length} patterns)`, ms: r.ms, mbps: mb / (r.ms / 1000) });
  } else rows.push({ tool: 'rg', note: 'not installed' });

  // 3. lnav headless over the same files.
  if (has('lnav')) {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'ql-lnav-home-'));
    warm(files);
    const r = timed('timeout', ['1800', 'lnav', '-n', '-c', ';SELECT count(*) FROM all_logs', ...files], { ...process.env, HOME: home });
    rows.push({
      tool: 'lnav -n (SELECT count(*) FROM all_logs)',
      ms: r.ms,
      mbps: mb / (r.ms / 1000),
      note: r.status === 0 ? undefined : `exit ${String(r.status)}`,
    });
    fs.rmSync(home, { recursive: true, force: true });
  } else rows.push({ tool: 'lnav', note: 'not installed' });

  // 4. The workflows that rescan the bundle (trace, count, stats), each next to the rg command a user would
  // type for it, and the cluster context read from checkpoints. Ours include loading the saved index.
  const flows: Flow[] = [
    {
      name: "trace 'pid: 65380'",
      ours: ['trace', bundle, 'pid: 65380', '--max', '10000000'],
      rg: ['-n', '-F', 'pid: 65380', bundle],
      oursCount: (o) => parse<TraceJson>(o).hits.length,
      rgCount: (o) => o.split('\n').filter(Boolean).length,
    },
    {
      name: "count 'Exception when following the leader'",
      ours: ['count', bundle, 'Exception when following the leader', '--by', 'hour'],
      rg: ['-c', '-F', 'Exception when following the leader', bundle],
      oursCount: (o) => parse<CountJson>(o).nodes.reduce((n, x) => n + x.total, 0),
      rgCount: (o) =>
        o
          .split('\n')
          .filter(Boolean)
          .reduce((n, l) => n + Number(l.slice(l.lastIndexOf(':') + 1)), 0),
    },
    {
      name: "stats 'GC pause .*, ([0-9.]+) secs'",
      ours: ['stats', bundle, 'GC pause .*, ([0-9.]+) secs'],
      rg: ['-o', '-N', '--no-filename', '-r', '$1', 'GC pause .*, ([0-9.]+) secs', bundle],
      oursCount: (o) => parse<StatsJson>(o).all?.count ?? 0,
      rgCount: (o) => o.split('\n').filter(Boolean).length,
    },
    {
      name: `merge --from '${MERGE_AT}' --max 1000`,
      ours: ['merge', bundle, '--from', MERGE_AT, '--max', '1000'],
      oursCount: (o) => parse<MergeJson>(o).lines.length,
    },
    {
      name: "context '2023-03-14 01:35:51' ±5 s",
      ours: ['context', bundle, '2023-03-14 01:35:51', '--window', '5s'],
      oursCount: (o) => parse<ContextJson>(o).lines.length,
    },
  ];
  const workflows = runFlows(flows, files, cache);
  const search = await searchBench(bundle, SAMPLE_QUERIES, true);
  const searchSeeds = await seedBench(outDir, sizeText, parseSize(sizeText), seeds);

  // 5. The 8 M-event gz (every line a session event) that once took 8.9 GB: index and the searches over it.
  const flood = await ensureFlood();
  const floodFiles = walk(flood);
  const floodCache = fs.mkdtempSync(path.join(os.tmpdir(), 'ql-bench-flood-'));
  const floodIndex = timed(process.execPath, ['--require', rssHook(), CLI, 'index', flood, '--json', '--cache', floodCache]);
  if (floodIndex.status !== 0) throw new Error(`flood index: ${floodIndex.stderr}`);
  const floodFlows = runFlows(
    [
      {
        name: 'gz: index (cold)',
        ours: ['index', flood, '--no-cache'],
        oursCount: (o) => parse<IndexJson>(o).files.lines,
      },
      {
        name: `gz: trace '${sessionId(1)}'`,
        ours: ['trace', flood, sessionId(1)],
        rg: ['-z', '-n', '-F', sessionId(1), flood],
        oursCount: (o) => parse<TraceJson>(o).hits.length,
        rgCount: (o) => o.split('\n').filter(Boolean).length,
      },
      {
        name: "gz: count 'Revalidating client'",
        ours: ['count', flood, 'Revalidating client', '--by', 'hour'],
        rg: ['-z', '-c', '-F', 'Revalidating client', flood],
        oursCount: (o) => parse<CountJson>(o).nodes.reduce((n, x) => n + x.total, 0),
        rgCount: (o) =>
          o
            .split('\n')
            .filter(Boolean)
            .reduce((n, l) => n + Number(l.slice(l.lastIndexOf(':') + 1)), 0),
      },
      {
        name: "gz: stats 'client: 0x1000adfaccc0(\\d+)'",
        ours: ['stats', flood, 'client: 0x1000adfaccc0(\\d+)'],
        rg: ['-z', '-o', '-N', '--no-filename', '-r', '$1', 'client: 0x1000adfaccc0(\\d+)', flood],
        oursCount: (o) => parse<StatsJson>(o).all?.count ?? 0,
        rgCount: (o) => o.split('\n').filter(Boolean).length,
      },
    ],
    floodFiles,
    floodCache,
  );
  fs.rmSync(floodCache, { recursive: true, force: true });

  // 5. The language server: hovers and the overlaps request, on the warm index; the merged log's paging.
  const lsp = await lspTimings(bundle, cache);
  warm(files);
  const merge = await mergeTimings(bundle, cache);
  const mergeLsp = await lspMergeTimings(bundle, cache);
  fs.rmSync(cache, { recursive: true, force: true });

  const rg = rows.find((r) => r.tool.startsWith('rg -c'));
  const lnav = rows.find((r) => r.tool.startsWith('lnav -n'));
  const commit = gitCommit();
  const result = {
    commit,
    size: sizeText,
    bytes,
    files: files.length,
    lines,
    cores,
    node: process.version,
    rows,
    lsp,
    merge,
    mergeLsp,
    workflows,
    search,
    searchSeeds,
    searchSeedSpread: seeds > 0 ? seedSpread(searchSeeds) : undefined,
    flood: { lines: FLOOD_LINES, flows: floodFlows },
    ratios: {
      oursOverRg: rg?.ms && cold ? cold.ms / rg.ms : undefined,
      lnavOverOurs: lnav?.ms && cold ? lnav.ms / cold.ms : undefined,
    },
  };
  const fmt = (v: number | undefined, d = 0) => (v === undefined ? '—' : v.toFixed(d));
  console.log(
    `\nQuorum Lens benchmark @ ${commit}: ${(mb / 1000).toFixed(2)} GB, ${files.length} files, ${lines.toLocaleString('en-US')} lines, ${cores} cores, Node ${process.version}\n`,
  );
  console.log(`${'tool'.padEnd(44)}${'time'.padStart(10)}${'MB/s'.padStart(8)}${'peak RSS'.padStart(11)}  note`);
  for (const r of rows) {
    console.log(
      `${r.tool.padEnd(44)}${(r.ms === undefined ? '—' : `${fmt(r.ms / 1000, 2)} s`).padStart(10)}${fmt(r.mbps).padStart(8)}${(r.rssMb === undefined ? '' : `${fmt(r.rssMb)} MB`).padStart(11)}  ${r.note ?? ''}`,
    );
  }
  console.log(`\nours ÷ rg: ${fmt(result.ratios.oursOverRg, 2)}×   lnav ÷ ours: ${fmt(result.ratios.lnavOverOurs, 2)}×`);
  console.log(`\n${'workflow'.padEnd(44)}${'ours'.padStart(10)}${'peak RSS'.padStart(11)}${'rg'.padStart(10)}  lines (ours / rg)`);
  for (const f of workflows) {
    const same = f.rgLines === undefined ? '' : f.rgLines === f.oursLines ? ' (same)' : ' (DIFFERENT)';
    console.log(
      `${f.name.padEnd(44)}${`${fmt(f.oursMs / 1000, 2)} s`.padStart(10)}${`${fmt(f.rssMb)} MB`.padStart(11)}${(f.rgMs === undefined ? '—' : `${fmt(f.rgMs / 1000, 2)} s`).padStart(10)}  ${f.oursLines}${f.rgLines === undefined ? '' : ` / ${f.rgLines}`}${same}`,
    );
  }
  console.log(`\n${'8 M-event gz'.padEnd(44)}${'ours'.padStart(10)}${'peak RSS'.padStart(11)}${'rg -z'.padStart(10)}  lines (ours / rg)`);
  for (const f of floodFlows) {
    const same = f.rgLines === undefined ? '' : f.rgLines === f.oursLines ? ' (same)' : ' (DIFFERENT)';
    console.log(
      `${f.name.padEnd(44)}${`${fmt(f.oursMs / 1000, 2)} s`.padStart(10)}${`${fmt(f.rssMb)} MB`.padStart(11)}${(f.rgMs === undefined ? '—' : `${fmt(f.rgMs / 1000, 2)} s`).padStart(10)}  ${f.oursLines}${f.rgLines === undefined ? '' : ` / ${f.rgLines}`}${same}`,
    );
  }
  // The memory bound of the hostile-bundle work: every run of ours, on both bundles, under it.
  const runs = [
    ...rows.filter((r) => r.tool.startsWith('quorum-lens') && r.rssMb !== undefined).map((r) => ({ name: r.tool, rssMb: r.rssMb! })),
    ...workflows,
    ...floodFlows,
  ];
  const over = runs.filter((r) => !(r.rssMb < RSS_BOUND_MB));
  const peak = Math.max(...runs.map((r) => r.rssMb));
  console.log(
    over.length === 0
      ? `\npeak RSS: every run of ours under ${RSS_BOUND_MB} MB (highest ${fmt(peak)} MB)`
      : `\npeak RSS OVER ${RSS_BOUND_MB} MB: ${over.map((r) => `${r.name} ${fmt(r.rssMb)} MB`).join('; ')}`,
  );
  console.log(
    `\nhover over LSP (1000 hovers): p50 ${fmt(lsp.hoverP50, 2)} ms, p99 ${fmt(lsp.hoverP99, 2)} ms; overlaps request: ${fmt(lsp.overlapsFirstMs, 1)} ms first, ${fmt(lsp.overlapsMs, 1)} ms after`,
  );
  console.log(
    `merge (in process, saved index): open at ${MERGE_AT} + a page of ${merge.lines} lines ${fmt(merge.openMs, 1)} ms; ` +
      `a page forward: median ${fmt(merge.forwardMedianMs, 1)} ms (max ${fmt(merge.forwardMaxMs, 1)}); ` +
      `a page back: median ${fmt(merge.backwardMedianMs, 1)} ms (max ${fmt(merge.backwardMaxMs, 1)}); ` +
      `filtered (level W, 2 excludes): ${fmt(merge.filteredOpenMs, 1)} ms for ${merge.filteredLines} lines`,
  );
  console.log(mergeLspText(mergeLsp));
  console.log(searchText(search));
  if (seeds > 0) console.log(seedsText(searchSeeds, sizeText));
  const out = path.join(outDir, `results-${sizeText}.json`);
  fs.writeFileSync(out, JSON.stringify(result, null, 2));
  console.log(`\nwritten to ${out}`);
}

const gitCommit = () => execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO, encoding: 'utf8' }).trim();

/** `--only search`: the search index on the bundle (over LSP too), then on the varied bundles of `--seeds`. */
async function searchOnly(bundle: string): Promise<void> {
  const search = await searchBench(bundle, SAMPLE_QUERIES, true);
  console.log(searchText(search));
  const searchSeeds = await seedBench(outDir, sizeText, parseSize(sizeText), seeds);
  if (seeds > 0) console.log(seedsText(searchSeeds, sizeText));
  const out = path.join(outDir, `results-${sizeText}-search.json`);
  const spread = seeds > 0 ? seedSpread(searchSeeds) : undefined;
  fs.writeFileSync(out, JSON.stringify({ commit: gitCommit(), size: sizeText, search, searchSeeds, searchSeedSpread: spread }, null, 2));
  console.log(`\nwritten to ${out}`);
}

/** `--only merge`: the saved index built once, then the merged log's paging in process and over LSP. */
async function mergeOnly(bundle: string, cache: string): Promise<void> {
  const r = timed(process.execPath, [CLI, 'index', bundle, '--json', '--cache', cache]);
  if (r.status !== 0) throw new Error(r.stderr);
  const merge = await mergeTimings(bundle, cache);
  const mergeLsp = await lspMergeTimings(bundle, cache);
  fs.rmSync(cache, { recursive: true, force: true });
  console.log(
    `merge (in process, saved index): open + ${merge.lines} lines ${fmt1(merge.openMs)} ms; forward median ${fmt1(merge.forwardMedianMs)} ms (max ${fmt1(merge.forwardMaxMs)}); back median ${fmt1(merge.backwardMedianMs)} ms (max ${fmt1(merge.backwardMaxMs)})`,
  );
  console.log(mergeLspText(mergeLsp));
  const out = path.join(outDir, `results-${sizeText}-merge.json`);
  fs.writeFileSync(out, JSON.stringify({ size: sizeText, merge, mergeLsp }, null, 2));
  console.log(`written to ${out}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
