// UI end-to-end test of the Cluster Log view: package the VSIX, install it into code-server, open the sample
// bundle in headless Chromium and read the merged log as a user does — Go to Time to an overlap, filters from
// the quick pick, Hide Lines Like This from the context menu, Next Error, Enter and a click to the source,
// scrolling past a page, and Trace / Cluster Context landing in the view from the palette and the menu.
// Screenshots go to test-output/e2e/ (SHOTS overrides; README pictures: SHOTS=media/screenshots). Exit 0 when every check passed.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { REPO, until } from './codeServer.mjs';
import { checkList, startWorkbench, workbench } from './workbench.mjs';

const require = createRequire(import.meta.url);
const SHOTS = path.resolve(process.env.SHOTS || path.join(REPO, 'test-output', 'e2e'));
fs.mkdirSync(SHOTS, { recursive: true });
const t0 = Date.now();
const log = (...a) => console.log(`[${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...a);

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ql-cluster-log-ui-'));
const removeWork = () => fs.rmSync(work, { recursive: true, force: true, maxRetries: 5 });
process.on('exit', removeWork);
const bundle = path.join(work, 'bundle');
require(path.join(REPO, 'out/test/fixtures/sampleBundle.js')).writeSampleBundle(bundle, { noisePerMinute: 20 });
const cli = (...args) =>
  execFileSync(process.execPath, [path.join(REPO, 'dist/cli.js'), ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
const overlaps = JSON.parse(cli('overlaps', bundle, '--json')).overlaps;
const PAGE = 200;
const { server, page, close } = await startWorkbench(
  work,
  {
    'workbench.colorTheme': process.env.THEME || 'Default Dark Modern',
    'editor.minimap.enabled': false,
    // Small pages, so a few screens of scrolling cross several.
    'quorumLens.clusterLog.pageLines': PAGE,
  },
  { log },
);
const { passed, check } = checkList(log);
const { quickInput, runCommand, cursorLine, openFile, cursorOn, goToLine, charsOf, editorMenu } = workbench(page);

const active = '.editor-group-container.active .monaco-editor';
/** The text of the active editor's cursor line, as drawn (no-break spaces as spaces). */
const cursorText = () =>
  page.evaluate((sel) => {
    const editor = document.querySelector(sel);
    const cursor = editor?.querySelector('.cursors-layer .cursor');
    if (!cursor) return undefined;
    const top = cursor.style.top;
    const line = [...editor.querySelectorAll('.view-lines .view-line')].find((l) => l.style.top === top);
    return line?.textContent?.replace(/\u00a0/g, ' ');
  }, active);
/** The drawn lines of the active editor, top to bottom. */
const visibleLines = () =>
  page.evaluate((sel) => {
    const lines = [...document.querySelectorAll(`${sel} .view-lines .view-line`)];
    return lines.sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top)).map((l) => l.textContent.replace(/\u00a0/g, ' '));
  }, active);
const activeTab = () => page.locator('.editor-group-container.active .tab.active').innerText();
const untilCursorText = (what, test, timeoutMs = 30_000) =>
  until(what, async () => test((await cursorText()) ?? ''), { timeoutMs }).catch(async (e) => {
    throw new Error(`${e.message}; the cursor line is: ${await cursorText()}`);
  });
/** Where a source line is: the file (relative) and 1-based line holding exactly `text`. */
function sourceOf(text) {
  const hits = [];
  (function walk(dir) {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else {
        const i = fs.readFileSync(p, 'utf8').split('\n').indexOf(text);
        if (i >= 0) hits.push({ file: path.relative(bundle, p), line: i + 1 });
      }
    }
  })(bundle);
  assert.equal(hits.length, 1, `one source line is ${text}`);
  return hits[0];
}
const original = (rendered) => rendered.slice(rendered.indexOf(' │ ', rendered.indexOf(' │ ') + 3) + 3).replace(/\u200d/g, '');

try {
  await page.goto(`${server.base}/?folder=${encodeURIComponent(bundle)}`);
  await page.locator('.statusbar-item', { hasText: /5 nodes · \d+ files · \d+ leader intervals/ }).waitFor({ timeout: 120_000 });
  log('workbench loaded, bundle indexed');

  await check('Open Cluster Log shows every node merged in time, `time │ node │ line`, from the start of the bundle', async () => {
    await runCommand('Quorum Lens: Open Cluster Log');
    await page.locator('.tab', { hasText: /^Cluster Log$/ }).waitFor({ timeout: 60_000 });
    await page.locator(`${active} .view-line`, { hasText: '── start of the merged log ──' }).waitFor();
    const lines = await visibleLines();
    const first = cli('merge', bundle, '--max', '5').split('\n').slice(0, 5);
    // The CLI prints the same lines (one renderer), URL joiners aside.
    assert.deepEqual(
      lines.slice(1, 6).map((l) => l.replace(/\u200d/g, '')),
      first,
    );
  });

  const overlap = overlaps[0];
  const start = overlap.start.replace('T', ' ');
  await check('Go to Time… to the first overlap moves the cursor to the first line at that time, the overlap around it', async () => {
    await runCommand('Quorum Lens: Go to Time…');
    await page.locator('.quick-input-widget', { hasText: 'Go to Time' }).waitFor();
    await quickInput.fill(start);
    await page.keyboard.press('Enter');
    await untilCursorText(`the cursor at ${start}`, (t) => t.startsWith(start.slice(0, 23)));
    assert.match(await cursorText(), /Start the leader role/);
    await page.mouse.move(5, 5);
    await page.screenshot({ path: `${SHOTS}/cluster-log.png` });
  });

  await check('hovering the time column names the source file and line and the clock offset applied', async () => {
    const box = await charsOf(`${start.slice(0, 19)}`, 12, 14);
    let text = '';
    for (let i = 0; i < 10 && !text; i++) {
      await page.mouse.move(box.x - 30, box.y + 40);
      await page.mouse.move(box.x, box.y, { steps: 4 });
      try {
        const hover = page.locator('.monaco-hover:not(.hidden)', { hasText: /clock offset/ }).first();
        await hover.waitFor({ state: 'visible', timeout: 3000 });
        text = (await hover.innerText()).replace(/\s+/g, ' ');
      } catch {}
    }
    assert.match(text, /no clock offset applied/);
    assert.match(text, /zbs-metad\.log\.\d{8}-\d{6}\.\d+ line \d+/);
    await page.screenshot({ path: `${SHOTS}/cluster-log-hover.png` });
    await page.mouse.move(5, 5);
  });

  await check('an exclude regex from the filter quick pick hides its lines; the tab and the status bar say so', async () => {
    await runCommand('Quorum Lens: Cluster Log Filters…');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Exclude lines matching a regex' }).click();
    await page.locator('.quick-input-widget', { hasText: 'Exclude lines matching' }).waitFor();
    await quickInput.fill('SET PEXTENT');
    await page.keyboard.press('Enter');
    await page.locator('.tab', { hasText: 'Cluster Log · −SET PEXTENT' }).waitFor({ timeout: 60_000 });
    await page.locator('.statusbar-item', { hasText: '−SET PEXTENT' }).waitFor();
    await untilCursorText('the reading position kept', (t) => t.startsWith(start.slice(0, 19)));
    const lines = await visibleLines();
    assert.ok(lines.length > 10);
    assert.ok(!lines.some((l) => l.includes('SET PEXTENT')), lines.join('\n'));
    // The old, unfiltered tab was replaced.
    assert.equal(await page.locator('.tab', { hasText: /^Cluster Log$/ }).count(), 0);
  });

  await check('an invalid regex is said so, and the filter is not applied', async () => {
    await runCommand('Quorum Lens: Cluster Log Filters…');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Include lines matching a regex' }).click();
    await page.locator('.quick-input-widget', { hasText: 'Include lines matching' }).waitFor();
    await quickInput.fill('(unclosed');
    await page.keyboard.press('Enter');
    await page.locator('.notifications-toasts .notification-toast', { hasText: /Filter not applied: bad --include REGEX/ }).waitFor();
    assert.match(await activeTab(), /Cluster Log · −SET PEXTENT/);
  });

  await check('Hide Lines Like This from the context menu hides every line like the one under the cursor', async () => {
    // One in the middle of the screen (the top line may be half under the tabs).
    const gc = (await visibleLines()).slice(10).find((l) => l.includes('[EXTENT GC CMD]'));
    assert.ok(gc, 'an EXTENT GC CMD line on screen');
    const word = gc.slice(gc.indexOf('[EXTENT GC CMD]'));
    const box = await charsOf(word, 3, 4);
    await page.mouse.click(box.x, box.y);
    await untilCursorText('the cursor on that line', (t) => t === gc);
    await page.mouse.click(box.x, box.y, { button: 'right' });
    const item = page.locator('.context-view .action-label', { hasText: /^Hide Lines Like This$/ }).first();
    await item.waitFor({ timeout: 10_000 });
    await item.hover();
    await item.click();
    await page.locator('.tab', { hasText: /Cluster Log · −SET PEXTENT −.*EXTENT GC CMD/ }).waitFor({ timeout: 60_000 });
    await until('the lines like it hidden', async () => !(await visibleLines()).some((l) => l.includes('[EXTENT GC CMD]')));
    await page.mouse.move(5, 5);
    await page.screenshot({ path: `${SHOTS}/cluster-log-filtered.png` });
  });

  await check('a filter is removed with its × button in the quick pick', async () => {
    await runCommand('Quorum Lens: Cluster Log Filters…');
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: 'exclude /SET PEXTENT/' });
    await row.hover();
    await row.locator('.action-label.codicon-close').click();
    await until('the tab without it', async () => /^Cluster Log · −.{0,3}EXTENT GC CMD/.test(await activeTab()));
  });

  let error;
  await check('Next Error moves to the next E line of the merged log, across pages; Previous Error comes back', async () => {
    await runCommand('Quorum Lens: Next Error');
    await untilCursorText('the cursor on an error line', (t) => / │ E\d{4} /.test(t));
    error = await cursorText();
    const errors = cli('merge', bundle, '--level', 'E', '--from', start, '--max', '2').split('\n');
    assert.equal(error.replace(/\u200d/g, ''), errors[0]);
    await runCommand('Quorum Lens: Next Error');
    await untilCursorText('the next error', (t) => t.replace(/\u200d/g, '') === errors[1]);
    await runCommand('Quorum Lens: Previous Error');
    await untilCursorText('back on the first', (t) => t === error);
  });

  await check('Enter on a line opens its source file at that line', async () => {
    const src = sourceOf(original(error));
    await untilCursorText('on the error line', (t) => t === error);
    await page.locator('.editor-group-container.active .monaco-editor.focused').waitFor();
    await page.keyboard.press('Enter');
    await page.locator('.tab.active', { hasText: path.basename(src.file) }).waitFor({ timeout: 30_000 });
    await cursorOn(src.line);
  });

  await check('a click on the time column opens the source line', async () => {
    await page
      .locator('.tab', { hasText: /^Cluster Log · / })
      .first()
      .click();
    await untilCursorText('back in the view', (t) => t === error);
    const box = await charsOf(error.slice(0, 26), 3, 5);
    await page.keyboard.down('Control');
    await page.mouse.move(box.x, box.y);
    await page.mouse.click(box.x, box.y);
    await page.keyboard.up('Control');
    const src = sourceOf(original(error));
    // The Enter check above may have left the file open in the other group too: either group's tab will do.
    await page
      .locator('.tab.active', { hasText: path.basename(src.file) })
      .first()
      .waitFor({ timeout: 30_000 });
    await cursorOn(src.line);
  });

  await check('scrolling down past a page reads the next one, keeps the reading position, and the view stays at most 3 pages', async () => {
    await runCommand('View: Close All Editor Groups');
    await runCommand('Quorum Lens: Open Cluster Log');
    await page.locator(`${active} .view-line`, { hasText: '── start of the merged log ──' }).waitFor({ timeout: 60_000 });
    const marker = await charsOf('── start of the merged log ──', 3, 5);
    await page.mouse.click(marker.x, marker.y);
    const firstTop = (await visibleLines())[1];
    let last = '';
    for (let i = 0; i < 24; i++) {
      await page.keyboard.press('PageDown');
      // As a reader pauses to read: until the screen stops changing (a page may be put in meanwhile).
      let lines = await visibleLines();
      for (let settled = 0, t = 0; settled < 2 && t < 20; t++) {
        await page.waitForTimeout(250);
        const now = await visibleLines();
        settled = now.join('\n') === lines.join('\n') ? settled + 1 : 0;
        lines = now;
      }
      const bottom = lines.filter((l) => /^\d{4}-/.test(l)).pop() ?? '';
      if (bottom < last) throw new Error(`time went back: ${bottom} after ${last}`);
      last = bottom;
      const line = await cursorLine();
      assert.ok(line <= 3 * PAGE + 2, `the document holds at most 3 pages (cursor on ${line})`);
      log(`  line ${line}, bottom ${bottom.slice(0, 26)}`);
    }
    // Past the first three pages: the first one was dropped (the document holds three at most).
    const beyond = cli('merge', bundle, '--max', String(3 * PAGE + 50)).split('\n')[3 * PAGE + 49];
    assert.ok(last.slice(0, 26) > beyond.slice(0, 26), `scrolled to ${last.slice(0, 26)}, past ${beyond.slice(0, 26)}`);
    // Several pages on, the window no longer holds the start: Ctrl+Home goes to the merged log's first line
    // at once (the editor's own would stop at the first page read), and Ctrl+End to its last.
    await page.keyboard.press('Control+Home');
    await until('the start of the merged log', async () => (await visibleLines()).some((l) => l.includes('── start of the merged log ──')));
    assert.equal((await visibleLines())[1], firstTop, 'the first line of the bundle again');
    await page.keyboard.press('Control+End');
    await until('the end of the merged log', async () => (await visibleLines()).some((l) => l.includes('── end of the merged log ──')));
    const all = cli('merge', bundle, '--max', '1000000')
      .split('\n')
      .filter((l) => /^\d{4}-/.test(l));
    const shown = (await visibleLines()).filter((l) => /^\d{4}-/.test(l)).pop() ?? '';
    assert.equal(shown.slice(0, 26), all[all.length - 1].slice(0, 26), 'the last line of the bundle');
    assert.ok((await cursorLine()) > 3, 'the cursor on the last lines, not the top');
    // From the end, scrolling up reads the earlier pages back, one by one, past the window the end opened.
    const beforeWindow = all[all.length - 3 * PAGE - 50].slice(0, 26);
    let rounds = 0;
    for (; rounds < 40; rounds++) {
      await page.keyboard.press('PageUp');
      await page.waitForTimeout(400);
      const top = (await visibleLines()).find((l) => /^\d{4}-/.test(l)) ?? '';
      if (top && top.slice(0, 26) < beforeWindow) break;
      assert.ok((await cursorLine()) <= 3 * PAGE + 2, 'the document holds at most 3 pages');
    }
    assert.ok(rounds > 0 && rounds < 40, `earlier pages read back after ${rounds} rounds`);
  });

  const META241 = '172_20_131_241/zbs_logs/zbs-metad/zbs-metad.log.20230314-031904.42461';
  const pidLine =
    fs
      .readFileSync(path.join(bundle, META241), 'utf8')
      .split('\n')
      .findIndex((l) => l.includes('pid: 65380 epoch')) + 1;
  const traced = async () => {
    await page.locator('.tab.active', { hasText: 'Cluster Log · +pid: 65380' }).waitFor({ timeout: 60_000 });
    await until('the traced lines', async () => {
      const lines = (await visibleLines()).filter((l) => /^\d{4}-/.test(l));
      return lines.length >= 4 && lines.every((l) => l.includes('pid: 65380'));
    });
    for (const n of ['241', '242', '243', '247'])
      assert.ok(
        (await visibleLines()).some((l) => new RegExp(`│ ${n} +│ .*pid: 65380`).test(l)),
        `a line of ${n}`,
      );
  };

  await check('Trace Across Nodes from the palette opens the view filtered to the id under the cursor', async () => {
    await runCommand('View: Close All Editor Groups');
    await openFile(META241);
    await goToLine(pidLine);
    const box = await charsOf('pid: 65380 epoch', 6, 7);
    await page.mouse.click(box.x, box.y);
    await runCommand('Quorum Lens: Trace Across Nodes');
    await until('the prompt pre-filled with pid: 65380', async () => (await quickInput.inputValue()) === 'pid: 65380');
    await page.keyboard.press('Enter');
    await traced();
    await page.mouse.move(5, 5);
    await page.screenshot({ path: `${SHOTS}/cluster-log-trace.png` });
  });

  await check('right-click on a selected `pid: 65380` → Trace Across Nodes lands in the view', async () => {
    await runCommand('View: Close All Editor Groups');
    await openFile(META241);
    await goToLine(pidLine);
    const first = await charsOf('pid: 65380 epoch', 0, 1);
    const lastChar = await charsOf('pid: 65380 epoch', 9, 10);
    await page.mouse.move(first.left + 1, first.y);
    await page.mouse.down();
    await page.mouse.move(lastChar.right - 1, lastChar.y, { steps: 5 });
    await page.mouse.up();
    await editorMenu('pid: 65380 epoch', /^Trace Across Nodes$/, 4, 5);
    await traced();
  });

  const ZK242 = '172_20_131_242/base_component_logs/zookeeper/zookeeper.log';
  const expiring = 'Expiring session 0x1000adfaccc0001';
  const expiringLine =
    fs
      .readFileSync(path.join(bundle, ZK242), 'utf8')
      .split('\n')
      .findIndex((l) => l.includes(expiring)) + 1;
  const atContext = async () => {
    await page.locator('.tab.active', { hasText: /^Cluster Log$/ }).waitFor({ timeout: 60_000 });
    await untilCursorText('the cursor on the origin line', (t) => t.includes(expiring) && /│ 242 +│/.test(t));
    // The moment's neighbours, every node, are on screen around it.
    const near = (await visibleLines()).filter((l) => /^2023-03-14 01:35:(4\d|5\d)/.test(l));
    for (const n of ['241', '243', '245', '247'])
      assert.ok(
        near.some((l) => new RegExp(`│ ${n} +│`).test(l)),
        `a line of ${n} near 01:35:51`,
      );
  };

  await check(
    'Show Cluster Context from the palette opens the view at the line: the origin under the cursor, every node around it',
    async () => {
      await runCommand('View: Close All Editor Groups');
      await openFile(ZK242);
      await goToLine(expiringLine);
      await runCommand('Quorum Lens: Show Cluster Context');
      await atContext();
      await page.mouse.move(5, 5);
      await page.screenshot({ path: `${SHOTS}/cluster-log-context.png` });
    },
  );

  await check('right-click on a log line → Show Cluster Context lands in the view at that line', async () => {
    await runCommand('View: Close All Editor Groups');
    await openFile(ZK242);
    await goToLine(expiringLine);
    await editorMenu(expiring, /^Show Cluster Context$/);
    await atContext();
  });

  log(`Cluster Log UI e2e: ${passed.length} passed, 0 failed`);
} catch (e) {
  await page.screenshot({ path: `${SHOTS}/99-cluster-log-failure.png` }).catch(() => {});
  console.error('Cluster Log UI e2e FAILED after', passed.length, 'passed:', e);
  process.exitCode = 1;
} finally {
  await close();
  removeWork();
}
