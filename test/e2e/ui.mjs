// UI end-to-end test: package the VSIX, install it into code-server, open the sample bundle in headless
// Chromium and use the extension as a user would (palette, quick pick, editors, hover, notifications).
// The VSIX is the production build plus the timeline's test hooks (window.__timeline: view and geometry).
// Screenshots go to test-output/e2e/ (SHOTS overrides). Exit code 0 when every check passed.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, REPO, installVsix, makeProfile, packageVsix, startCodeServer, until } from './codeServer.mjs';

const require = createRequire(import.meta.url);
const SHOTS = path.resolve(process.env.SHOTS || path.join(REPO, 'test-output', 'e2e'));
fs.mkdirSync(SHOTS, { recursive: true });
const t0 = Date.now();
const log = (...a) => console.log(`[${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...a);

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ql-ui-'));
const bundle = path.join(work, 'bundle');
require(path.join(REPO, 'out/test/fixtures/sampleBundle.js')).writeSampleBundle(bundle, { noisePerMinute: 20 });
const expected = JSON.parse(
  execFileSync(process.execPath, [path.join(REPO, 'dist/cli.js'), 'overlaps', bundle, '--json'], { encoding: 'utf8' }),
).overlaps;
const expectedAll = JSON.parse(
  execFileSync(process.execPath, [path.join(REPO, 'dist/cli.js'), 'overlaps', bundle, '--role', 'all', '--json'], { encoding: 'utf8' }),
).overlaps;
// The CLI's overlap reports: the editor's "Copy as Markdown" must put exactly these words on the clipboard.
const cliReports = execFileSync(process.execPath, [path.join(REPO, 'dist/cli.js'), 'overlaps', bundle, '--role', 'all', '--explain'], {
  encoding: 'utf8',
}).split('\n---\n\n');
const vsix = packageVsix(path.join(work, 'quorum-lens.vsix'), { testHooks: true });
// A trace page of 3 lines, so the sample's four `pid: 65380` lines make a cut trace with a next page.
const userDataDir = makeProfile({
  'workbench.colorTheme': process.env.THEME || 'Default Dark Modern',
  'editor.minimap.enabled': false,
  'quorumLens.traceMaxLines': 3,
});
installVsix(userDataDir, vsix);
const server = await startCodeServer({ userDataDir });
log('code-server up at', server.base);

const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'ql-chromium-'));
const ctx = await chromium.launchPersistentContext(profile, {
  executablePath: CHROMIUM,
  headless: true,
  viewport: { width: 1600, height: 1000 },
  args: CHROMIUM_ARGS,
});
const page = ctx.pages()[0] ?? (await ctx.newPage());
const quickInput = page.locator('.quick-input-widget .quick-input-box input');
const passed = [];
const check = async (name, fn) => {
  await fn();
  passed.push(name);
  log('✔', name);
};

async function runCommand(title, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await page.keyboard.press('F1');
    await quickInput.waitFor({ state: 'visible' });
    await quickInput.fill('>' + title);
    try {
      // Click the row that is this command: Enter would run whatever the palette ranks first.
      const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
      await row.waitFor({ timeout: 2000 });
      await row.click();
      return;
    } catch (e) {
      await page.keyboard.press('Escape');
      if (Date.now() > deadline) throw e;
      await page.waitForTimeout(1000); // a fresh profile registers the extension's commands a little later
    }
  }
}

async function toast(re, timeout = 30_000) {
  const t = page.locator('.notifications-toasts .notification-toast', { hasText: re }).first();
  await t.waitFor({ state: 'visible', timeout });
  return t;
}

/** "Ln 123, Col 1" from the status bar: the active editor's cursor line. */
async function cursorLine() {
  const text = await page.locator('.statusbar-item[id="status.editor.selection"]').innerText();
  return Number(/Ln (\d+)/.exec(text)?.[1]);
}

async function openFile(rel) {
  await page.keyboard.press('Control+P');
  await quickInput.waitFor({ state: 'visible' });
  await quickInput.fill(rel);
  // File search answers a moment after typing, and recently opened files with the same name come first:
  // pick the row whose folder matches.
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: path.dirname(rel) }).first();
  await row.waitFor();
  await row.click();
  // Wait until the new file is the active editor (its breadcrumbs name its folder).
  await page
    .locator('.editor-group-container.active .breadcrumbs-control', { hasText: rel.split('/')[0] })
    .first()
    .waitFor();
  await page.locator('.editor-group-container.active .monaco-editor.focused').waitFor();
}

/** Resolves once the active editor's cursor is on line `n` (polls the status bar). */
const cursorOn = (n, timeoutMs = 20_000) =>
  until(`the cursor on line ${n}`, async () => (await cursorLine()) === n, { timeoutMs }).catch(async (e) => {
    throw new Error(`${e.message}; it is on ${await cursorLine()}`);
  });

/** Two animation frames in `frame`: whatever the page queued with requestAnimationFrame has painted. */
const painted = (frame) => frame.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));

async function goToLine(n) {
  for (let attempt = 0; attempt < 5 && (await cursorLine()) !== n; attempt++) {
    await page.keyboard.press('Control+G');
    await quickInput.waitFor({ state: 'visible' });
    await quickInput.fill(`:${n}`);
    await page.keyboard.press('Enter');
    try {
      await cursorOn(n, 3000);
    } catch {}
  }
  assert.equal(await cursorLine(), n);
}

async function hoverOver(word) {
  const line = page.locator('.editor-group-container.active .monaco-editor .view-lines .view-line', { hasText: word }).first();
  await line.waitFor();
  const box = await line.evaluate((el, w) => {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let n; (n = walker.nextNode());) {
      const i = n.textContent.indexOf(w);
      if (i >= 0) {
        const r = document.createRange();
        r.setStart(n, i + 2);
        r.setEnd(n, i + 3);
        const b = r.getBoundingClientRect();
        return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
      }
    }
    return null;
  }, word);
  assert.ok(box, `${word} on screen`);
  for (let i = 0; i < 15; i++) {
    await page.mouse.move(box.x - 40, box.y + 60);
    await page.mouse.move(box.x, box.y, { steps: 5 });
    const hover = page.locator('.monaco-hover:not(.hidden)', { hasText: /epoch|session|belongs/ }).first();
    try {
      await hover.waitFor({ state: 'visible', timeout: 3000 });
      return (await hover.innerText()).replace(/\s+/g, ' ').trim();
    } catch {}
  }
  throw new Error(`no hover over ${word}`);
}

try {
  await page.goto(`${server.base}/?folder=${encodeURIComponent(bundle)}`);
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: '172_20_131_241' }).waitFor({ timeout: 90_000 });
  log('workbench loaded');

  await check('status bar shows the index counts', async () => {
    await page.locator('.statusbar-item', { hasText: '5 nodes · 33 files · 20 leader intervals' }).waitFor({ timeout: 90_000 });
    await page.screenshot({ path: `${SHOTS}/01-workbench.png` });
  });

  const item = `172.20.131.241 ∩ 172.20.131.243 · 2.81 s · 2023-03-14 05:12:24.461`;
  await check('Find Meta Leader Overlaps lists every overlap', async () => {
    await runCommand('Quorum Lens: Find Meta Leader Overlaps');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: item }).waitFor({ timeout: 60_000 });
    const rows = await page.locator('.quick-input-list .monaco-list-row .quick-input-list-label').allInnerTexts();
    assert.equal(rows.length, expected.length, rows.join(' | '));
    await page.screenshot({ path: `${SHOTS}/02-overlaps-quickpick.png` });
  });

  const [a, b] = expected[1].intervals;
  await check('choosing an overlap opens both nodes side by side at the interval starts', async () => {
    await page.locator('.quick-input-list .monaco-list-row', { hasText: item }).click();
    await page.locator('.tab', { hasText: path.basename(a.startSource.file) }).waitFor();
    await page.locator('.tab', { hasText: path.basename(b.startSource.file) }).waitFor();
    assert.equal(await page.locator('.editor-group-container').count(), 2);
    const groups = page.locator('.editor-group-container');
    for (let i = 0; i < 2; i++) await groups.nth(i).locator('.view-line', { hasText: 'Start the leader role' }).first().waitFor();
    assert.equal(await cursorLine(), a.startSource.line);
    await toast(/meta overlap 172\.20\.131\.241 ∩ 172\.20\.131\.243/);
    await page.screenshot({ path: `${SHOTS}/03-side-by-side.png` });
  });

  await check('the interval ends are one click away', async () => {
    const t = await toast(/meta overlap/);
    await t.locator('.monaco-button', { hasText: 'Go to Interval Ends' }).click();
    await cursorOn(a.endSource.line);
    await page.locator('.editor-group-container.active .view-line', { hasText: 'Stopping the services of meta' }).first().waitFor();
  });

  await check('hovering a zxid shows its epoch, counter and the epoch leader', async () => {
    await page.keyboard.press('Escape');
    await runCommand('View: Close All Editor Groups');
    const rel = '172_20_131_243/base_component_logs/zookeeper/zookeeper.log';
    await openFile(rel);
    const n =
      fs
        .readFileSync(path.join(bundle, rel), 'utf8')
        .split('\n')
        .findIndex((l) => l.includes('0x10000016d0')) + 1;
    await runCommand('View: Toggle Word Wrap'); // long ZooKeeper lines: bring the zxid on screen
    await goToLine(n);
    const text = await hoverOver('0x10000016d0');
    assert.match(text, /epoch 16 \(0x10\) · counter 5840 \(0x16d0\)/);
    assert.match(text, /Epoch 16 was led by 172\.20\.131\.242/);
    await page.screenshot({ path: `${SHOTS}/04-hover-zxid.png` });
  });

  await check('hovering a session id shows its lifecycle', async () => {
    await page.mouse.move(5, 5);
    const rel = '172_20_131_242/base_component_logs/zookeeper/zookeeper.log';
    await openFile(rel);
    const n =
      fs
        .readFileSync(path.join(bundle, rel), 'utf8')
        .split('\n')
        .findIndex((l) => l.includes('Expiring session 0x1000adfaccc0001')) + 1;
    await goToLine(n);
    const text = await hoverOver('0x1000adfaccc0001');
    assert.match(text, /created by the server with myid 1 → 172\.20\.131\.241/);
    assert.match(text, /expired by the leader \(timeout 4000 ms\) on 172\.20\.131\.242/);
    await page.screenshot({ path: `${SHOTS}/05-hover-session.png` });
  });

  await check('a role without overlaps says how much was examined', async () => {
    await page.mouse.move(5, 5);
    await runCommand('Quorum Lens: Find Leader Overlaps…');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'namenode' }).first().click();
    await toast(/No HDFS NameNode active overlaps: 2 leader intervals examined on 2 nodes\./);
    await page.screenshot({ path: `${SHOTS}/06-no-overlaps.png` });
  });

  // ---- The Leader Timeline panel.
  const webviewFrame = () =>
    until(
      'the timeline webview',
      async () => {
        for (const f of page.frames()) {
          try {
            if (await f.locator('#canvas').count()) return f;
          } catch {}
        }
        return undefined;
      },
      { timeoutMs: 30_000, intervalMs: 200 },
    );
  let frame;
  await check("Show Leader Timeline draws every node's lane and lists the overlaps", async () => {
    await runCommand('View: Close All Editor Groups');
    await runCommand('Quorum Lens: Show Leader Timeline');
    frame = await webviewFrame();
    await frame.locator('#status', { hasText: '6 overlaps' }).waitFor({ timeout: 60_000 });
    assert.equal(await frame.locator('#overlaps li').count(), 6);
    await page.screenshot({ path: `${SHOTS}/07-timeline-dark.png` });
    // The 10:15–10:45 stretch: a nested overlap, a partial one, and 245's term that only touches 242's.
    await frame.locator('#overlaps button.zoom', { hasText: '1 min 0 s' }).click();
    await frame.locator('#canvas').focus();
    for (let i = 0; i < 6; i++) await page.keyboard.press('-');
    await painted(frame);
    await page.screenshot({ path: `${SHOTS}/07b-timeline-zoomed.png` });
  });

  await check("clicking an overlap band opens both nodes' lines at the interval starts", async () => {
    const zoom = frame.locator('#overlaps button.zoom', { hasText: '172.20.131.241 ∩ 172.20.131.243' });
    const id = Number(await zoom.getAttribute('data-overlap'));
    await zoom.click();
    const p = await frame.evaluate((i) => window.__timeline.pointFor('band', i), id);
    assert.ok(p, 'an empty spot of the band');
    await frame.locator('#canvas').click({ position: { x: p.cx, y: p.cy } });
    await page.locator('.tab', { hasText: path.basename(a.startSource.file) }).waitFor();
    await page.locator('.tab', { hasText: path.basename(b.startSource.file) }).waitFor();
    await cursorOn(a.startSource.line);
    await page.screenshot({ path: `${SHOTS}/08-timeline-opened-lines.png` });
  });

  await check('"Show in Timeline" from the overlaps quick pick selects that overlap', async () => {
    await runCommand('Quorum Lens: Find Meta Leader Overlaps');
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: '172.20.131.241 ∩ 172.20.131.242 · 5.43 s' });
    await row.hover();
    await row.locator('.action-label[aria-label="Show in Timeline"], a[aria-label="Show in Timeline"]').first().click();
    frame = await webviewFrame();
    await frame.locator('#overlaps li.selected', { hasText: '172.20.131.241 ∩ 172.20.131.242' }).waitFor({ state: 'attached' });
  });

  await check('the timeline follows the VS Code theme (dark and light)', async () => {
    const pixel = () =>
      frame.evaluate(() => Array.from(document.getElementById('canvas').getContext('2d').getImageData(4, 300, 1, 1).data));
    assert.ok((await pixel())[0] < 80, 'dark background');
    // The theme picker opens a moment after its command is chosen, and now and then not at all (focus was
    // in the webview): ask again, until a deadline, rather than wait once.
    const theme = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Light Modern' }).first();
    await until(
      'the color theme picker to list Light Modern',
      async () => {
        await runCommand('Preferences: Color Theme');
        try {
          await quickInput.fill('Light Modern', { timeout: 5000 });
          await theme.waitFor({ timeout: 5000 });
          return true;
        } catch {
          await page.keyboard.press('Escape');
          return false;
        }
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    await theme.click();
    await until('the timeline to turn light', async () => (await pixel())[0] >= 200, { intervalMs: 250 });
    await page.screenshot({ path: `${SHOTS}/09-timeline-light.png` });
  });

  // ---- A workflow as a user runs it: a typed time → every node's lines, and the open timeline follows.
  await check("Show Cluster Context at Time… lists every node's lines around the moment; the timeline scrolls there", async () => {
    await runCommand('Quorum Lens: Show Cluster Context at Time');
    await quickInput.fill('2023-03-14 01:35:51');
    await page.keyboard.press('Enter');
    await page.locator('.tab', { hasText: 'context-2023-03-14_01_35_51.000000.md' }).first().waitFor({ timeout: 60_000 });
    await page.locator('.monaco-editor .view-line', { hasText: '30 lines from 5 nodes' }).first().waitFor();
    // The timeline is told after the view opens: wait for it to arrive rather than read it at once.
    const center = Date.UTC(2023, 2, 14, 1, 35, 51) * 1000;
    await frame.waitForFunction(
      (c) => {
        const v = window.__timeline.currentView;
        return v.start <= c - 5e6 && v.end >= c + 5e6 && v.end - v.start < 60e6;
      },
      center,
      { timeout: 20_000 },
    );
    await page.screenshot({ path: `${SHOTS}/10-cluster-context.png` });
  });

  // ---- The overlap report: one panel per overlap, every line one click from its source.
  /** The frame of the report panel whose title names these nodes (`172.20.131.241 ∩ 172.20.131.243`). */
  const reportFrame = (nodes) =>
    until(
      `the overlap report of ${nodes}`,
      async () => {
        for (const f of page.frames()) {
          try {
            if (await f.locator('#report h1', { hasText: nodes }).count()) return f;
          } catch {}
        }
        return undefined;
      },
      { timeoutMs: 60_000, intervalMs: 200 },
    );
  const label = (node) => node.replace(/_/g, '.');
  const reportTab = (nodes) => page.locator('.tab', { hasText: `Overlap: ${nodes}` });

  await check('Explain Overlap… lists the overlaps of every role; the first one opens as a report naming its stale side', async () => {
    await runCommand('View: Close All Editor Groups');
    await runCommand('Quorum Lens: Explain Overlap…');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: item }).waitFor({ timeout: 60_000 });
    const rows = page.locator('.quick-input-list .monaco-list-row');
    assert.equal(await rows.count(), expectedAll.length);
    await rows.first().click();
    const first = expectedAll[0];
    const nodes = `${label(first.nodes[0])} ∩ ${label(first.nodes[1])}`;
    const report = await reportFrame(nodes);
    await reportTab(nodes).waitFor();
    const stale = await report.locator('.summary dd.stale').innerText();
    assert.ok(stale.startsWith(`${label(first.stale)} — ${first.staleWhy}`), stale);
    assert.ok((await report.locator('.term.stale h3').innerText()).startsWith(label(first.stale)), 'the stale term is marked');
    assert.equal(await report.locator('.evidence .line').count(), first.evidence.length);
  });

  await check('the "Explain this overlap" button of the overlaps quick pick opens that overlap\'s report', async () => {
    await runCommand('Quorum Lens: Find Meta Leader Overlaps');
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: item });
    await row.hover();
    await row.locator('.action-label[aria-label="Explain this overlap"], a[aria-label="Explain this overlap"]').first().click();
    const report = await reportFrame('172.20.131.241 ∩ 172.20.131.243');
    await reportTab('172.20.131.241 ∩ 172.20.131.243').waitFor();
    // The 2.81 s overlap is shorter than what the two NTP monitors measured: the report says so first.
    await report.locator('.warnings', { hasText: 'no longer than the clock uncertainty' }).waitFor();
    await report.locator('.summary dd.uncertain').waitFor();
  });

  const zk = expectedAll.find((o) => o.role === 'zk');
  const zkNodes = `${label(zk.nodes[0])} ∩ ${label(zk.nodes[1])}`;
  let zkReport;
  await check('clicking an evidence line of the report opens its source file beside, at that line', async () => {
    await runCommand('View: Close All Editor Groups');
    await runCommand('Quorum Lens: Explain Overlap…');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: `${zkNodes} · 1.50 s` }).click();
    zkReport = await reportFrame(zkNodes);
    await zkReport.locator('.summary dd.stale', { hasText: label(zk.stale) }).waitFor();
    await zkReport.locator('.tag-broadcast').first().waitFor();
    // The page is built with textContent only: no link, image or script comes out of the report's data.
    assert.equal(await zkReport.locator('#report a, #report img, #report script, #report iframe').count(), 0);
    // The README's picture: the report alone, the side bar out of the way.
    await runCommand('View: Toggle Primary Side Bar Visibility');
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden' }); // not fading out over the shot
    await page.locator('.part.sidebar').waitFor({ state: 'hidden' });
    await painted(zkReport);
    await page.screenshot({ path: `${SHOTS}/16-overlap-report.png` });
    await runCommand('View: Toggle Primary Side Bar Visibility');
    const e = zk.evidence[0];
    await zkReport.locator('.evidence .line').first().click();
    await page
      .locator('.tab', { hasText: path.basename(e.file) })
      .first()
      .waitFor();
    await cursorOn(e.line);
    assert.equal(await page.locator('.editor-group-container').count(), 2, 'the report and its line side by side');
    await page.locator('.editor-group-container.active .view-line', { hasText: 'Have quorum of supporters' }).first().waitFor();
    await painted(zkReport);
    await page.screenshot({ path: `${SHOTS}/17-overlap-report-line-opened.png` });
    // Enter on a focused line opens it too.
    const s = zk.evidence[1];
    await zkReport.locator('.evidence .line').nth(1).focus();
    await page.keyboard.press('Enter');
    await cursorOn(s.line);
  });

  await check('"Copy as Markdown" puts the report on the clipboard: the very words `overlaps --explain` prints', async () => {
    await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.base });
    await zkReport.locator('#copyMarkdown').click();
    await zkReport.locator('#status', { hasText: 'Copied the report as Markdown.' }).waitFor();
    const want = cliReports[expectedAll.indexOf(zk)];
    const got = await until('the Markdown on the clipboard', async () => {
      const text = await page.evaluate(() => navigator.clipboard.readText()).catch(() => '');
      return text.startsWith('## zk leader overlap') ? text : undefined;
    });
    assert.equal(got.trimEnd(), want.trimEnd());
    // The same overlap again reveals its panel, never a second one.
    await runCommand('Quorum Lens: Explain Overlap…');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: `${zkNodes} · 1.50 s` }).click();
    await reportFrame(zkNodes);
    assert.equal(await reportTab(zkNodes).count(), 1);
    // Leave the browser as the later checks expect it: no clipboard access, no report panels.
    await ctx.clearPermissions();
    await runCommand('View: Close All Editor Groups');
  });

  await check("the timeline's Explain button opens that overlap's report, naming its stale side", async () => {
    await runCommand('Quorum Lens: Show Leader Timeline');
    const timeline = await webviewFrame();
    const row = timeline.locator('#overlaps li', { hasText: `zk · ${zkNodes}` });
    await row.locator('.stale', { hasText: `stale: ${label(zk.stale)} — ${zk.staleWhy}` }).waitFor({ timeout: 60_000 });
    await row.locator('button.explain').click();
    const report = await reportFrame(zkNodes);
    await reportTab(zkNodes).waitFor();
    const stale = await report.locator('.summary dd.stale').innerText();
    assert.ok(stale.startsWith(`${label(zk.stale)} — ${zk.staleWhy}`), stale);
    await runCommand('View: Close All Editor Groups');
  });

  // ---- A file over 50 MB, which VS Code does not hand to extensions.
  await check('a leader term in a file over 50 MB opens at its line, and its window view has hovers', async () => {
    await runCommand('View: Close All Editor Groups');
    const rel = '172_20_131_245/zbs_logs/zbs-metad/zbs-metad.log.20230315-000000.9090';
    const big = path.join(bundle, rel);
    const fd = fs.openSync(big, 'w');
    const line = (t, msg) => `I0315 ${t} 9090 meta_rpc_server.cc:2125] ${msg}\n`;
    const pad = (n) => String(n).padStart(2, '0');
    let n = 0;
    let startLine = 0;
    for (let i = 0; i < 330_000; i++) {
      const s = i * 0.005;
      const t = `00:${pad(Math.floor(s / 60))}:${pad(Math.floor(s % 60))}.${String(Math.round((s % 1) * 1e6)).padStart(6, '0')}`;
      if (i === 300_000) {
        fs.writeSync(fd, line(t, 'Start the leader role').replace('meta_rpc_server.cc:2125', 'meta_server.cc:408'));
        startLine = ++n;
        continue;
      }
      if (i === 306_000)
        fs.writeSync(fd, line(t, 'Stopping the services of meta, this: 0x1').replace('meta_rpc_server.cc:2125', 'meta_server.cc:495'));
      else
        fs.writeSync(
          fd,
          line(
            t,
            `[SET PEXTENT EXISTENCE]: [REQUEST]: pid: ${i} origin_pid: 0 epoch: ${i * 7} generation: 1, [RESPONSE]: ST:OK, , [TIME]: ${i % 3000} us. ${'x'.repeat(60)}`,
          ),
        );
      n++;
    }
    fs.closeSync(fd);
    assert.ok(fs.statSync(big).size > 52 * 1024 * 1024);
    await runCommand('Quorum Lens: Reindex Bundle');
    await runCommand('Quorum Lens: Find Meta Leader Overlaps');
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: '172.20.131.243 ∩ 172.20.131.245' }).first();
    await row.waitFor({ timeout: 60_000 });
    await row.click();
    // The big file opens as its window view, at the term's start line.
    await page.locator('.tab', { hasText: path.basename(rel) }).waitFor();
    const winLine = page
      .locator('.editor-group-container .view-line', { hasText: 'Start the leader role' })
      .filter({ hasText: '00:25:00' })
      .first();
    await winLine.waitFor({ timeout: 30_000 });
    await toast(/over 50 MB: showing the lines around \d+/);
    const shown = await page
      .locator('.notifications-toasts .notification-toast', { hasText: /over 50 MB/ })
      .first()
      .innerText();
    assert.match(shown, new RegExp(`lines around ${startLine}\\b`));
    await page.screenshot({ path: `${SHOTS}/10-large-file-window.png` });
    const box = await winLine.boundingBox();
    let text = null;
    for (let i = 0; i < 15 && !text; i++) {
      await page.mouse.move(box.x + 20, box.y + 40);
      await page.mouse.move(box.x + 12, box.y + box.height / 2, { steps: 4 });
      const hover = page.locator('.monaco-hover:not(.hidden)', { hasText: /2023-03-15/ }).first();
      try {
        await hover.waitFor({ state: 'visible', timeout: 3000 });
        text = (await hover.innerText()).replace(/\s+/g, ' ');
      } catch {}
    }
    assert.ok(text, 'a hover in the window view');
    assert.match(text, /2023-03-15 00:25:00\.000000/);
    assert.match(text, /year 2023, from the file name/);
    await page.screenshot({ path: `${SHOTS}/11-window-view-hover.png` });
  });

  await check('a cut trace says so, and Show the Next Lines on its notification opens the next page', async () => {
    await page.mouse.move(5, 5);
    await page.keyboard.press('Escape');
    await runCommand('View: Close All Editor Groups');
    await runCommand('Quorum Lens: Trace Across Nodes');
    await quickInput.waitFor({ state: 'visible' });
    await quickInput.fill('pid: 65380');
    await page.keyboard.press('Enter');
    const t = await toast(/Trace cut at 3 lines/, 60_000);
    await page.locator('.view-line', { hasText: 'Cut at 3 lines' }).first().waitFor();
    await page.screenshot({ path: `${SHOTS}/12-trace-cut.png` });
    await t.locator('.monaco-button', { hasText: 'Show the Next Lines' }).click();
    await page.locator('.tab', { hasText: /trace-pid_65380-from-/ }).waitFor({ timeout: 60_000 });
    await page.locator('.view-line', { hasText: 'lines at or after' }).first().waitFor();
  });

  await check(
    'a folder holding only the bundle as a .tar.gz opens as the bundle: Find Meta Leader Overlaps lists every overlap',
    async () => {
      // How bundles arrive: a downloaded archive in an otherwise empty folder. The server unpacks it into its
      // own storage (never beside it) and answers as for the folder.
      const archived = path.join(work, 'downloads');
      fs.mkdirSync(archived);
      const plain = path.join(work, 'plain-copy');
      require(path.join(REPO, 'out/test/fixtures/sampleBundle.js')).writeSampleBundle(plain, { noisePerMinute: 20 });
      execFileSync('tar', ['-czf', path.join(archived, 'cluster-logs-2023031400-2023031606.tar.gz'), '-C', plain, '.']);
      const before = fs.readdirSync(archived);
      await page.goto(`${server.base}/?folder=${encodeURIComponent(archived)}`);
      await page.locator('.statusbar-item', { hasText: /5 nodes · \d+ files · \d+ leader intervals/ }).waitFor({ timeout: 120_000 });
      await runCommand('Quorum Lens: Find Meta Leader Overlaps');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: item }).waitFor({ timeout: 60_000 });
      const rows = await page.locator('.quick-input-list .monaco-list-row .quick-input-list-label').allInnerTexts();
      assert.equal(rows.length, expected.length, rows.join(' | '));
      await page.screenshot({ path: `${SHOTS}/13-archive-overlaps.png` });
      assert.deepEqual(fs.readdirSync(archived), before, 'nothing written beside the archive');
    },
  );

  await check("Open Log Bundle Archive… from an archive's Explorer context menu opens the unpacked bundle in a new window", async () => {
    // The archive lies beside other files here, so only the command (not the folder) opens it.
    const dl = path.join(work, 'ticket-4711');
    fs.mkdirSync(dl);
    execFileSync('tar', ['-czf', path.join(dl, 'cluster-logs-ticket.tar.gz'), '-C', path.join(work, 'plain-copy'), '.']);
    fs.writeFileSync(path.join(dl, 'README.txt'), 'support ticket 4711\n');
    await page.goto(`${server.base}/?folder=${encodeURIComponent(dl)}`);
    const row = page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'cluster-logs-ticket.tar.gz' });
    await row.waitFor({ timeout: 90_000 });
    await row.click({ button: 'right' });
    const entry = page.locator('.context-view .action-label', { hasText: 'Open Log Bundle Archive…' });
    await entry.waitFor({ timeout: 10_000 });
    await page.screenshot({ path: `${SHOTS}/14-archive-context-menu.png` });
    const windows = ctx.pages().length;
    await entry.click();
    const win = await until('the new window', () => (ctx.pages().length > windows ? ctx.pages().at(-1) : undefined), { timeoutMs: 60_000 });
    await win.locator('.statusbar-item', { hasText: /5 nodes · \d+ files · \d+ leader intervals/ }).waitFor({ timeout: 120_000 });
    await win.screenshot({ path: `${SHOTS}/15-archive-new-window.png` });
    assert.deepEqual(fs.readdirSync(dl).sort(), ['README.txt', 'cluster-logs-ticket.tar.gz'], 'nothing written beside the archive');
    await win.close();
  });

  log(`UI e2e: ${passed.length} passed, 0 failed`);
} catch (e) {
  await page.screenshot({ path: `${SHOTS}/99-failure.png` }).catch(() => {});
  console.error('UI e2e FAILED after', passed.length, 'passed:', e);
  process.exitCode = 1;
} finally {
  await ctx.close().catch(() => {});
  server.stop();
  fs.rmSync(profile, { recursive: true, force: true });
  fs.rmSync(work, { recursive: true, force: true });
}
