import { BundleNotFoundError } from '../indexer/bundleIndexer';
import { findBundleRoots } from '../indexer/bundleRoots';
import { enableLinearRegexFallback } from '../indexer/regexRuntime';
import * as service from '../service';
import { parseCommandLine, type CommandLine } from './args';
import { commandNamed } from './commands';
import type { CliCommand, Output } from './commands/output';
import { loadRoleRules, timeFormatter } from './context';
import { usageText, UsageError } from './usage';
import { terminalText } from '../core/inertText';
import { prettyJsonChunks, writeChunks } from './prettyJson';
import { oneShotProcess } from '../indexer/searchPool';

async function main(argv: string[]): Promise<number> {
  // A reader that stops early (`| head`) closes the pipe: it took what it wanted, which is no failure.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    process.exit(0);
  });
  enableLinearRegexFallback();
  oneShotProcess();
  const cl = parseCommandLine(argv);
  if (cl.command === 'help') {
    process.stdout.write(usageText());
    return cl.help ? 0 : 2;
  }
  const ctx: service.ServiceContext = { bundles: [], rules: [], clockOffsetsMs: cl.offsetsMs, label: timeFormatter(cl.tz) };
  const command = commandNamed(cl.command);
  if (!command) throw new UsageError(`unknown command "${cl.command}" (try --help)`);
  const problem = command.check?.(cl);
  if (problem) throw new UsageError(problem);
  const out = command.noBundle ? await command.run(ctx, cl) : await runOnBundle(command, ctx, cl);
  if (cl.json) await writeChunks(process.stdout, prettyJsonChunks(out.json));
  else process.stdout.write(out.human());
  process.stdout.write('\n');
  for (const n of out.notes ?? []) process.stderr.write(terminalText(`quorum-lens: note: ${n}`) + '\n');
  for (const u of out.unreadable ?? [])
    process.stderr.write(terminalText(`quorum-lens: could not read ${u.file} (left out): ${u.message}`) + '\n');
  for (const n of out.after ? await out.after() : []) process.stderr.write(terminalText(`quorum-lens: note: ${n}`) + '\n');
  return 0;
}

/** Indexes the bundle (or loads its saved index), then runs the command over it. */
async function runOnBundle(command: CliCommand, base: service.ServiceContext, cl: CommandLine): Promise<Output> {
  const rules = loadRoleRules(cl.rules);
  const ctx = { ...base, rules };
  service.resolveRoles(ctx, cl.role);
  const started = process.hrtime.bigint();
  // Several bundle roots side by side are several bundles: their nodes are never compared.
  const roots = await findBundleRoots(cl.target);
  const bundles: service.BundleHandle[] = [];
  for (const { root, walked } of roots)
    bundles.push(await service.openBundle(root, { roleRules: rules, cacheDir: cl.noCache ? false : cl.cache, walked }));
  // The saved index is a convenience: when it cannot be used the answer still comes, with a warning.
  for (const w of bundles.flatMap((b) => b.cacheWarnings ?? [])) process.stderr.write(terminalText(`quorum-lens: warning: ${w}`) + '\n');
  if (cl.stats) {
    // For benchmarks: wall time of indexing and the process's peak resident set (workers included).
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    process.stderr.write(
      `${JSON.stringify({ indexMs: ms, maxRssKb: process.resourceUsage().maxRSS, files: bundles.reduce((n, b) => n + b.index.files.length, 0) })}\n`,
    );
  }
  // --offset names a node by folder or address; a name that is no node is a mistake, not a no-op.
  const offsets = service.resolveClockOffsets({ bundles, clockOffsetsMs: ctx.clockOffsetsMs });
  if (offsets.unknown.length > 0)
    throw new UsageError(
      `--offset ${offsets.unknown.join(', ')}: no such node in this bundle (nodes: ${offsets.nodes.join(', ')}; an address of a node works too)`,
    );
  return command.run({ ...ctx, clockOffsetsMs: offsets.offsetsMs, bundles }, cl);
}

/** Exits once stdout has been flushed: a pipe takes writes asynchronously, and exiting early cuts long JSON. */
function exitAfterFlush(code: number): void {
  process.stdout.write('', () => process.exit(code));
}

main(process.argv.slice(2)).then(
  (code) => exitAfterFlush(code),
  (e: unknown) => {
    if (e instanceof UsageError || e instanceof BundleNotFoundError || e instanceof service.InputError) {
      process.stderr.write(terminalText(`quorum-lens: ${e.message}`) + '\n');
      process.exit(2);
    }
    process.stderr.write(`quorum-lens: unexpected error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
