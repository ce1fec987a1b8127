// The search section's tables for `npm run bench`: one bundle's numbers side by side, and the seeds' spread.
import { LSP_REQUESTS, LSP_TRACE_MAX, type QueryRow, type SearchResult, type SeedResult, type Timed } from './searchBench';

const sec = (ms: number | undefined) => (ms === undefined || !Number.isFinite(ms) ? '—' : `${(ms / 1000).toFixed(2)} s`);
const num = (v: number | undefined, d = 0) => (v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(d));
const mbText = (b: number) => `${(b / 1e6).toFixed(1)} MB`;
const timedText = (t: Timed | undefined) => (t === undefined ? '—' : t.error ? 'failed' : sec(t.ms));

const runsOf = (r: QueryRow) => [r.indexed, r.full, ...(r.rg ? [r.rg] : [])];
/** Ours with the search index, ours reading every byte and rg all answered, with as many matches. */
/** Every run found the same; when ours were cut at a limit, ours agree with each other (rg counts past the cut). */
const agree = (r: QueryRow) =>
  (r.indexed.cut ? [r.indexed, r.full] : runsOf(r)).every((t) => t.error === undefined && t.matches === r.indexed.matches);
const matchesText = (r: QueryRow) =>
  runsOf(r)
    .map((t) => t.error ?? num(t.matches))
    .join(' / ');

export function searchText(r: SearchResult): string {
  const out: string[] = [`\nsearch index: ${mbText(r.bytes)} in ${r.files} files`];
  out.push(
    `${'index (cold: fresh cache, warm page cache)'.padEnd(56)}${'time'.padStart(9)}${'MB/s'.padStart(7)}${'peak RSS'.padStart(10)}`,
  );
  const cold = (label: string, c: SearchResult['with'], note: string) =>
    `${label.padEnd(56)}${sec(c.ms).padStart(9)}${num(c.mbps).padStart(7)}${`${num(c.rssMb)} MB`.padStart(10)}  ${note}`;
  out.push(cold('  --no-search-index', r.without, `event index ${num(r.without.eventMs)} ms`));
  out.push(cold('  with the search index', r.with, `event index ${num(r.with.eventMs)} ms + search index ${num(r.with.searchMs)} ms`));
  out.push(`search index on disk: ${(r.with.searchBytes ?? 0).toLocaleString('en-US')} bytes, ${num(r.searchPct, 2)} % of the bundle`);
  out.push(
    `\n${'warm, whole process (median of 3)'.padEnd(56)}${'indexed'.padStart(9)}${'full scan'.padStart(11)}${'rg'.padStart(9)}  matches (indexed / full / rg)`,
  );
  for (const q of r.queries) {
    out.push(
      `${`${q.name} '${q.text}'`.slice(0, 55).padEnd(56)}${timedText(q.indexed).padStart(9)}${timedText(q.full).padStart(11)}${timedText(q.rg).padStart(9)}  ${matchesText(q)}${agree(q) ? (q.indexed.cut ? ' (ours cut at the limit, the same)' : ' (same)') : ' DIFFERENT'}`,
    );
  }
  if (r.lsp) {
    const head = `over LSP, search index ${r.lsp.state} (1 + ${LSP_REQUESTS} requests; trace max ${LSP_TRACE_MAX})`;
    out.push(
      `\n${head.padEnd(56)}${'first'.padStart(9)}${'p50'.padStart(9)}${'p99'.padStart(9)}${'read'.padStart(11)}${'skipped'.padStart(11)}  matches`,
    );
    const ms = (v: number) => `${num(v, 1)} ms`;
    for (const l of r.lsp.rows) {
      // A cut trace holds a page: only a whole answer is compared with the process runs'.
      const whole = r.queries.find((q) => q.name === l.name)?.indexed.matches;
      const check = l.truncated ? ' (cut)' : l.matches === whole ? ' (same)' : ` DIFFERENT (the CLI: ${num(whole)})`;
      out.push(
        `  ${l.name.padEnd(54)}${ms(l.firstMs).padStart(9)}${ms(l.p50Ms).padStart(9)}${ms(l.p99Ms).padStart(9)}${mbText(l.readBytes).padStart(11)}${mbText(l.skippedBytes).padStart(11)}  ${l.matches}${check}${l.note ? `  note: ${l.note}` : ''}`,
      );
    }
    out.push(`server RSS after: ${num(r.lsp.serverRssMb)} MB${r.lsp.note ? `; ${r.lsp.note}` : ''}`);
  }
  return out.join('\n');
}

/** Per seed, the numbers of the section (raw: bytes, ms, MB/s, %), as printed and as spread in the JSON. */
function seedRows(results: SeedResult[]): { label: string; unit: string; values: number[] }[] {
  const row = (label: string, unit: string, value: (r: SeedResult) => number) => ({ label, unit, values: results.map(value) });
  const rows = [
    row('bundle', 'bytes', (r) => r.bytes),
    row('index cold, --no-search-index', 'ms', (r) => r.without.ms),
    row('index cold, --no-search-index', 'MB/s', (r) => r.without.mbps),
    row('index cold, with the search index', 'ms', (r) => r.with.ms),
    row('index cold, with the search index', 'MB/s', (r) => r.with.mbps),
    row('search index build', 'ms', (r) => r.with.searchMs ?? NaN),
    row('search index size', '%', (r) => r.searchPct),
  ];
  results[0].queries.forEach((q, i) => {
    rows.push(row(`${q.name}, matches`, 'lines', (r) => r.queries[i].indexed.matches ?? NaN));
    rows.push(row(`${q.name}, indexed`, 'ms', (r) => r.queries[i].indexed.ms));
    rows.push(row(`${q.name}, full scan`, 'ms', (r) => r.queries[i].full.ms));
    rows.push(row(`${q.name}, rg`, 'ms', (r) => r.queries[i].rg?.ms ?? NaN));
  });
  return rows;
}

const unitText = (unit: string, v: number) =>
  unit === 'bytes' ? mbText(v) : unit === 'ms' ? sec(v) : unit === '%' ? `${num(v, 2)} %` : unit === 'lines' ? num(v) : `${num(v)} ${unit}`;

export function seedSpread(results: SeedResult[]): Record<string, { min: number; max: number }> {
  return Object.fromEntries(
    seedRows(results).map((r) => [`${r.label} (${r.unit})`, { min: Math.min(...r.values), max: Math.max(...r.values) }]),
  );
}

export function seedsText(results: SeedResult[], sizeText: string): string {
  const out = [
    `\nvaried bundles (--size ${sizeText}, warm: median of 3)`.padEnd(41) +
      results.map((r) => `seed ${r.seed}`.padStart(11)).join('') +
      'spread (min–max)'.padStart(24),
  ];
  for (const r of seedRows(results)) {
    const text = (v: number) => unitText(r.unit, v);
    const spread = `${text(Math.min(...r.values))} – ${text(Math.max(...r.values))}`;
    out.push(`${r.label.padEnd(40)}${r.values.map((v) => text(v).padStart(11)).join('')}${spread.padStart(24)}`);
  }
  const bad = results.flatMap((r) =>
    r.queries.filter((q) => !agree(q)).map((q) => `  seed ${r.seed}: ${q.name}: ${matchesText(q)} (indexed / full scan / rg)`),
  );
  out.push(
    bad.length
      ? `matches DIFFER:\n${bad.join('\n')}`
      : 'matches: ours with the search index, ours reading every byte and rg agree on every query of every seed',
  );
  return out.join('\n');
}
