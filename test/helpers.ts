import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { BUILTIN_ROLE_RULES } from '../src/core/rules/roleRules';
import { formatIso } from '../src/core/time';
import { openBundle, type ServiceContext } from '../src/service';
import { writeSampleBundle } from './fixtures/sampleBundle';

/** A fresh temporary folder, removed when the process exits. */
export function tempDir(prefix = 'ql-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const samples = new Map<number, string>();
/** The sample bundle with this much filler per minute, generated once per test process. */
function sampleWithNoise(noisePerMinute: number): string {
  let dir = samples.get(noisePerMinute);
  if (!dir) {
    dir = path.join(tempDir(`ql-sample-${noisePerMinute}-`), 'bundle');
    writeSampleBundle(dir, { noisePerMinute });
    samples.set(noisePerMinute, dir);
  }
  return dir;
}

/** The sample bundle (little filler, so tests stay quick). */
export const sampleBundle = (): string => sampleWithNoise(4);

/** The sample bundle with no filler at all: only scripted lines, so searches have exact, hand-written answers. */
export const quietSampleBundle = (): string => sampleWithNoise(0);

export const REPO = path.resolve(__dirname, '..', '..');
export const CLI = path.join(REPO, 'dist', 'cli.js');

/** Runs the built CLI; returns exit code and output. */
let cliCache: string | undefined;
export function runCli(args: string[]): { code: number; stdout: string; stderr: string } {
  cliCache ??= tempDir('ql-cli-cache-');
  // Indexes go to a temporary cache, not the user's ~/.cache.
  const r = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    maxBuffer: 256 << 20,
    env: { ...process.env, XDG_CACHE_HOME: cliCache },
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Names, sizes and mtimes of everything under a folder: proof that nothing was written. */
export function snapshot(dir: string): string[] {
  const out: string[] = [];
  (function walk(d: string) {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      const st = fs.lstatSync(p);
      out.push(`${path.relative(dir, p)} ${st.size} ${st.mtimeMs} ${st.mode}`);
      if (e.isDirectory()) walk(p);
    }
  })(dir);
  return out.sort();
}

export const REAL_LOGS = path.resolve(REPO, '..', 'shared', 'real-logs');

/**
 * Writes a gzip file from text produced piece by piece (fast level, back-pressure respected): large
 * hostile inputs are made on the fly, never held whole in memory, and no binary fixture is committed.
 */
export async function writeGzip(file: string, produce: (write: (text: string) => Promise<void>) => Promise<void>): Promise<void> {
  const gz = zlib.createGzip({ level: 1 });
  const out = fs.createWriteStream(file);
  const done = new Promise<void>((resolve, reject) => out.on('finish', resolve).on('error', reject));
  gz.pipe(out);
  await produce(async (text) => {
    if (!gz.write(text)) await new Promise((r) => gz.once('drain', r));
  });
  gz.end();
  await done;
}

/** A service context over the quiet sample bundle with the built-in rules, ISO labels and no cache. */
export async function quietSampleContext(): Promise<ServiceContext> {
  const rules = [...BUILTIN_ROLE_RULES];
  return {
    rules,
    clockOffsetsMs: {},
    label: formatIso,
    bundles: [await openBundle(quietSampleBundle(), { roleRules: rules, cacheDir: false })],
  };
}
