import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CLI, tempDir } from './helpers';

export interface MeasuredRun {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Peak resident set of the whole CLI process, workers included (KB). */
  rssKb: number;
  ms: number;
}

let hook: string | undefined;

/**
 * Runs the built CLI as a child with a deadline and reads its peak RSS, which a preloaded hook writes to
 * stderr as the process exits: how the hostile tests hold memory and time to a bound.
 */
export function runCliMeasured(args: string[], options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): MeasuredRun {
  if (!hook) {
    hook = path.join(tempDir('ql-rss-hook-'), 'rss.js');
    fs.writeFileSync(hook, "process.on('exit', () => process.stderr.write(`\\nRSS_KB=${process.resourceUsage().maxRSS}\\n`));\n");
  }
  const started = Date.now();
  const r = spawnSync(process.execPath, ['--require', hook, CLI, ...args], {
    encoding: 'utf8',
    maxBuffer: 256 << 20,
    timeout: options.timeoutMs ?? 300_000,
    env: options.env ?? process.env,
  });
  const rssKb = Number(/RSS_KB=(\d+)/.exec(r.stderr)?.[1] ?? NaN);
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr, rssKb, ms: Date.now() - started };
}
