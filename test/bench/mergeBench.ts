// The Cluster Log view's paging, measured for `npm run bench`: the merged log read a page at a time, in
// process over the saved index and over the language server's stdio, with the server's memory per page.
import * as fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import { BUILTIN_ROLE_RULES } from '../../src/core/rules/roleRules';
import { formatIso, parseUserTime } from '../../src/core/time';
import * as service from '../../src/service';
import { StdioServer } from '../server/lspClient';

/** The language server's resident memory now (Linux: VmRSS of its process), in MB. */
function rssMbOf(pid: number | undefined): number {
  const m = pid === undefined ? null : /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

interface MergePage {
  lines: unknown[];
  next?: unknown;
  previous?: unknown;
}

/** The language server over stdio on `bundle` (its index saved in `cacheDir`), once it says the index is ready. */
export async function indexedServer(bundle: string, cacheDir: string): Promise<StdioServer> {
  const s = new StdioServer();
  await s.connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri: pathToFileURL(bundle).toString(),
    capabilities: {},
    initializationOptions: { cacheDir },
  });
  await s.connection.sendNotification('initialized', {});
  await s.waitFor('quorumLens/indexStatus', (p) => (p as { state: string }).state === 'ready', 30 * 60_000);
  return s;
}

/**
 * The Cluster Log view's own path: the language server over stdio answering `quorumLens/mergedLines` — open
 * at a time with 1000 lines, then MERGE_LSP_PAGES pages forward and as many back from the cursors, as the
 * view pages while the reader scrolls — with the server's resident memory after every page (flat means
 * scrolling holds nothing). Nothing is asserted.
 */
export async function lspMergeTimings(bundle: string, cacheDir: string) {
  const s = await indexedServer(bundle, cacheDir);
  try {
    const ask = async (params: Record<string, unknown>) => {
      const t0 = process.hrtime.bigint();
      const r = await s.connection.sendRequest<MergePage>('quorumLens/mergedLines', { limit: 1000, ...params });
      return { r, ms: Number(process.hrtime.bigint() - t0) / 1e6 };
    };
    const rss: number[] = [];
    const first = await ask({ from: parseUserTime(MERGE_AT) });
    rss.push(rssMbOf(s.child.pid));
    const forward: number[] = [];
    let page = first.r;
    for (let i = 0; i < MERGE_LSP_PAGES && page.next; i++) {
      const next = await ask({ cursor: page.next });
      forward.push(next.ms);
      rss.push(rssMbOf(s.child.pid));
      page = next.r;
    }
    const backward: number[] = [];
    for (let i = 0; i < 2 * MERGE_LSP_PAGES && page.previous; i++) {
      const back = await ask({ cursor: page.previous, direction: 'backward' });
      backward.push(back.ms);
      rss.push(rssMbOf(s.child.pid));
      page = back.r;
    }
    // Go to Time once the view is open: another moment, an hour later, a page of its own.
    const jump = await ask({ from: parseUserTime(MERGE_AT)! + 3600e6 });
    const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
    const pct = (xs: number[], q: number) => sorted(xs)[Math.min(xs.length - 1, Math.floor(xs.length * q))] ?? NaN;
    return {
      openMs: first.ms,
      jumpMs: jump.ms,
      lines: first.r.lines.length,
      pages: forward.length + backward.length,
      forwardMedianMs: pct(forward, 0.5),
      forwardMaxMs: Math.max(...forward),
      backwardMedianMs: pct(backward, 0.5),
      backwardMaxMs: Math.max(...backward),
      serverRssMb: {
        first: rss[0],
        min: Math.min(...rss),
        max: Math.max(...rss),
        last: rss[rss.length - 1],
        // Every 25th page: a leak would climb page after page; a collector's sawtooth does not.
        every25: rss.filter((_, i) => i % 25 === 0).map((v) => Math.round(v)),
      },
    };
  } finally {
    await s.stop();
  }
}

/** Pages forward, then twice as many back (past the start), over LSP. */
const MERGE_LSP_PAGES = 50;

/** The moment the merge benchmark opens the merged log at: an overlap of the sample bundle. */
export const MERGE_AT = '2023-03-14 05:12:20';
const MERGE_PAGES = 10;

/**
 * The Cluster Log view's paging, in process over the saved index (as the language server pages): open the
 * merged log at a time with a page of 1000 lines, then MERGE_PAGES pages forward and as many back, each
 * read from its cursor. Median and worst per page; nothing is asserted.
 */
export async function mergeTimings(bundle: string, cacheDir: string) {
  const rules = [...BUILTIN_ROLE_RULES];
  const ctx: service.ServiceContext = {
    rules,
    clockOffsetsMs: {},
    label: formatIso,
    bundles: [await service.openBundle(bundle, { roleRules: rules, cacheDir })],
  };
  const timed = async (params: service.MergeParams) => {
    const t0 = process.hrtime.bigint();
    const r = await service.mergedLines(ctx, { limit: 1000, ...params });
    return { r, ms: Number(process.hrtime.bigint() - t0) / 1e6 };
  };
  const first = await timed({ from: parseUserTime(MERGE_AT) });
  const forward: number[] = [];
  let page = first.r;
  for (let i = 0; i < MERGE_PAGES && page.next; i++) {
    const next = await timed({ cursor: page.next });
    forward.push(next.ms);
    page = next.r;
  }
  const backward: number[] = [];
  page = first.r;
  for (let i = 0; i < MERGE_PAGES && page.previous; i++) {
    const back = await timed({ cursor: page.previous, direction: 'backward' });
    backward.push(back.ms);
    page = back.r;
  }
  const filtered = await timed({ from: parseUserTime(MERGE_AT), exclude: ['SET PEXTENT', 'EXTENT GC'], level: 'W' });
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
  return {
    openMs: first.ms,
    lines: first.r.lines.length,
    forwardMedianMs: median(forward),
    forwardMaxMs: Math.max(...forward),
    backwardMedianMs: median(backward),
    backwardMaxMs: Math.max(...backward),
    filteredOpenMs: filtered.ms,
    filteredLines: filtered.r.lines.length,
  };
}

export const fmt1 = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : '—');

export function mergeLspText(m: Awaited<ReturnType<typeof lspMergeTimings>>): string {
  return (
    `merge over LSP (the Cluster Log view's pages): open at ${MERGE_AT} + ${m.lines} lines ${fmt1(m.openMs)} ms (the first request), Go to Time an hour on ${fmt1(m.jumpMs)} ms; ` +
    `${m.pages} pages: forward median ${fmt1(m.forwardMedianMs)} ms (max ${fmt1(m.forwardMaxMs)}), ` +
    `back median ${fmt1(m.backwardMedianMs)} ms (max ${fmt1(m.backwardMaxMs)}); ` +
    `server RSS ${fmt1(m.serverRssMb.first)} MB after the first page, ${fmt1(m.serverRssMb.min)}–${fmt1(m.serverRssMb.max)} MB over all, ${fmt1(m.serverRssMb.last)} MB after the last (every 25th page: ${m.serverRssMb.every25.join(', ')} MB)`
  );
}
