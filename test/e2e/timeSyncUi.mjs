// Time sync in a real VS Code (code-server + Chromium): two nodes' ZooKeeper logs side by side, sync turned on
// from its status bar item and from the palette, a Go to Line in one moving the other to the same moment (a
// clock offset configured for one node), the timeline's cursor following and a click in the timeline moving
// both editors, and an overlap from Find Meta Leader Overlaps opening both sides at the overlap's start.
// Every expected line is computed here from the files' text, the configured offset and the CLI's overlaps —
// nothing of the extension's. Screenshots in test-output/e2e-time-sync/ (SHOTS overrides); with
// SCREENSHOT_README=1 also media/screenshots/time-sync.png. Exit code 0 when every check passed.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { REPO, until } from './codeServer.mjs';
import { checkList, startWorkbench, workbench } from './workbench.mjs';

const require = createRequire(import.meta.url);
const SHOTS = path.resolve(process.env.SHOTS || path.join(REPO, 'test-output', 'e2e-time-sync'));
fs.mkdirSync(SHOTS, { recursive: true });
const t0 = Date.now();
const log = (...a) => console.log(`[${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...a);

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ql-sync-ui-'));
const removeWork = () => fs.rmSync(work, { recursive: true, force: true, maxRetries: 5 });
process.on('exit', removeWork);
const bundle = path.join(work, 'bundle');
require(path.join(REPO, 'out/test/fixtures/sampleBundle.js')).writeSampleBundle(bundle, { noisePerMinute: 20 });

// 242’s clock is taken to run 2.7 s behind: its lines move 2.7 s later before they are compared.
const N242 = '172_20_131_242';
const OFFSET_242_MS = 2700;
const LEFT = '172_20_131_241/base_component_logs/zookeeper/zookeeper.log';
const RIGHT = `${N242}/base_component_logs/zookeeper/zookeeper.log`;
const cli = (...args) => JSON.parse(execFileSync(process.execPath, [path.join(REPO, 'dist/cli.js'), ...args], { encoding: 'utf8' }));
const overlaps = cli('overlaps', bundle, '--json', '--offset', `${N242}=${OFFSET_242_MS}`).overlaps;
const allOverlaps = cli('overlaps', bundle, '--role', 'all', '--json', '--offset', `${N242}=${OFFSET_242_MS}`).overlaps;

/** Each line's time (µs, wall clock) from its text; a line without a stamp takes the one above it. */
function lineTimes(rel, year = 2023) {
  const lines = fs.readFileSync(path.join(bundle, rel), 'utf8').replace(/\n$/, '').split('\n');
  const own = lines.map((l) => {
    let m = /^(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d):(\d\d),(\d{3}) /.exec(l);
    if (m) return Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6], +m[7]) * 1000;
    m = /^[IWEF](\d\d)(\d\d) (\d\d):(\d\d):(\d\d)\.(\d{6}) /.exec(l);
    if (m) return Date.UTC(year, +m[1] - 1, +m[2], +m[3], +m[4], +m[5]) * 1000 + Number(m[6]);
    return undefined;
  });
  const first = own.find((x) => x !== undefined);
  let last;
  return own.map((x) => (last = x ?? last ?? first));
}
/** "2023-03-14T05:12:24.461460" (the CLI's JSON times, wall clock) → µs. */
const micros = (iso) => Date.parse(`${iso.slice(0, 19)}Z`) * 1000 + Number((iso.slice(20, 26) || '0').padEnd(6, '0'));
/** The first 1-based line at or after a corrected moment, the node's offset (µs) added to the file's times. */
const lineAt = (times, time, shift = 0) => times.findIndex((x) => x + shift >= time) + 1;
const leftTimes = lineTimes(LEFT);
const rightTimes = lineTimes(RIGHT);
const SHIFT = OFFSET_242_MS * 1000;

const { server, page, close } = await startWorkbench(
  work,
  {
    'workbench.colorTheme': 'Default Dark Modern',
    'editor.minimap.enabled': false,
    'editor.wordWrap': 'off',
    'quorumLens.clockOffsets': { [N242]: OFFSET_242_MS },
  },
  { log, testHooks: true },
);
const { passed, check } = checkList(log);
const { quickInput, runCommand, openFile, cursorOn, painted, goToLine } = workbench(page);
const syncItem = page.locator('.statusbar-item', { hasText: 'Time Sync' }).first();

/**
 * The cursor line of editor group `n` (1-based), read from its gutter (the active line's number), so no
 * focus moves: every editor marks its cursor line, focused or not.
 */
async function cursorOfGroup(n) {
  const number = page
    .locator('.editor-group-container')
    .nth(n - 1)
    .locator('.margin-view-overlays .active-line-number')
    .first();
  return Number((await number.textContent({ timeout: 5000 }).catch(() => '')) || NaN);
}
/** Resolves once group `n`'s cursor is on line `want`. */
const groupOn = (n, want, timeoutMs = 20_000) =>
  until(`group ${n}'s cursor on line ${want}`, async () => (await cursorOfGroup(n)) === want, { timeoutMs, intervalMs: 200 }).catch(
    async (e) => {
      throw new Error(`${e.message}; it is on ${await cursorOfGroup(n)}`);
    },
  );
/** The text of group `n`'s cursor line (the view line level with its active line number). */
const cursorTextOfGroup = (n) =>
  page
    .locator('.editor-group-container')
    .nth(n - 1)
    .evaluate((g) => {
      const number = g.querySelector('.margin-view-overlays .active-line-number')?.parentElement;
      const line = [...g.querySelectorAll('.view-lines .view-line')].find((l) => l.style.top === number?.style.top);
      return line?.textContent.replace(/\u00a0/g, ' ');
    });
/** Focuses editor group `n` (workbench.action.focus{First,Second,Third}EditorGroup) and waits for its editor to be focused. */
async function focusGroup(n) {
  await page.keyboard.press(`Control+${n}`);
  await page
    .locator('.editor-group-container')
    .nth(n - 1)
    .locator('.monaco-editor.focused')
    .waitFor();
}

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

try {
  await page.goto(`${server.base}/?folder=${encodeURIComponent(bundle)}`);
  await page.locator('.statusbar-item', { hasText: /5 nodes · \d+ files · \d+ leader intervals/ }).waitFor({ timeout: 120_000 });
  log('workbench loaded and indexed');

  await check('two nodes’ ZooKeeper logs open side by side; the Time Sync status item says off', async () => {
    await openFile(LEFT);
    await runCommand('View: Split Editor Right');
    await openFile(RIGHT);
    assert.equal(await page.locator('.editor-group-container').count(), 2);
    await syncItem.waitFor();
    assert.doesNotMatch(await syncItem.innerText(), /\d\d:\d\d/);
    assert.equal(await syncItem.locator('.codicon-sync-ignored').count(), 1, 'the "off" icon');
  });

  // A left line whose moment finds a different right line with the offset than without (lines are ~3 s apart).
  const n1 = leftTimes.findIndex((t, i) => i >= 300 && lineAt(rightTimes, t, SHIFT) !== lineAt(rightTimes, t, 0)) + 1;
  await check(
    'sync on from the status bar item: Go to Line in the left editor puts the right one at the same corrected moment',
    async () => {
      await focusGroup(1);
      await syncItem.click();
      await until('the status item to show sync on', async () => (await syncItem.locator('.codicon-sync').count()) > 0);
      await goToLine(n1);
      const moment = leftTimes[n1 - 1];
      const want = lineAt(rightTimes, moment, SHIFT);
      // The offset matters here: without it the right editor would be elsewhere.
      assert.notEqual(want, lineAt(rightTimes, moment, 0));
      await groupOn(2, want);
      assert.match(await syncItem.innerText(), new RegExp(new Date(moment / 1000).toISOString().slice(11, 23).replace(/\./, '\\.')));
      await page.screenshot({ path: `${SHOTS}/01-sync-from-status-item.png` });
    },
  );

  await check('the right editor drives too: its moment brings the left one along (offset taken off)', async () => {
    await focusGroup(2);
    const n2 = 700;
    await goToLine(n2);
    const want = lineAt(leftTimes, rightTimes[n2 - 1] + SHIFT, 0);
    await groupOn(1, want);
  });

  await check('sync off from the palette: the other editor stays put; on again from the palette: it follows at once', async () => {
    await focusGroup(1);
    await runCommand('Quorum Lens: Toggle Time Sync');
    await until('the status item to show sync off', async () => (await syncItem.locator('.codicon-sync-ignored').count()) > 0);
    const rightBefore = await cursorOfGroup(2);
    const n3 = 450;
    await goToLine(n3);
    await page.waitForTimeout(1500); // a move that must not happen: give it the time it would take
    assert.equal(await cursorOfGroup(2), rightBefore, 'sync off: the right editor did not move');
    await runCommand('Quorum Lens: Toggle Time Sync');
    await groupOn(2, lineAt(rightTimes, leftTimes[n3 - 1], SHIFT));
  });

  let frame;
  await check('the timeline shows the moment as its cursor; a click in it moves both editors to the moment clicked', async () => {
    // A third, empty group across the bottom for the timeline: both editors stay visible, no editor is added.
    await runCommand('View: Toggle Primary Side Bar Visibility'); // room for three editors
    await runCommand('View: Two Columns Bottom Editor Layout');
    await page.keyboard.press('Control+3');
    await page.locator('.editor-group-container.active').nth(0).waitFor();
    await until('the bottom group active', async () =>
      (await page.locator('.editor-group-container').nth(2).getAttribute('class')).includes('active'),
    );
    await runCommand('Quorum Lens: Show Leader Timeline');
    frame = await webviewFrame();
    await frame.locator('#status', { hasText: `${allOverlaps.length} overlaps` }).waitFor({ timeout: 60_000 });
    const moment = leftTimes[450 - 1];
    await until('the timeline cursor at the moment', () =>
      frame.evaluate((m) => window.__timeline.cursor.time === m && window.__timeline.cursor.sync, moment),
    );
    // Zoom to the ZooKeeper overlap at 01:35:50 (the list's zoom button is no chart click), then click the chart.
    await frame.locator('#overlaps button.zoom', { hasText: 'zk' }).first().click();
    await painted(frame);
    await page.mouse.move(5, 500);
    await frame.locator('#tooltip').waitFor({ state: 'hidden' });
    const box = await frame.locator('#canvas').boundingBox();
    await page.mouse.click(box.x + 180 + (box.width - 188) * 0.3, box.y + 120);
    const picked = await until('a picked moment', () =>
      frame.evaluate((m) => (window.__timeline.cursor.time !== m ? window.__timeline.cursor.time : 0), moment),
    );
    log(`picked ${new Date(picked / 1000).toISOString()}`);
    await groupOn(1, lineAt(leftTimes, picked, 0));
    await groupOn(2, lineAt(rightTimes, picked, SHIFT));
    await painted(frame);
    await page.screenshot({ path: `${SHOTS}/02-timeline-cursor.png` });
    if (process.env.SCREENSHOT_README) await page.screenshot({ path: path.join(REPO, 'media/screenshots/time-sync.png') });
  });

  const o = overlaps.find((x) => x.nodes.join() === '172_20_131_241,172_20_131_243');
  await check(
    'an overlap from Find Meta Leader Overlaps opens both sides at the overlap’s start, in sync, and the timeline cursor goes there',
    async () => {
      const [a, b] = o.intervals;
      const start = micros(o.start);
      const later = micros(a.start) >= micros(b.start) ? a : b;
      const earlier = later === a ? b : a;
      const earlierLine = lineAt(lineTimes(earlier.startSource.file), start, 0);
      assert.ok(earlierLine > earlier.startSource.line, 'the earlier side opens past its own start');
      await runCommand('Quorum Lens: Find Meta Leader Overlaps');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: '172.20.131.241 ∩ 172.20.131.243 · 2.81 s' }).click();
      await page.locator('.tab', { hasText: path.basename(b.startSource.file) }).waitFor();
      await cursorOn(a === earlier ? earlierLine : a.startSource.line);
      await groupOn(2, b === earlier ? earlierLine : b.startSource.line);
      await until('the timeline cursor at the overlap start', () => frame.evaluate((m) => window.__timeline.cursor.time === m, start));
      // In sync: a moment taken again from the left side leaves the right one where it is.
      await groupOn(1, a === earlier ? earlierLine : a.startSource.line);
      await page.screenshot({ path: `${SHOTS}/03-overlap-in-sync.png` });
    },
  );

  await check(
    'a window view (how a file over 50 MB is shown) follows too: to a line inside its lines, and reopened around one outside them',
    async () => {
      const side243 = o.intervals.find((iv) => iv.node === '172_20_131_243').startSource;
      const times243 = lineTimes(side243.file);
      const text243 = fs.readFileSync(path.join(bundle, side243.file), 'utf8').split('\n');
      const times241 = lineTimes(o.intervals.find((iv) => iv.node === '172_20_131_241').startSource.file);
      // The window of 243's metad log around its start line opens beside it, in the bottom group.
      await focusGroup(2);
      await runCommand('Quorum Lens: Open Window Around Line…');
      await quickInput.fill(String(side243.line));
      await page.keyboard.press('Enter');
      const from = Math.max(1, side243.line - 200);
      const windowTabs = page
        .locator('.editor-group-container')
        .nth(2)
        .locator('.tab', { hasText: path.basename(side243.file) });
      await windowTabs.first().waitFor();
      await groupOn(3, side243.line - from + 1);
      const activeText = () => cursorTextOfGroup(3);
      // A moment inside the window's lines: the window's cursor moves there.
      await focusGroup(1);
      const inside = times241.findIndex((t) => t > micros(o.start) + 1_500_000) + 1;
      await goToLine(inside);
      const f1 = lineAt(times243, times241[inside - 1]);
      assert.ok(f1 >= from && f1 <= side243.line + 200, `line ${f1} inside the window`);
      await groupOn(3, f1 - from + 1);
      assert.equal(await activeText(), text243[f1 - 1]);
      // A moment before the window's first line: the window reopens around the line, in place of the old one.
      const outside = times241.findIndex((t) => t >= Date.UTC(2023, 2, 14, 5, 0, 0) * 1000) + 1;
      await goToLine(outside);
      const f2 = lineAt(times243, times241[outside - 1]);
      assert.ok(f2 < from, `line ${f2} before the window`);
      await groupOn(3, f2 - Math.max(1, f2 - 200) + 1);
      await until('its text to be the file line', async () => (await activeText()) === text243[f2 - 1]);
      assert.equal(await windowTabs.count(), 1, 'the old window was replaced');
      await page.screenshot({ path: `${SHOTS}/04-window-view.png` });
    },
  );

  await check('the Cluster Log view follows a source editor’s moment, and moves the source editors to its own', async () => {
    const side241 = o.intervals.find((iv) => iv.node === '172_20_131_241').startSource;
    const side243 = o.intervals.find((iv) => iv.node === '172_20_131_243').startSource;
    const times241 = lineTimes(side241.file);
    const times243 = lineTimes(side243.file);
    await focusGroup(3);
    await runCommand('Quorum Lens: Open Cluster Log');
    await page
      .locator('.editor-group-container')
      .nth(2)
      .locator('.tab', { hasText: /^Cluster Log$/ })
      .waitFor({ timeout: 60_000 });
    // The source drives: the view's cursor goes to the first merged line at or after the moment (the CLI's merge says which).
    await focusGroup(1);
    const n = lineAt(times241, micros(o.start) + 2_000_000);
    await goToLine(n);
    const iso = new Date(times241[n - 1] / 1000).toISOString().slice(0, 23) + String(times241[n - 1] % 1000).padStart(3, '0');
    const [first] = cli('merge', bundle, '--from', iso, '--max', '1', '--json', '--offset', `${N242}=${OFFSET_242_MS}`).lines;
    const label = first.time.replace('T', ' ').slice(0, 26);
    await until(`the Cluster Log's cursor at ${label}`, async () => (await cursorTextOfGroup(3))?.startsWith(label), { timeoutMs: 20_000 });
    // The view drives: a line further down, its time read from its text, moves both source editors.
    await focusGroup(3);
    const at = await page
      .locator('.editor-group-container')
      .nth(2)
      .locator('.margin-view-overlays .active-line-number')
      .first()
      .textContent();
    await goToLine(Number(at) + 12);
    const text = await cursorTextOfGroup(3);
    const m = /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)\.(\d{6})/.exec(text ?? '');
    assert.ok(m, `a dated Cluster Log line: ${text}`);
    const t = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) * 1000 + Number(m[7]);
    await groupOn(1, lineAt(times241, t));
    await groupOn(2, lineAt(times243, t));
    await page.screenshot({ path: `${SHOTS}/05-cluster-log.png` });
  });

  log(`time sync UI: ${passed.length} passed, 0 failed`);
} catch (e) {
  await page.screenshot({ path: `${SHOTS}/99-failure.png` }).catch(() => {});
  console.error('time sync UI FAILED after', passed.length, 'passed:', e);
  process.exitCode = 1;
} finally {
  await close();
  removeWork();
}
