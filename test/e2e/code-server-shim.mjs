#!/usr/bin/env node
// A stand-in "VS Code executable" for @vscode/test-electron's runTests({ vscodeExecutablePath }).
// It takes the desktop CLI arguments (--extensionDevelopmentPath=, --extensionTestsPath=,
// --user-data-dir=, --extensions-dir=, a folder), starts code-server with VS Code's smoke-test driver
// so the workbench honours the development/tests payload, opens it in headless Chromium, relays the
// extension host's console, and exits with the tests' exit code (reported via window.codeAutomationExit).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import util from 'node:util';
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, DEFAULT_SETTINGS, startCodeServer } from './codeServer.mjs';

const argv = process.argv.slice(2);
const opt = (name) => argv.filter((a) => a.startsWith(`--${name}=`)).map((a) => a.slice(name.length + 3));
const devPaths = opt('extensionDevelopmentPath');
const testsPath = opt('extensionTestsPath')[0];
// A profile the caller did not name is the shim's own: removed when the tests end.
const ownProfile = opt('user-data-dir')[0] === undefined;
const userDataDir = path.resolve(opt('user-data-dir')[0] ?? fs.mkdtempSync(path.join(os.tmpdir(), 'ql-shim-')));
const folder = argv.filter((a) => !a.startsWith('-')).find((p) => fs.existsSync(p) && fs.statSync(p).isDirectory());
const timeoutMs = Number(process.env.VSCODE_SHIM_TIMEOUT_MS || 15 * 60 * 1000);

fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
const settingsFile = path.join(userDataDir, 'User', 'settings.json');
if (!fs.existsSync(settingsFile)) fs.writeFileSync(settingsFile, JSON.stringify(DEFAULT_SETTINGS, null, 2));

const server = await startCodeServer({ userDataDir, smokeTestDriver: true });
const remote = (p) => `vscode-remote://127.0.0.1:${server.port}${path.resolve(p)}`;
const payload = devPaths.map((p) => ['extensionDevelopmentPath', remote(p)]);
if (testsPath) payload.push(['extensionTestsPath', remote(testsPath)]);
const url = `${server.base}/?${folder ? `folder=${encodeURIComponent(path.resolve(folder))}&` : 'ew=true&'}payload=${encodeURIComponent(JSON.stringify(payload))}`;

const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'ql-chromium-'));
const ctx = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
const page = ctx.pages()[0] ?? (await ctx.newPage());
let finish;
const exited = new Promise((r) => (finish = r));
await page.exposeFunction('codeAutomationExit', (code) => finish(code));
// The extension host's console reaches the workbench console as "%c INFO"/"%c  ERR" lines.
const noise =
  /open-vsx\.org|^Resol(ving|ved) connection token|^Creating a socket|^\[Service Worker\]|^\[AccountPolicyGate\]|^\[AgentHost|^Updating additional builtin|^\[reconnection-grace-time\]/;
page.on('console', async (m) => {
  if (m.type() !== 'log' && m.type() !== 'error') return;
  try {
    const vals = await Promise.all(m.args().map((a) => a.jsonValue()));
    if (typeof vals[0] === 'string' && /^%c\s*(INFO|ERR|WARN)/.test(vals[0])) {
      const line = util.format(...vals.slice(2));
      if (!noise.test(line)) console.log(line);
    }
  } catch {}
});
page.goto(url).catch((e) => finish(`navigation failed: ${e.message}`));
const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('timeout'), timeoutMs))]);
await ctx.close().catch(() => {});
fs.rmSync(profile, { recursive: true, force: true });
await server.stop();
if (ownProfile) fs.rmSync(userDataDir, { recursive: true, force: true, maxRetries: 3 });
if (code !== 0) console.error(`extension tests ended with: ${code}`);
process.exit(code === 0 ? 0 : 1);
