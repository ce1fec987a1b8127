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
import { REPO, until } from './codeServer.mjs';
import { checkList, startWorkbench, workbench } from './workbench.mjs';

const require = createRequire(import.meta.url);
const SHOTS = path.resolve(process.env.SHOTS || path.join(REPO, 'test-output', 'e2e'));
fs.mkdirSync(SHOTS, { recursive: true });
const t0 = Date.now();
const log = (...a) => console.log(`[${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...a);

// Everything this test writes — bundles, the VSIX, the code-server and Chromium profiles — lives here and
// goes when the test ends, passed or failed (the exit handler covers a failure before the checks start).
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ql-ui-'));
const removeWork = () => fs.rmSync(work, { recursive: true, force: true, maxRetries: 5 });
process.on('exit', removeWork);
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
const { server, ctx, page, close } = await startWorkbench(
  work,
  {
    'workbench.colorTheme': process.env.THEME || 'Default Dark Modern',
    'editor.minimap.enabled': false,
  },
  { log, testHooks: true },
);
const quickInput = page.locator('.quick-input-widget .quick-input-box input');
const { passed, check } = checkList(log);

/**
 * Where opening an overlap puts a side: both show the overlap's start (the later of the two starts), so the
 * side that started then is at its own start line and the other at its first line at or after that moment,
 * read here from the file's text (glog stamps in 2023, ZooKeeper's to the millisecond; a line without a
 * stamp takes the one above it).
 */
function overlapStartLine(dir, o, iv) {
  const micros = (iso) => Date.parse(`${iso.slice(0, 19)}Z`) * 1000 + Number((iso.slice(20, 26) || '0').padEnd(6, '0'));
  if (micros(iv.start) >= micros(o.start)) return iv.startSource.line;
  const lines = fs.readFileSync(path.join(dir, iv.startSource.file), 'utf8').split('\n');
  let last = -Infinity;
  const times = lines.map((l) => {
    let m = /^(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d):(\d\d),(\d{3}) /.exec(l);
    if (m) return (last = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6], +m[7]) * 1000);
    m = /^[IWEF](\d\d)(\d\d) (\d\d):(\d\d):(\d\d)\.(\d{6}) /.exec(l);
    if (m) return (last = Date.UTC(2023, +m[1] - 1, +m[2], +m[3], +m[4], +m[5]) * 1000 + Number(m[6]));
    return last;
  });
  return times.findIndex((t) => t >= micros(o.start)) + 1;
}

const { runCommand, toast, cursorLine, openFile, cursorOn, painted, goToLine, charsOf, editorMenu, hoverOver } = workbench(page);

try {
  await page.goto(`${server.base}/?folder=${encodeURIComponent(bundle)}`);
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: '172_20_131_241' }).waitFor({ timeout: 90_000 });
  log('workbench loaded');

  await check('opening the bundle folder, no file opened, shows the status item at once, then the index counts', async () => {
    // The normal wait: the extension starts with the workbench on a folder that looks like a bundle.
    await page
      .locator('.statusbar-item', { hasText: /Quorum Lens: indexing|\d+ nodes · \d+ files/ })
      .first()
      .waitFor({ timeout: 20_000 });
    await page.locator('.statusbar-item', { hasText: '5 nodes · 33 files · 20 leader intervals' }).waitFor({ timeout: 90_000 });
    await page.screenshot({ path: `${SHOTS}/01-workbench.png` });
  });

  await check("the status item's tooltip says how the search index stands once it is built", async () => {
    const status = page.locator('.statusbar-item', { hasText: '5 nodes · 33 files · 20 leader intervals' });
    const tip = page.locator('.monaco-hover:not(.hidden), .workbench-hover', { hasText: /Search index: (ready|off|building)/ }).first();
    // The build runs after the index; hover again until the tooltip carries its line.
    const deadline = Date.now() + 60_000;
    for (;;) {
      await page.mouse.move(0, 0);
      await status.hover();
      if (
        await tip.waitFor({ timeout: 3_000 }).then(
          () => true,
          () => false,
        )
      ) {
        if (/Search index: ready/.test(await tip.innerText())) break;
      }
      if (Date.now() > deadline) throw new Error(`tooltip: ${await tip.innerText().catch(() => 'none')}`);
    }
    // Its lines are lines (a break made inert showed as ␊), and a bundle of mostly small files says the
    // index covers only some of them.
    const text = await tip.innerText();
    assert.ok(!text.includes('␊'), text);
    assert.match(text, /click for the index summary\s*\n/);
    assert.match(text, /Search index: ready for \d+ of 33 files \(\d+ % of the bytes\)/);
    await page.mouse.move(0, 0);
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
  await check("choosing an overlap opens both nodes side by side at the overlap's start", async () => {
    await page.locator('.quick-input-list .monaco-list-row', { hasText: item }).click();
    await page.locator('.tab', { hasText: path.basename(a.startSource.file) }).waitFor();
    await page.locator('.tab', { hasText: path.basename(b.startSource.file) }).waitFor();
    assert.equal(await page.locator('.editor-group-container').count(), 2);
    const groups = page.locator('.editor-group-container');
    for (let i = 0; i < 2; i++) await groups.nth(i).locator('.view-line', { hasText: 'Start the leader role' }).first().waitFor();
    assert.equal(await cursorLine(), overlapStartLine(bundle, expected[1], a));
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

  await check("clicking an overlap band opens both nodes' lines at the overlap's start", async () => {
    const zoom = frame.locator('#overlaps button.zoom', { hasText: '172.20.131.241 ∩ 172.20.131.243' });
    const id = Number(await zoom.getAttribute('data-overlap'));
    await zoom.click();
    const p = await frame.evaluate((i) => window.__timeline.pointFor('band', i), id);
    assert.ok(p, 'an empty spot of the band');
    await frame.locator('#canvas').click({ position: { x: p.cx, y: p.cy } });
    await page.locator('.tab', { hasText: path.basename(a.startSource.file) }).waitFor();
    await page.locator('.tab', { hasText: path.basename(b.startSource.file) }).waitFor();
    await cursorOn(overlapStartLine(bundle, expected[1], a));
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
  await check(
    "Show Cluster Context at Time… opens the Cluster Log at the moment, every node's lines around it; the timeline scrolls there",
    async () => {
      await runCommand('Quorum Lens: Show Cluster Context at Time');
      await quickInput.fill('2023-03-14 01:35:51');
      await page.keyboard.press('Enter');
      await page
        .locator('.tab', { hasText: /^Cluster Log$/ })
        .first()
        .waitFor({ timeout: 60_000 });
      // Every node's lines of that moment, merged in time (`time │ node │ line`).
      for (const n of ['241', '242', '243', '245', '247'])
        await page
          .locator('.monaco-editor .view-line', { hasText: new RegExp(`^2023-03-14\\s01:35:(4\\d|5\\d)\\.\\d{6}\\s│\\s${n}\\s+│\\s`) })
          .first()
          .waitFor();
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
    },
  );

  await check("right-click on a log line → Show Cluster Context lists every node's lines around that line's time", async () => {
    // The editor's context menu passes the document's Uri to the command: the cursor line is what counts.
    await runCommand('View: Close All Editor Groups');
    const rel = '172_20_131_242/base_component_logs/zookeeper/zookeeper.log';
    await openFile(rel);
    const text = 'Expiring session 0x1000adfaccc0001';
    await goToLine(
      fs
        .readFileSync(path.join(bundle, rel), 'utf8')
        .split('\n')
        .findIndex((l) => l.includes(text)) + 1,
    );
    await editorMenu(text, /^Show Cluster Context$/);
    await page
      .locator('.tab.active', { hasText: /^Cluster Log$/ })
      .first()
      .waitFor({ timeout: 60_000 });
    // The origin line, in the view, with the other nodes' lines of that moment around it.
    await page
      .locator('.monaco-editor .view-line', {
        hasText: /^2023-03-14\s01:35:51\.703000\s│\s242\s+│\s.*Expiring\ssession\s0x1000adfaccc0001/,
      })
      .first()
      .waitFor();
    for (const n of ['241', '243', '245', '247'])
      await page
        .locator('.monaco-editor .view-line', { hasText: new RegExp(`^2023-03-14\\s01:35:(4\\d|5\\d)\\.\\d{6}\\s│\\s${n}\\s+│\\s`) })
        .first()
        .waitFor();
    await page.screenshot({ path: `${SHOTS}/10b-cluster-context-from-menu.png` });
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

  await check('Count per Node opens a table; "Copy as CSV" puts the counts `count --json` gives on the clipboard', async () => {
    const pattern = 'Exception when following the leader';
    const cli = JSON.parse(
      execFileSync(process.execPath, [path.join(REPO, 'dist/cli.js'), 'count', bundle, pattern, '--by', 'hour', '--json'], {
        encoding: 'utf8',
      }),
    );
    await runCommand('Quorum Lens: Count per Node');
    await quickInput.fill(pattern);
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'hour' }).first().click();
    await page.locator('.tab', { hasText: `Count: ${pattern}` }).waitFor({ timeout: 60_000 });
    const table = await until(
      'the count table',
      async () => {
        for (const f of page.frames()) {
          try {
            if (await f.locator('#copyCsv').count()) return f;
          } catch {}
        }
        return undefined;
      },
      { timeoutMs: 60_000, intervalMs: 200 },
    );
    await table.locator('table tbody tr').first().waitFor();
    await page.screenshot({ path: `${SHOTS}/18-count-table.png` });
    await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.base });
    await table.locator('#copyCsv').click();
    await table.locator('#status', { hasText: 'Copied the table as CSV.' }).waitFor();
    const csv = await until('the CSV on the clipboard', async () => {
      const text = await page.evaluate(() => navigator.clipboard.readText()).catch(() => '');
      return text.startsWith('node,') ? text : undefined;
    });
    await ctx.clearPermissions();
    const rows = csv
      .trimEnd()
      .split('\r\n')
      .map((l) => l.split(','));
    assert.deepEqual(rows[0], ['node', ...cli.buckets, 'total']);
    // A row per node that matched, in the CLI's numbers, then the sum over all nodes.
    const counted = cli.nodes.filter((n) => n.total > 0);
    assert.equal(rows.length, 1 + counted.length + 1, csv);
    for (const n of counted) {
      const row = rows.find((r) => r[0] === n.node.replace(/_/g, '.') || r[0] === n.node);
      assert.ok(row, `a row for ${n.node} in ${csv}`);
      assert.deepEqual(row.slice(1).map(Number), [...n.counts, n.total]);
    }
    assert.equal(rows.at(-1)[0], 'all nodes');
    assert.equal(
      Number(rows.at(-1).at(-1)),
      counted.reduce((a, n) => a + n.total, 0),
    );
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

  const META241 = '172_20_131_241/zbs_logs/zbs-metad/zbs-metad.log.20230314-031904.42461';
  const pidLine =
    fs
      .readFileSync(path.join(bundle, META241), 'utf8')
      .split('\n')
      .findIndex((l) => l.includes('pid: 65380 epoch')) + 1;

  await check('Trace Across Nodes from the palette offers the id under the cursor, selected, to confirm or edit', async () => {
    await page.keyboard.press('Escape');
    await runCommand('View: Close All Editor Groups');
    await openFile(META241);
    await goToLine(pidLine);
    const box = await charsOf('pid: 65380 epoch', 6, 7); // on 65380, nothing selected
    await page.mouse.click(box.x, box.y);
    await runCommand('Quorum Lens: Trace Across Nodes');
    await until('the prompt pre-filled with pid: 65380', async () => (await quickInput.inputValue()) === 'pid: 65380');
    assert.deepEqual(await quickInput.evaluate((el) => [el.selectionStart, el.selectionEnd]), [0, 'pid: 65380'.length]);
    await page.screenshot({ path: `${SHOTS}/12b-trace-prompt.png` });
    await page.keyboard.press('Enter');
    // The Cluster Log view filtered to the literal id: its lines on every node that has one.
    await page.locator('.tab.active', { hasText: /Cluster Log · \+pid: 65380/ }).waitFor({ timeout: 60_000 });
    await page
      .locator('.monaco-editor .view-line', { hasText: /│\s247\s+│\s.*\[EXTENT\sGC\sCMD\]\spid:\s65380\sepoch:\s70271/ })
      .first()
      .waitFor();
  });

  await check('right-click on a selected `pid: 65380` → Trace Across Nodes traces it across the nodes', async () => {
    await page.keyboard.press('Escape');
    await runCommand('View: Close All Editor Groups');
    await openFile(META241);
    await goToLine(pidLine);
    // Select the id with the mouse, as a reader does, then right-click inside the selection.
    const first = await charsOf('pid: 65380 epoch', 0, 1);
    const last = await charsOf('pid: 65380 epoch', 9, 10);
    await page.mouse.move(first.left + 1, first.y);
    await page.mouse.down();
    await page.mouse.move(last.right - 1, last.y, { steps: 5 });
    await page.mouse.up();
    await editorMenu('pid: 65380 epoch', /^Trace Across Nodes$/, 4, 5);
    await page.locator('.tab.active', { hasText: /Cluster Log · \+pid: 65380/ }).waitFor({ timeout: 60_000 });
    for (const n of ['241', '242', '243', '247'])
      await page
        .locator('.monaco-editor .view-line', { hasText: new RegExp(`│\\s${n}\\s+│\\s.*pid:\\s65380`) })
        .first()
        .waitFor();
    await page.screenshot({ path: `${SHOTS}/12c-trace-from-menu.png` });
  });

  await check(
    "a bundle of glog files under glog's default names (prog.host.user.log.INFO.…), no file opened, starts the extension",
    async () => {
      // Nothing here is named *.log, zookeeper.log or *.log.<digits>: only glog's own naming says it is a bundle.
      const glogOnly = path.join(work, 'glog-default-names');
      require(path.join(REPO, 'out/test/fixtures/sampleBundle.js')).writeSampleBundle(glogOnly, { noisePerMinute: 0 });
      const keep = [];
      (function walk(dir) {
        for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
          const p = path.join(dir, e.name);
          if (e.isDirectory()) walk(p);
          else if (/^zbs-metad\.log\.\d{8}-\d{6}\.\d+$/.test(e.name)) keep.push(p);
          else fs.rmSync(p);
        }
      })(glogOnly);
      for (const p of keep) {
        const host = `node${path.relative(glogOnly, p).split(path.sep)[0].split('_').pop()}`;
        fs.renameSync(p, path.join(path.dirname(p), path.basename(p).replace(/^zbs-metad\.log\./, `zbs-metad.${host}.root.log.INFO.`)));
      }
      await page.goto(`${server.base}/?folder=${encodeURIComponent(glogOnly)}`);
      await page.locator('.explorer-folders-view .monaco-list-row', { hasText: '172_20_131_241' }).waitFor({ timeout: 90_000 });
      await page
        .locator('.statusbar-item', { hasText: /Quorum Lens: indexing|\d+ nodes · \d+ files/ })
        .first()
        .waitFor({ timeout: 20_000 });
      await page.locator('.statusbar-item', { hasText: `5 nodes · ${keep.length} files ·` }).waitFor({ timeout: 60_000 });
      await page.screenshot({ path: `${SHOTS}/13a-glog-default-names.png` });
    },
  );

  await check(
    'Find Meta Leader Overlaps on a bundle of ZooKeeper logs only offers the roles that have terms; the ZooKeeper overlap opens with its sides named',
    async () => {
      // The sample bundle's ZooKeeper logs and nothing else: no meta term anywhere.
      const zkOnly = path.join(work, 'zookeeper-only');
      require(path.join(REPO, 'out/test/fixtures/sampleBundle.js')).writeSampleBundle(zkOnly, { noisePerMinute: 20 });
      (function prune(dir) {
        for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
          const p = path.join(dir, e.name);
          if (e.isDirectory()) prune(p);
          else if (!/\/zookeeper\/zookeeper\.log/.test(p)) fs.rmSync(p);
        }
      })(zkOnly);
      const [zkOverlap] = JSON.parse(
        execFileSync(process.execPath, [path.join(REPO, 'dist/cli.js'), 'overlaps', zkOnly, '--role', 'zk', '--json'], {
          encoding: 'utf8',
        }),
      ).overlaps;
      await page.goto(`${server.base}/?folder=${encodeURIComponent(zkOnly)}`);
      await page.locator('.statusbar-item', { hasText: /5 nodes · \d+ files · \d+ leader intervals?/ }).waitFor({ timeout: 90_000 });
      await runCommand('Quorum Lens: Find Meta Leader Overlaps');
      const t = await toast(/No meta leader terms in this bundle/, 60_000);
      assert.doesNotMatch(await t.innerText(), /0 leader intervals|0 nodes/);
      await page.screenshot({ path: `${SHOTS}/13b-no-meta-terms.png` });
      await t.locator('.monaco-button', { hasText: 'Find ZooKeeper leader overlaps' }).click();
      const row = page.locator('.quick-input-list .monaco-list-row', { hasText: '172.20.131.241 ∩ 172.20.131.242' }).first();
      await row.waitFor({ timeout: 60_000 });
      // One overlap, said in the singular.
      await page.locator('.quick-input-widget', { hasText: /\b1 ZooKeeper leader overlap \(3 intervals on 3 nodes\)/ }).waitFor();
      await row.click();
      // Both tabs are titled zookeeper.log (VS Code titles a file's editor with its name): the notification says which node is where.
      const side = (iv) => `${iv.node.replace(/_/g, '.')} ${path.basename(iv.startSource.file)}:${overlapStartLine(zkOnly, zkOverlap, iv)}`;
      await toast(`left: ${side(zkOverlap.intervals[0])} · right: ${side(zkOverlap.intervals[1])}`);
      assert.equal(await page.locator('.editor-group-container').count(), 2);
      await page.screenshot({ path: `${SHOTS}/13c-zk-overlap-sides.png` });
    },
  );

  await check('in a folder with no logs the commands still work: the language server starts on the first one', async () => {
    const plain = path.join(work, 'notes');
    fs.mkdirSync(plain);
    fs.writeFileSync(path.join(plain, 'README.md'), '# incident notes\n');
    await page.goto(`${server.base}/?folder=${encodeURIComponent(plain)}`);
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'README.md' }).waitFor({ timeout: 90_000 });
    await runCommand('Quorum Lens: Decode ZooKeeper Id…');
    await quickInput.fill('0x100000175e');
    await page.keyboard.press('Enter');
    await page.locator('.tab', { hasText: 'decode-0x100000175e.md' }).waitFor({ timeout: 60_000 });
    // The server indexes what is there (the notes file), counted in the singular.
    await page.locator('.statusbar-item', { hasText: '1 node · 1 file · 0 leader intervals' }).waitFor({ timeout: 60_000 });
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
  await close();
  removeWork();
}
