#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { decodeValue } from '../core/decode/decodeValue';
import { leaderIntervals, type RoleInterval } from '../core/leaderIntervals';
import { findOverlaps } from '../core/overlaps';
import { BundleNotFoundError, indexBundle, indexBundleCached } from '../indexer/bundleIndexer';
import { defaultCacheDir } from '../indexer/indexCache';
import { loadRoleRules, timeFormatter } from './context';
import { printDecoded } from './commands/decodeCommand';
import { indexSummary, printIndex } from './commands/indexCommand';
import { intervalJson, printLeaders } from './commands/leadersCommand';
import { examined, overlapJson, printOverlaps } from './commands/overlapsCommand';
import { USAGE, UsageError } from './usage';
import { BundleQueries } from '../core/bundleQueries';
import { parseUserTime } from '../core/time';
import { contextCommand, countCommand, offsetsCommand, sessionCommand, statsCommand, traceCommand } from './commands/workflowCommands';

/** `--offset 172_20_131_243=-1400` (ms, repeatable) → microseconds per node. */
function parseOffsets(list: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of list) {
    const m = /^([^=]+)=([+-]?\d+(?:\.\d+)?)$/.exec(item);
    if (!m) throw new UsageError(`--offset takes NODE=MILLISECONDS, not "${item}"`);
    out[m[1]] = Math.round(Number(m[2]) * 1000);
  }
  return out;
}

/** "5s", "500ms", "2m", "5" (seconds) → seconds. */
function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text.trim());
  if (!m) throw new UsageError(`--window takes a duration such as 5s, 500ms or 2m, not "${text}"`);
  const v = Number(m[1]);
  return m[2] === 'ms' ? v / 1000 : m[2] === 'm' ? v * 60 : v;
}

async function main(rawArgv: string[]): Promise<number> {
  // `decode -7` is a retcode, not an option: negative numbers go after `--`.
  const negatives = rawArgv.filter((a) => /^-\d+$/.test(a));
  const argv = negatives.length ? [...rawArgv.filter((a) => !/^-\d+$/.test(a)), '--', ...negatives] : rawArgv;
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        json: { type: 'boolean', default: false },
        role: { type: 'string' },
        tz: { type: 'string' },
        rules: { type: 'string' },
        cache: { type: 'string' },
        'no-cache': { type: 'boolean', default: false },
        stats: { type: 'boolean', default: false },
        regex: { type: 'boolean', default: false },
        'ignore-case': { type: 'boolean', short: 'i', default: false },
        max: { type: 'string' },
        by: { type: 'string' },
        window: { type: 'string' },
        offset: { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const { values, positionals } = parsed;
  const [command, target, ...rest] = positionals;
  const needsArg = ['trace', 'context', 'count', 'stats', 'session'].includes(command ?? '');
  const arg = needsArg ? rest.shift() : undefined;
  if (values.help || !command) {
    process.stdout.write(USAGE);
    return values.help ? 0 : 2;
  }
  if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}"`);
  const fmt = timeFormatter(values.tz);
  const print = (human: () => string, json: () => unknown) => {
    process.stdout.write((values.json ? JSON.stringify(json(), null, 2) : human()) + '\n');
  };

  if (command === 'decode') {
    if (!target) throw new UsageError('decode needs a VALUE (e.g. 0x100000175e)');
    const d = decodeValue(target);
    if (!d) throw new UsageError(`"${target}" is not a zxid, session id, retcode or errno`);
    print(() => printDecoded(d), () => d);
    return 0;
  }
  if (!['index', 'leaders', 'overlaps', 'trace', 'context', 'count', 'stats', 'offsets', 'session'].includes(command)) {
    throw new UsageError(`unknown command "${command}" (try --help)`);
  }
  if (!target) throw new UsageError(`${command} needs a bundle folder`);
  if (needsArg && !arg) throw new UsageError(`${command} needs ${command === 'context' ? 'a TIME' : command === 'session' ? 'a session id or uuid' : 'a PATTERN'} after the folder`);
  const offsets = parseOffsets(values.offset ?? []);
  const max = values.max !== undefined ? Number(values.max) : 100_000;
  if (!(max > 0)) throw new UsageError('--max takes a positive number');
  const by = values.by ?? 'day';
  if (by !== 'day' && by !== 'hour') throw new UsageError('--by takes day or hour');
  const windowSec = parseDuration(values.window ?? '5s');
  let center: number | undefined;
  if (command === 'context') {
    center = parseUserTime(arg ?? '');
    if (center === undefined) throw new UsageError(`"${arg}" is not a time (2023-03-14T01:35:51 or 2023-03-14 01:35:51.703)`);
  }
  if (command === 'stats') {
    try {
      new RegExp(arg ?? '');
    } catch (e) {
      throw new UsageError(`stats: bad REGEX: ${(e as Error).message}`);
    }
    if (!/(^|[^\\])\((?!\?)/.test(arg ?? '')) throw new UsageError('stats: the REGEX needs a capture group around the number, e.g. "GC pause ([0-9.]+)"');
  }
  const rules = loadRoleRules(values.rules);
  const known = rules.map((r) => r.role);
  const roleArg = values.role ?? 'meta';
  if (roleArg !== 'all' && !known.includes(roleArg)) throw new UsageError(`unknown role "${roleArg}" (one of ${known.join(', ')}, all)`);
  const roles = roleArg === 'all' ? known : [roleArg];

  const started = process.hrtime.bigint();
  const bundle = values['no-cache']
    ? await indexBundle(target, { roleRules: rules })
    : await indexBundleCached(target, values.cache ?? defaultCacheDir(), { roleRules: rules });
  if (values.stats) {
    // For benchmarks: wall time of indexing and the process's peak resident set (workers included).
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    process.stderr.write(`${JSON.stringify({ indexMs: ms, maxRssKb: process.resourceUsage().maxRSS, files: bundle.files.length })}\n`);
  }
  if (command === 'index') {
    print(() => printIndex(bundle, fmt), () => indexSummary(bundle, fmt));
    return 0;
  }
  const pattern = { source: arg ?? '', regex: values.regex, ignoreCase: values['ignore-case'] };
  const workflow =
    command === 'trace' ? await traceCommand(bundle, pattern, offsets, fmt, max)
      : command === 'context' ? await contextCommand(bundle, center ?? 0, windowSec, offsets, fmt)
      : command === 'count' ? await countCommand(bundle, pattern, by, offsets, fmt)
      : command === 'stats' ? await statsCommand(bundle, arg ?? '')
      : command === 'offsets' ? offsetsCommand(bundle, known)
      : command === 'session' ? sessionCommand(bundle, arg ?? '', fmt)
      : undefined;
  if (workflow) {
    print(workflow.human, () => workflow.json);
    // A file that vanished since indexing is left out of the answer: say so where scripts look for warnings.
    const unreadable = (workflow.json as { unreadable?: { file: string; message: string }[] }).unreadable ?? [];
    for (const u of unreadable) process.stderr.write(`quorum-lens: could not read ${u.file} (left out): ${u.message}\n`);
    return 0;
  }
  const intervals: RoleInterval[] = roles.flatMap((r) => leaderIntervals(bundle, r)).sort((a, b) => a.start - b.start);
  if (command === 'leaders') {
    print(() => printLeaders(intervals, fmt), () => ({ intervals: intervals.map((iv) => intervalJson(iv, fmt)) }));
    return 0;
  }
  const overlaps = roles.flatMap((r) => findOverlaps(intervals.filter((iv) => iv.role === r), offsets)).sort((a, b) => a.start - b.start);
  const queries = new BundleQueries(bundle, known);
  const uncertainty = (o: (typeof overlaps)[number]) => queries.clockUncertainty(o.nodes[0], o.nodes[1]);
  print(
    () => printOverlaps(overlaps, intervals, roles, fmt, uncertainty),
    () => ({ overlaps: overlaps.map((o) => overlapJson(o, fmt, uncertainty(o))), examined: examined(intervals) }),
  );
  return 0;
}

/** Exits once stdout has been flushed: a pipe takes writes asynchronously, and exiting early cuts long JSON. */
function exitAfterFlush(code: number): void {
  process.stdout.write('', () => process.exit(code));
}

main(process.argv.slice(2)).then(
  (code) => exitAfterFlush(code),
  (e) => {
    if (e instanceof UsageError || e instanceof BundleNotFoundError) {
      process.stderr.write(`quorum-lens: ${e.message}\n`);
      process.exit(2);
    }
    process.stderr.write(`quorum-lens: unexpected error: ${(e as Error).stack ?? e}\n`);
    process.exit(1);
  },
);
