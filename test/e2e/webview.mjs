// The timeline webview in a real browser: the production HTML and CSP, the bundled dist/webview.js, and
// an `init` message recorded from the real language server on a generated bundle. Checks clicks post the
// right openLine / openOverlap messages, hostile log text stays inert, view state survives a reload, and
// 100 000 items render through level of detail. Screenshots in test-output/webview/. Reads the view and
// on-screen geometry through `window.__timeline`, which only development builds (`npm run build`) and test
// VSIX builds have; the shipped bundle does not (esbuild.js, test/package/checkVsix.mjs).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, REPO, freePort, until } from './codeServer.mjs';

const require = createRequire(import.meta.url);
if (!fs.readFileSync(path.join(REPO, 'dist/webview.js'), 'utf8').includes('__timeline')) {
  console.error('dist/webview.js is a production build without test hooks: run `npm run build` first');
  process.exit(1);
}
const { focusOn } = require(path.join(REPO, 'out/src/webview/timeline/viewport.js'));
const SHOTS = path.join(REPO, 'test-output', 'webview');
fs.mkdirSync(SHOTS, { recursive: true });
const log = (...a) => console.log('[webview]', ...a);
const passed = [];
const check = async (name, fn) => {
  await fn();
  passed.push(name);
  log('✔', name);
};

// 1. A bundle with a hostile line, indexed by the real server; its timeline answer is the recorded init.
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ql-webview-'));
const bundle = path.join(work, 'bundle');
require(path.join(REPO, 'out/test/fixtures/sampleBundle.js')).writeSampleBundle(bundle, { noisePerMinute: 2 });
const HOSTILE = '<img src=x onerror="window.__pwned=1">';
fs.writeFileSync(
  path.join(bundle, '172_20_131_245/zbs_logs/zbs-metad/zbs-metad.log.20230316-000000.4242'),
  `I0316 00:00:00.000000  4242 meta_server.cc:408] Start the leader role ${HOSTILE}\nI0316 00:00:09.000000  4242 meta_server.cc:495] Stopping the services of meta, this: 0x1\n`,
);
const { StdioServer } = require(path.join(REPO, 'out/test/server/lspClient.js'));
const lsp = new StdioServer();
await lsp.connection.sendRequest('initialize', { processId: process.pid, rootUri: pathToFileURL(bundle).toString(), capabilities: {} });
await lsp.connection.sendNotification('initialized', {});
await lsp.waitFor('quorumLens/indexStatus', (p) => p.state === 'ready');
const [data] = await lsp.connection.sendRequest('quorumLens/timeline', {});
await lsp.stop();
fs.writeFileSync(path.join(SHOTS, 'init.json'), JSON.stringify({ type: 'init', data }));

// 2. Serve the production page (plus a stub of acquireVsCodeApi, under the same nonce) on 127.0.0.1.
const { timelineHtml } = require(path.join(REPO, 'out/src/client/timelineHtml.js'));
const port = await freePort();
const origin = `http://127.0.0.1:${port}`;
const nonce = randomBytes(16).toString('base64');
const stub = `window.__posted = []; window.__state = JSON.parse(sessionStorage.getItem('state') || 'null');
window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__posted.push(m), getState: () => window.__state,
  setState: (s) => { window.__state = s; sessionStorage.setItem('state', JSON.stringify(s)); } });
const dark = { '--vscode-editor-background': '#1f1f1f', '--vscode-foreground': '#cccccc', '--vscode-charts-blue': '#3794ff', '--vscode-charts-red': '#f14c4c',
  '--vscode-charts-purple': '#b180d7', '--vscode-charts-green': '#89d185', '--vscode-charts-yellow': '#cca700', '--vscode-charts-orange': '#d18616',
  '--vscode-descriptionForeground': '#9d9d9d', '--vscode-editorHoverWidget-background': '#202020', '--vscode-editorHoverWidget-border': '#454545' };
for (const [k, v] of Object.entries(dark)) document.documentElement.style.setProperty(k, v);
document.addEventListener('DOMContentLoaded', () => document.body.classList.add('vscode-dark'));`;
const page0 = timelineHtml({
  cspSource: origin,
  scriptUri: `${origin}/dist/webview.js`,
  styleUri: `${origin}/media/timeline.css`,
  nonce,
}).replace('<script nonce=', `<script nonce="${nonce}" src="${origin}/stub.js"></script>\n<script nonce=`);
const server = http
  .createServer((req, res) => {
    const file = { '/dist/webview.js': 'dist/webview.js', '/media/timeline.css': 'media/timeline.css' }[req.url];
    if (req.url === '/') res.writeHead(200, { 'content-type': 'text/html' }).end(page0);
    else if (req.url === '/stub.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(stub);
    else if (file)
      res
        .writeHead(200, { 'content-type': file.endsWith('.js') ? 'text/javascript' : 'text/css' })
        .end(fs.readFileSync(path.join(REPO, file)));
    else if (req.url === '/favicon.ico') res.writeHead(204).end();
    else res.writeHead(404).end();
  })
  .listen(port, '127.0.0.1');

const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'ql-chromium-'));
const ctx = await chromium.launchPersistentContext(profile, {
  executablePath: CHROMIUM,
  headless: true,
  viewport: { width: 1500, height: 800 },
  args: CHROMIUM_ARGS,
});
const page = ctx.pages()[0] ?? (await ctx.newPage());
const problems = [];
page.on('console', (m) => {
  if (m.type() === 'error' || /Content Security Policy|Refused/.test(m.text())) problems.push(m.text());
});
page.on('pageerror', (e) => problems.push(String(e)));
const send = (m) => page.evaluate((msg) => window.postMessage(msg, '*'), m);
const posted = () => page.evaluate(() => window.__posted);
const clickAt = async (p) => page.mouse.click(p.x, p.y);
const point = (kind, id) => page.evaluate(([k, i]) => window.__timeline.pointFor(k, i), [kind, id]);
const view = () => page.evaluate(() => window.__timeline.currentView);
/** The view once `test(view)` holds (polled, 5 s deadline). */
const viewWhere = (what, test) =>
  until(
    what,
    async () => {
      const v = await view();
      return test(v) ? v : undefined;
    },
    { timeoutMs: 5000, intervalMs: 20 },
  );
/** Two animation frames: whatever the page queued with requestAnimationFrame has painted. */
const painted = () => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));

try {
  await page.goto(origin);
  await page.waitForFunction(() => window.__posted?.some((m) => m.type === 'ready'));
  await check('the page says ready, then draws the recorded init', async () => {
    await send({ type: 'init', data });
    await page.locator('#status', { hasText: `${data.overlaps.length} overlaps` }).waitFor();
    assert.ok(data.overlaps.length >= 6 && data.items.length > 50);
    await page.waitForFunction(() => window.__timeline.stats.runs > 0);
    await page.screenshot({ path: `${SHOTS}/01-fit-all-dark.png` });
  });

  const meta = data.overlaps.find(
    (o) => o.role === 'meta' && data.lanes[o.lanes[0]].label === '172.20.131.241' && data.lanes[o.lanes[1]].label === '172.20.131.243',
  );
  await check("an overlap shorter than the two nodes' NTP offsets is flagged uncertain in the list", async () => {
    const clock = page.locator(`#overlaps button.zoom[data-overlap="${meta.id}"] .clock`);
    assert.equal(await clock.textContent(), '⚠ uncertain: clocks ±2836 ms (NTP)');
    assert.equal(await clock.getAttribute('class'), 'clock uncertain');
    const sure = data.overlaps.find((o) => o.clockUncertaintyMs !== undefined && !o.uncertain);
    assert.match(await page.locator(`#overlaps button.zoom[data-overlap="${sure.id}"] .clock`).textContent(), /^clocks ±\d+ ms \(NTP\)$/);
  });

  await check('the overlap list zooms to an overlap', async () => {
    await page.locator(`#overlaps button.zoom[data-overlap="${meta.id}"]`).click();
    const v = await view();
    assert.ok(v.start <= meta.start && v.end >= meta.end && v.end - v.start < 60e6, JSON.stringify(v));
    await page.screenshot({ path: `${SHOTS}/02-zoomed-overlap.png` });
  });

  await check('clicking an interval posts openLine for its start line', async () => {
    const id = meta.items[0];
    const item = data.items[id];
    await page.evaluate(() => (window.__posted.length = 0));
    await clickAt(await point('item', id));
    const m = (await posted()).find((x) => x.type === 'openLine');
    assert.deepEqual(m, { type: 'openLine', uri: data.files[item.file].uri, line: item.line });
    assert.match(fs.readFileSync(new URL(m.uri), 'utf8').split('\n')[m.line - 1], /Start the leader role/);
  });

  await check('clicking an overlap posts openOverlap', async () => {
    await page.evaluate(() => (window.__posted.length = 0));
    await clickAt(await point('overlap', meta.id));
    assert.deepEqual(
      (await posted()).find((x) => x.type === 'openOverlap'),
      { type: 'openOverlap', overlap: meta.id },
    );
  });

  await check('a hostile log line shows as text in the tooltip and runs nothing', async () => {
    const id = data.items.findIndex((it) => it.text.includes(HOSTILE));
    assert.ok(id >= 0, 'the hostile line is an item');
    const target = focusOn(data.items[id].start, data.items[id].end);
    await send({ type: 'focus', start: data.items[id].start, end: data.items[id].end });
    await viewWhere('the view on the focused item', (v) => v.start === target.start && v.end === target.end);
    const p = await point('item', id);
    await page.mouse.move(p.x - 30, p.y + 30);
    await page.mouse.move(p.x, p.y, { steps: 4 });
    const tip = page.locator('#tooltip');
    await tip.waitFor({ state: 'visible' });
    assert.ok((await tip.textContent()).includes(HOSTILE));
    assert.equal(await tip.locator('img').count(), 0);
    assert.equal(await page.evaluate(() => document.querySelectorAll('img').length), 0);
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
    await page.screenshot({ path: `${SHOTS}/03-hostile-tooltip.png` });
    await tip.locator('button', { hasText: 'Open end line' }).click();
    const m = (await posted()).filter((x) => x.type === 'openLine').at(-1);
    assert.equal(m.line, data.items[id].endLine, 'the end line is one click away in the tooltip');
  });

  await check('keyboard zoom, fit, and the view survive a reload (hidden and restored)', async () => {
    await page.locator('#canvas').focus();
    const before = await view();
    await page.keyboard.press('+');
    const zoomed = await viewWhere('a zoomed-in view', (v) => v.end - v.start < before.end - before.start);
    assert.ok(Math.abs((zoomed.end - zoomed.start) * 2 - (before.end - before.start)) < 1);
    await page.keyboard.press('ArrowRight');
    const kept = await viewWhere('a view panned right', (v) => v.start > zoomed.start);
    await painted(); // the view is saved with setState when it paints
    await page.reload();
    await page.waitForFunction(() => window.__posted?.some((m) => m.type === 'ready'));
    await send({ type: 'init', data });
    await page.locator('#status', { hasText: `${data.overlaps.length} overlaps` }).waitFor();
    assert.deepEqual(await view(), kept);
    await page.keyboard.press('Home');
    await page.locator('#canvas').focus();
    await page.keyboard.press('Home');
    await viewWhere('the whole bundle in view', (v) => v.start <= data.start && v.end >= data.end);
  });

  await check('light theme colours come from the VS Code variables', async () => {
    await page.evaluate(() => {
      const light = {
        '--vscode-editor-background': '#ffffff',
        '--vscode-foreground': '#3b3b3b',
        '--vscode-charts-blue': '#1a85ff',
        '--vscode-descriptionForeground': '#717171',
        '--vscode-editorHoverWidget-background': '#f8f8f8',
        '--vscode-editorHoverWidget-border': '#c8c8c8',
      };
      for (const [k, v] of Object.entries(light)) document.documentElement.style.setProperty(k, v);
      document.body.classList.replace('vscode-dark', 'vscode-light');
    });
    const pixel = () =>
      page.evaluate(() =>
        Array.from(document.getElementById('canvas').getContext('2d').getImageData(5, 200, 1, 1).data)
          .slice(0, 3)
          .join(','),
      );
    await until('a white canvas background', async () => (await pixel()) === '255,255,255', { timeoutMs: 5000, intervalMs: 20 });
    await page.screenshot({ path: `${SHOTS}/04-fit-all-light.png` });
  });

  await check('100 000 items render through level of detail and stay interactive', async () => {
    const big = { ...data, items: [], overlaps: [], errors: data.lanes.map(() => []) };
    const span = data.end - data.start;
    for (let i = 0; i < 100_000; i++) {
      const lane = i % data.lanes.length;
      const start = data.start + (i / 100_000) * span;
      big.items.push({
        id: i,
        lane,
        track: data.lanes[lane].tracks[0],
        style: 'leader',
        start,
        end: start + span / 2e6,
        marker: false,
        label: 'x',
        text: `line ${i}`,
        file: 0,
        line: 1,
      });
    }
    await send({ type: 'init', data: big });
    await page.keyboard.press('Home');
    await page.waitForFunction(() => window.__timeline.stats.items > 0);
    const wide = await page.evaluate(() => window.__timeline.stats);
    assert.ok(wide.runs < 10_000 && wide.items >= 50_000, JSON.stringify(wide));
    for (let i = 0; i < 6; i++) await page.keyboard.press('+');
    const near = await until(
      'a zoomed frame drawing fewer items',
      async () => {
        const st = await page.evaluate(() => window.__timeline.stats);
        return st.items < wide.items ? st : undefined;
      },
      { timeoutMs: 5000, intervalMs: 20 },
    );
    assert.ok(near.items < wide.items && near.runs > 0, JSON.stringify(near));
    // Measured, not asserted: frame times while panning across 100 000 items.
    const frames = [];
    for (let i = 0; i < 20; i++) {
      await page.keyboard.press(i % 2 ? 'ArrowLeft' : 'ArrowRight');
      await painted();
      frames.push(await page.evaluate(() => window.__timeline.stats.ms));
    }
    frames.sort((a, b) => a - b);
    log(
      `100k items: fit-all frame ${wide.ms.toFixed(1)} ms (${wide.runs} runs for ${wide.items} items); zoomed pan frames p50 ${frames[10].toFixed(1)} ms, max ${frames[19].toFixed(1)} ms`,
    );
    await page.screenshot({ path: `${SHOTS}/05-100k-items.png` });
  });

  assert.deepEqual(problems, [], 'no console errors or CSP violations');
  log(`${passed.length} passed, 0 failed`);
} catch (e) {
  await page.screenshot({ path: `${SHOTS}/99-failure.png` }).catch(() => {});
  console.error('webview test FAILED after', passed.length, 'passed:', e, problems);
  process.exitCode = 1;
} finally {
  await ctx.close().catch(() => {});
  server.close();
  fs.rmSync(profile, { recursive: true, force: true });
  fs.rmSync(work, { recursive: true, force: true });
}
