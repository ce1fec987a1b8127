/**
 * Records every file the product reads, lists and writes, so the hostile tests can assert "nothing outside
 * the bundle read, nothing inside it written" instead of trusting it. A read is logged as the real path of
 * the descriptor actually opened (/proc/self/fd), so a link that leads out of the bundle shows as where it
 * leads. Two ways in:
 * - preloaded into a CLI child (`node --require out/test/fsAudit.js`, inherited by worker threads), it
 *   appends `{op, path}` lines to the file named by QL_FS_AUDIT;
 * - in the test process, `audited(fn)` records what `fn` did.
 */
// The module object itself, not a namespace copy of it: its functions are patched in place.
// eslint-disable-next-line @typescript-eslint/no-require-imports
import fs = require('node:fs');
import assert from 'node:assert/strict';
import * as path from 'node:path';

export type FsOp = 'read' | 'list' | 'write';
export interface FsAccess {
  op: FsOp;
  path: string;
}

const original = {
  appendFileSync: fs.appendFileSync,
  readlinkSync: fs.readlinkSync,
  realpathSync: fs.realpathSync.native,
};

let sinks: ((a: FsAccess) => void)[] = [];
let installed = false;

const WRITE_FLAGS = fs.constants.O_WRONLY | fs.constants.O_RDWR | fs.constants.O_CREAT | fs.constants.O_TRUNC | fs.constants.O_APPEND;

function writes(flags: unknown): boolean {
  if (typeof flags === 'number') return (flags & WRITE_FLAGS) !== 0;
  return typeof flags === 'string' && /[wa+]/.test(flags);
}

function text(p: unknown): string | undefined {
  if (typeof p === 'string') return path.resolve(p);
  if (Buffer.isBuffer(p)) return path.resolve(p.toString('utf8'));
  if (p instanceof URL) return p.pathname;
  return undefined;
}

/** Where a path really leads (its parent's, for a path that does not exist yet: a file about to be written). */
function real(p: string): string {
  if (p === '/proc/self' || p.startsWith('/proc/self/')) return p; // the same words in every process
  try {
    return original.realpathSync(p);
  } catch {
    try {
      return path.join(original.realpathSync(path.dirname(p)), path.basename(p));
    } catch {
      return p;
    }
  }
}

/** This process's /proc entry, spelt /proc/self as a caller would (the pid differs between processes). */
const ownProc = new RegExp(`^/proc/${process.pid}(?=/|$)`);

function emit(op: FsOp, p: string): void {
  const spelt = p.replace(ownProc, '/proc/self');
  for (const s of sinks) s({ op, path: spelt });
}

function byPath(op: FsOp, p: unknown): void {
  const t = text(p);
  if (t !== undefined && sinks.length > 0) emit(op, real(t));
}

function byFd(op: FsOp, fd: number, fallback: unknown): void {
  if (sinks.length === 0) return;
  try {
    emit(op, original.readlinkSync(`/proc/self/fd/${fd}`));
  } catch {
    byPath(op, fallback);
  }
}

type AnyFn = (...args: unknown[]) => unknown;

function wrap(target: object, name: string, before: (args: unknown[]) => void, after?: (result: unknown, args: unknown[]) => void): void {
  const t = target as Record<string, AnyFn>;
  const fn = t[name];
  if (typeof fn !== 'function') return;
  t[name] = function (this: unknown, ...args: unknown[]) {
    before(args);
    const r = fn.apply(this, args);
    if (after) {
      if (r instanceof Promise) {
        return r.then((v: unknown) => {
          after(v, args);
          return v;
        });
      }
      after(r, args);
    }
    return r;
  };
}

/** Patches `fs` once (callbacks, sync and promises), sending every access to the current sinks. */
function install(): void {
  if (installed) return;
  installed = true;
  const p = fs.promises;
  const openOp = (args: unknown[]): FsOp => (writes(args[1]) ? 'write' : 'read');
  const none = () => undefined;
  wrap(p, 'open', none, (fh, args) => byFd(openOp(args), (fh as fs.promises.FileHandle).fd, args[0]));
  wrap(fs, 'openSync', none, (fd, args) => byFd(openOp(args), fd as number, args[0]));
  wrap(fs, 'open', (args) => byPath(openOp(args), args[0]));
  for (const name of ['readFile', 'readFileSync', 'createReadStream']) wrap(fs, name, (args) => byPath('read', args[0]));
  wrap(p, 'readFile', (args) => byPath('read', args[0]));
  for (const name of ['readdir', 'readdirSync', 'opendir', 'opendirSync']) wrap(fs, name, (args) => byPath('list', args[0]));
  for (const name of ['readdir', 'opendir']) wrap(p, name, (args) => byPath('list', args[0]));
  const writers = ['writeFile', 'appendFile', 'mkdir', 'rm', 'rmdir', 'unlink', 'truncate', 'utimes', 'chmod', 'symlink', 'link'];
  for (const name of writers) {
    wrap(p, name, (args) => byPath('write', args[0]));
    wrap(fs, name, (args) => byPath('write', args[0]));
    wrap(fs, `${name}Sync`, (args) => byPath('write', args[0]));
  }
  for (const name of ['rename', 'copyFile', 'cp']) {
    const both = (args: unknown[]) => {
      byPath('write', args[0]);
      byPath('write', args[1]);
    };
    wrap(p, name, both);
    wrap(fs, name, both);
    wrap(fs, `${name}Sync`, both);
  }
  wrap(fs, 'createWriteStream', (args) => byPath('write', args[0]));
}

/** Runs `fn` and returns what it read, listed and wrote (in this process and its worker threads' preload). */
export async function audited<T>(fn: () => Promise<T> | T): Promise<{ result: T; accesses: FsAccess[] }> {
  install();
  const accesses: FsAccess[] = [];
  const sink = (a: FsAccess) => void accesses.push(a);
  sinks.push(sink);
  try {
    return { result: await fn(), accesses };
  } finally {
    sinks = sinks.filter((s) => s !== sink);
  }
}

// Preloaded into a CLI child: log to the file the test named, deduplicated per thread.
const logFile = process.env.QL_FS_AUDIT;
if (logFile) {
  install();
  const seen = new Set<string>();
  sinks.push((a) => {
    const line = JSON.stringify(a);
    if (seen.has(line) || a.path === logFile) return;
    seen.add(line);
    original.appendFileSync(logFile, line + '\n');
  });
}

/** Reads a child's audit log. */
export function readAuditLog(file: string): FsAccess[] {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as FsAccess);
}

/** Bounds on what a run may touch: the bundle (read only), its cache (read and write) and any other named paths. */
export interface Confinement {
  bundle: string;
  /** Where the run may keep its index. */
  cache?: string;
  /** Other paths the run is asked to read (a --rules file). */
  allowRead?: string[];
}

/** The product's own code (the loader reads modules through fs): out/test/fsAudit.js → the repository. */
const REPO = path.resolve(__dirname, '..', '..');
const PRODUCT = ['dist', 'out', 'node_modules'].map((d) => path.join(REPO, d));

const inside = (root: string, p: string) => p === root || p.startsWith(root.endsWith('/') ? root : `${root}/`);

/** Why `accesses` broke the confinement (reads outside the bundle, writes anywhere but the cache), or []. */
export function confinementBreaches(accesses: readonly FsAccess[], c: Confinement): string[] {
  const bundle = real(path.resolve(c.bundle));
  const cache = c.cache === undefined ? undefined : real(path.resolve(c.cache));
  const readable = [
    bundle,
    ...(cache ? [cache] : []),
    ...(c.allowRead ?? []).map((p) => real(path.resolve(p))),
    ...PRODUCT,
    '/proc/self',
    '/dev/null',
  ];
  const out: string[] = [];
  for (const a of accesses) {
    if (a.op === 'write') {
      if (inside(bundle, a.path)) out.push(`wrote inside the bundle: ${a.path}`);
      else if (!cache || !inside(cache, a.path)) out.push(`wrote outside the cache: ${a.path}`);
    } else if (!readable.some((r) => inside(r, a.path)) && !/^\/proc\/\d+\//.test(a.path))
      out.push(`${a.op} outside the bundle: ${a.path}`);
  }
  return [...new Set(out)];
}

/**
 * Runs `fn` in this process and asserts it stayed in its bounds (reads in the bundle, the cache and the
 * product's code; writes only in the cache). Worker threads started by `fn` are not seen here: the CLI
 * runs (hostileCli) cover those, the preload following them into every thread.
 */
export async function confined<T>(c: Confinement, fn: () => Promise<T> | T): Promise<T> {
  const { result, accesses } = await audited(fn);
  assert.deepEqual(confinementBreaches(accesses, c), [], 'stays in its bounds');
  assert.ok(
    accesses.some((a) => a.op !== 'write'),
    'the audit saw it read',
  );
  return result;
}
