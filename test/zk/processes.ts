import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import * as fs from 'node:fs';

/**
 * Every process the harness starts (JVMs, kazoo clients), so that none outlives it: they are killed when
 * the harness stops them, when it fails, and when its own process exits or is interrupted. On Linux they
 * also get a parent-death signal (util-linux `setpriv --pdeathsig KILL`, which execs the program, so the
 * pid is the program's own): a harness killed with SIGKILL, or by a test runner's timeout, leaves no orphan.
 */
const live = new Set<ChildProcess>();

const SETPRIV = '/usr/bin/setpriv';
const withDeathSignal =
  process.platform === 'linux' && fs.existsSync(SETPRIV) && spawnSync(SETPRIV, ['--pdeathsig', 'KILL', 'true']).status === 0;

let hooked = false;
function hookExit(): void {
  if (hooked) return;
  hooked = true;
  process.on('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      killAll();
      process.kill(process.pid, signal);
    });
  }
}

/** Starts a program (with a parent-death signal where the platform has one) and tracks it until it exits. */
export function spawnTracked(program: string, args: string[], options: SpawnOptions): ChildProcess {
  hookExit();
  const child = withDeathSignal ? spawn(SETPRIV, ['--pdeathsig', 'KILL', program, ...args], options) : spawn(program, args, options);
  live.add(child);
  child.once('exit', () => live.delete(child));
  child.once('error', () => live.delete(child));
  return child;
}

/** True until the process has exited (a stopped, SIGSTOPped process is still running). */
export function running(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

/** Resolves when the child has exited, or after `ms` (false then). */
export function exited(child: ChildProcess, ms: number): Promise<boolean> {
  if (!running(child)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** SIGTERM, then SIGKILL after `graceMs`; a stopped process is continued first so that it can die. */
export async function terminate(child: ChildProcess, graceMs: number): Promise<void> {
  if (!running(child)) return;
  child.kill('SIGCONT');
  child.kill('SIGTERM');
  if (!(await exited(child, graceMs))) {
    child.kill('SIGKILL');
    await exited(child, 5000);
  }
}

/** Kills every tracked process now (synchronous: also usable in an exit handler). */
export function killAll(): void {
  for (const child of live) {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `probe` every `everyMs` until it returns something other than undefined, or the deadline passes. */
export async function pollUntil<T>(
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs: number,
  everyMs = 100,
): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() >= deadline) return undefined;
    await sleep(everyMs);
  }
}
