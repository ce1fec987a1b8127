#!/usr/bin/env node
import { BundleNotFoundError } from '../indexer/bundleIndexer';
import * as service from '../service';
import { parseCommandLine, type CommandLine } from './args';
import { contextOutput } from './commands/contextCommand';
import { countOutput } from './commands/countCommand';
import { decodeOutput } from './commands/decodeCommand';
import { indexOutput } from './commands/indexCommand';
import { leadersOutput } from './commands/leadersCommand';
import { offsetsOutput } from './commands/offsetsCommand';
import type { Output } from './commands/output';
import { overlapsOutput } from './commands/overlapsCommand';
import { sessionOutput } from './commands/sessionCommand';
import { statsOutput } from './commands/statsCommand';
import { traceOutput } from './commands/traceCommand';
import { loadRoleRules, timeFormatter } from './context';
import { USAGE, UsageError } from './usage';

/** Each command: the service call it translates, and how its answer is printed. */
const COMMANDS: Record<Exclude<CommandLine['command'], 'help' | 'decode'>, (ctx: service.ServiceContext, cl: CommandLine) => Promise<Output>> = {
  index: async (ctx) => indexOutput(service.summary(ctx, ctx.bundles[0])),
  leaders: async (ctx, cl) => leadersOutput(service.leaders(ctx, { role: cl.role })),
  overlaps: async (ctx, cl) => overlapsOutput(service.overlaps(ctx, { role: cl.role })),
  trace: async (ctx, cl) => traceOutput(await service.trace(ctx, { text: cl.arg, regex: cl.regex, ignoreCase: cl.ignoreCase, max: cl.max })),
  context: async (ctx, cl) => contextOutput(await service.clusterContext(ctx, { time: cl.center, windowSeconds: cl.windowSeconds })),
  count: async (ctx, cl) => countOutput(await service.count(ctx, { pattern: cl.arg, regex: cl.regex, ignoreCase: cl.ignoreCase, by: cl.by })),
  stats: async (ctx, cl) => statsOutput(await service.stats(ctx, { regex: cl.arg })),
  offsets: async (ctx) => offsetsOutput(service.clockOffsets(ctx)),
  session: async (ctx, cl) => sessionOutput(cl.arg, service.sessionLifecycle(ctx, { id: cl.arg })),
};

async function main(argv: string[]): Promise<number> {
  const cl = parseCommandLine(argv);
  if (cl.command === 'help') {
    process.stdout.write(USAGE);
    return cl.help ? 0 : 2;
  }
  const ctx: service.ServiceContext = { bundles: [], rules: [], clockOffsetsMs: cl.offsetsMs, label: timeFormatter(cl.tz) };
  let out: Output;
  if (cl.command === 'decode') {
    out = decodeOutput(cl.target, service.decode(ctx, { value: cl.target }));
  } else {
    if (cl.command === 'stats') {
      const problem = service.statsRegexProblem(cl.arg);
      if (problem) throw new UsageError(`stats: ${problem}`);
    }
    const rules = loadRoleRules(cl.rules);
    const ready = { ...ctx, rules };
    service.resolveRoles(ready, cl.role);
    const started = process.hrtime.bigint();
    const bundle = await service.openBundle(cl.target, { roleRules: rules, cacheDir: cl.noCache ? false : cl.cache });
    if (cl.stats) {
      // For benchmarks: wall time of indexing and the process's peak resident set (workers included).
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      process.stderr.write(`${JSON.stringify({ indexMs: ms, maxRssKb: process.resourceUsage().maxRSS, files: bundle.index.files.length })}\n`);
    }
    out = await COMMANDS[cl.command]({ ...ready, bundles: [bundle] }, cl);
  }
  process.stdout.write((cl.json ? JSON.stringify(out.json, null, 2) : out.human()) + '\n');
  for (const u of out.unreadable ?? []) process.stderr.write(`quorum-lens: could not read ${u.file} (left out): ${u.message}\n`);
  return 0;
}

/** Exits once stdout has been flushed: a pipe takes writes asynchronously, and exiting early cuts long JSON. */
function exitAfterFlush(code: number): void {
  process.stdout.write('', () => process.exit(code));
}

main(process.argv.slice(2)).then(
  (code) => exitAfterFlush(code),
  (e: unknown) => {
    if (e instanceof UsageError || e instanceof BundleNotFoundError || e instanceof service.InputError) {
      process.stderr.write(`quorum-lens: ${e.message}\n`);
      process.exit(2);
    }
    process.stderr.write(`quorum-lens: unexpected error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
