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
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const { values, positionals } = parsed;
  const [command, target, ...rest] = positionals;
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
  if (!['index', 'leaders', 'overlaps'].includes(command)) throw new UsageError(`unknown command "${command}" (try --help)`);
  if (!target) throw new UsageError(`${command} needs a bundle folder`);
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
  const intervals: RoleInterval[] = roles.flatMap((r) => leaderIntervals(bundle, r)).sort((a, b) => a.start - b.start);
  if (command === 'leaders') {
    print(() => printLeaders(intervals, fmt), () => ({ intervals: intervals.map((iv) => intervalJson(iv, fmt)) }));
    return 0;
  }
  const overlaps = roles.flatMap((r) => findOverlaps(intervals.filter((iv) => iv.role === r))).sort((a, b) => a.start - b.start);
  print(
    () => printOverlaps(overlaps, intervals, roles, fmt),
    () => ({ overlaps: overlaps.map((o) => overlapJson(o, fmt)), examined: examined(intervals) }),
  );
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    if (e instanceof UsageError || e instanceof BundleNotFoundError) {
      process.stderr.write(`quorum-lens: ${e.message}\n`);
      process.exit(2);
    }
    process.stderr.write(`quorum-lens: unexpected error: ${(e as Error).stack ?? e}\n`);
    process.exit(1);
  },
);
