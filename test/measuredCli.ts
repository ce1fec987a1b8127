import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import assert from 'node:assert/strict';
import { confinementBreaches, readAuditLog, type Confinement, type FsAccess } from './fsAudit';
import { CLI, snapshot, tempDir } from './helpers';

export interface MeasuredRun {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Peak resident set of the whole CLI process, workers included (KB). */
  rssKb: number;
  ms: number;
  /** Every file the run read, listed and wrote (real paths, from the fs audit preload). */
  accesses: FsAccess[];
}

const AUDIT_HOOK = path.join(__dirname, 'fsAudit.js');

let hook: string | undefined;

/**
 * The hostile tests' CLI run: measured, and held to its bounds — nothing read outside `bundle` (and the
 * cache, and `allowRead`), nothing written but in the cache, the bundle unchanged. A cache folder is made
 * for it unless `cacheHome` names one (`--no-cache` runs write nothing anyway).
 */
export function hostileCli(
  args: string[],
  options: { bundle: string; cacheHome?: string; allowRead?: string[]; env?: NodeJS.ProcessEnv; timeoutMs?: number },
): MeasuredRun {
  const cacheHome = options.cacheHome ?? tempDir('ql-hostile-cache-');
  return runCliMeasured(args, {
    env: { ...(options.env ?? process.env), XDG_CACHE_HOME: cacheHome },
    timeoutMs: options.timeoutMs,
    confinedTo: { bundle: options.bundle, cache: cacheHome, allowRead: options.allowRead },
  });
}

/**
 * Runs the built CLI as a child with a deadline and reads its peak RSS, which a preloaded hook writes to
 * stderr as the process exits: how the hostile tests hold memory and time to a bound.
 */
export function runCliMeasured(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; timeoutMs?: number; confinedTo?: Confinement } = {},
): MeasuredRun {
  if (!hook) {
    hook = path.join(tempDir('ql-rss-hook-'), 'rss.js');
    fs.writeFileSync(hook, "process.on('exit', () => process.stderr.write(`\\nRSS_KB=${process.resourceUsage().maxRSS}\\n`));\n");
  }
  const auditLog = path.join(tempDir('ql-fs-audit-'), 'accesses.jsonl');
  const bundleBefore = options.confinedTo && snapshot(options.confinedTo.bundle);
  const started = Date.now();
  const r = spawnSync(process.execPath, ['--require', hook, '--require', AUDIT_HOOK, CLI, ...args], {
    encoding: 'utf8',
    maxBuffer: 256 << 20,
    timeout: options.timeoutMs ?? 300_000,
    env: { ...(options.env ?? process.env), QL_FS_AUDIT: auditLog },
  });
  const rssKb = Number(/RSS_KB=(\d+)/.exec(r.stderr)?.[1] ?? NaN);
  const accesses = readAuditLog(auditLog);
  fs.rmSync(path.dirname(auditLog), { recursive: true, force: true });
  if (options.confinedTo) {
    assert.deepEqual(confinementBreaches(accesses, options.confinedTo), [], `quorum-lens ${args.join(' ')}: stays in its bounds`);
    assert.deepEqual(snapshot(options.confinedTo.bundle), bundleBefore, 'nothing in the bundle changed');
    assert.ok(
      accesses.some((a) => a.op !== 'write'),
      'the audit saw the run read (it is preloaded and working)',
    );
  }
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr, rssKb, ms: Date.now() - started, accesses };
}
