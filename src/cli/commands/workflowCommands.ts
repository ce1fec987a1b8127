import { BundleQueries } from '../../core/bundleQueries';
import type { BundleIndex } from '../../core/model';
import type { ClockOffsets } from '../../core/overlaps';
import { countPerNode, type Bucket } from '../../core/workflows/countPerNode';
import { sortByTime, correctedTime } from '../../core/workflows/hitOrder';
import { numericStats } from '../../core/workflows/numericStats';
import { sessionLifecycle } from '../../core/workflows/sessionLifecycle';
import type { Micros } from '../../core/time';
import { clusterContext } from '../../indexer/contextWindow';
import { grepBundle } from '../../indexer/grepBundle';
import type { GrepPattern } from '../../indexer/grepFile';
import { table } from '../table';

type Fmt = (t: number) => string;
const when = (fmt: Fmt, t: number | undefined) => (t === undefined ? null : fmt(t));

/** `quorum-lens trace DIR TEXT`: every line that mentions TEXT, on every node, in time order. */
export async function traceCommand(bundle: BundleIndex, pattern: GrepPattern, offsets: ClockOffsets, fmt: Fmt, max: number) {
  const r = await grepBundle(bundle, pattern, { maxMatches: max });
  const hits = sortByTime(bundle, r.hits, offsets);
  const json = {
    query: pattern.source, regex: pattern.regex, truncated: r.truncated, filesSearched: r.files, bytesSearched: r.bytes, unreadable: r.unreadable,
    hits: hits.map((h) => ({ node: bundle.files[h.file].node, file: bundle.files[h.file].path, line: h.line, time: when(fmt, correctedTime(bundle, h, offsets)), text: h.text })),
  };
  const human = () => {
    if (hits.length === 0) return `No line mentions "${pattern.source}" (${r.files} files searched).`;
    const rows = json.hits.map((h) => [h.time?.replace('T', ' ') ?? '-', h.node, `${h.file}:${h.line}`, h.text.slice(0, 160)]);
    return `${hits.length}${r.truncated ? '+ (stopped at the limit)' : ''} lines mention "${pattern.source}":\n\n${table(['TIME', 'NODE', 'SOURCE', 'LINE'], rows)}`;
  };
  return { json, human };
}

/** `quorum-lens context DIR TIME`: what every node wrote within ±window of a moment. */
export async function contextCommand(bundle: BundleIndex, center: Micros, windowSec: number, offsets: ClockOffsets, fmt: Fmt) {
  const r = await clusterContext(bundle, center, Math.round(windowSec * 1e6), offsets);
  const json = {
    center: fmt(center), windowSeconds: windowSec, truncatedFiles: r.truncatedFiles, unreadable: r.unreadable,
    lines: r.lines.map((l) => ({ node: bundle.files[l.file].node, file: bundle.files[l.file].path, line: l.line, time: fmt(l.corrected), text: l.text })),
  };
  const human = () => {
    if (r.lines.length === 0) return `No node wrote anything within ±${windowSec} s of ${fmt(center).replace('T', ' ')}.`;
    const rows = json.lines.map((l) => [`${l.time.replace('T', ' ')}${l.time < json.center ? '' : ''}`, l.node, `${l.file.slice(l.file.lastIndexOf('/') + 1)}:${l.line}`, l.text.slice(0, 160)]);
    return `${r.lines.length} lines within ±${windowSec} s of ${json.center.replace('T', ' ')}:\n\n${table(['TIME', 'NODE', 'SOURCE', 'LINE'], rows)}`;
  };
  return { json, human };
}

/** `quorum-lens count DIR PATTERN --by day|hour`: matches per node and per day (or hour). */
export async function countCommand(bundle: BundleIndex, pattern: GrepPattern, by: Bucket, offsets: ClockOffsets, fmt: Fmt) {
  const r = await grepBundle(bundle, pattern, { maxMatches: 5_000_000 });
  const t = countPerNode(bundle, r.hits, by, offsets);
  const label = (b: number) => (by === 'day' ? fmt(b).slice(0, 10) : fmt(b).slice(0, 13).replace('T', ' ') + ':00');
  const json = {
    pattern: pattern.source, by, truncated: r.truncated, undated: t.undated, unreadable: r.unreadable, buckets: t.buckets.map(label),
    nodes: t.nodes.map((n) => ({ node: n, total: t.totals[n], counts: t.counts[n] })),
  };
  const human = () => {
    if (t.nodes.length === 0) return `No line matches "${pattern.source}".`;
    const rows = t.buckets.map((b, i) => [label(b), ...t.nodes.map((n) => String(t.counts[n][i]))]);
    rows.push(['total', ...t.nodes.map((n) => String(t.totals[n]))]);
    return `"${pattern.source}" per node and ${by}:\n\n${table([by.toUpperCase(), ...t.nodes], rows)}${t.undated ? `\n(${t.undated} matches have no time)` : ''}`;
  };
  return { json, human };
}

/** `quorum-lens stats DIR REGEX`: the number captured by REGEX, summarized per node. */
export async function statsCommand(bundle: BundleIndex, regex: string) {
  const r = await grepBundle(bundle, { source: regex, regex: true }, { maxMatches: 5_000_000 });
  const s = numericStats(bundle, r.hits);
  const json = { pattern: regex, truncated: r.truncated, notNumbers: s.notNumbers, unreadable: r.unreadable, all: s.all ?? null, nodes: Object.entries(s.perNode).map(([node, v]) => ({ node, ...v })) };
  const n = (v: number) => String(Number(v.toPrecision(6)));
  const human = () => {
    if (!s.all) return `No line matches /${regex}/ with a number in its first capture group.`;
    const rows = [...json.nodes.map((x) => [x.node, String(x.count), n(x.sum), n(x.min), n(x.max), n(x.mean), n(x.median), n(x.p99)]),
      ['all', String(s.all.count), n(s.all.sum), n(s.all.min), n(s.all.max), n(s.all.mean), n(s.all.median), n(s.all.p99)]];
    return table(['NODE', 'COUNT', 'SUM', 'MIN', 'MAX', 'MEAN', 'MEDIAN', 'P99'], rows) + (s.notNumbers ? `\n(${s.notNumbers} matches captured no number)` : '');
  };
  return { json, human };
}

/** `quorum-lens offsets DIR`: the clock offsets NTP/chrony measured, per node (seconds). */
export function offsetsCommand(bundle: BundleIndex, roles: string[]) {
  const stats = new BundleQueries(bundle, roles).clockOffsetStats();
  const json = { nodes: [...stats].sort((a, b) => a[0].localeCompare(b[0])).map(([node, s]) => ({ node, count: s.count, min: s.min, max: s.max, mean: s.mean, median: s.median, maxAbs: s.maxAbs })) };
  const human = () => (json.nodes.length === 0 ? 'No NTP/chrony offsets found in the bundle.'
    : table(['NODE', 'READINGS', 'MIN s', 'MAX s', 'MEAN s', 'MEDIAN s', 'LARGEST |s|'], json.nodes.map((x) => [x.node, String(x.count), ...[x.min, x.max, x.mean, x.median, x.maxAbs].map((v) => String(Number(v.toPrecision(4))))])));
  return { json, human };
}

/** `quorum-lens session DIR ID`: a ZooKeeper session id's or a meta session uuid's lifecycle. */
export function sessionCommand(bundle: BundleIndex, id: string, fmt: Fmt) {
  const life = sessionLifecycle(bundle, id);
  const creator = life.creatorMyid !== undefined ? new BundleQueries(bundle, []).nodeOfMyid(life.creatorMyid) : undefined;
  const json = {
    id: life.id, kind: life.kind,
    createdBy: life.creatorMyid !== undefined ? { myid: life.creatorMyid, node: creator?.name ?? null } : null,
    events: life.events.map((e) => ({ node: bundle.files[e.file].node, file: bundle.files[e.file].path, line: e.line, time: fmt(e.time), what: e.what, text: e.text })),
  };
  const human = () => (life.events.length === 0 ? `Nothing about ${id} in the bundle.`
    : `${life.kind === 'zookeeper' ? 'ZooKeeper session' : 'meta session'} ${life.id}${json.createdBy ? ` (created by myid ${json.createdBy.myid}${json.createdBy.node ? ` = ${json.createdBy.node}` : ''})` : ''}:\n\n${table(['TIME', 'NODE', 'WHAT', 'SOURCE'], json.events.map((e) => [e.time.replace('T', ' '), e.node, e.what, `${e.file}:${e.line}`]))}`);
  return { json, human };
}
