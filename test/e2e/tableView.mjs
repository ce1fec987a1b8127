// The result table webview (Count per Node, Numeric Statistics) in a real browser: the production HTML and
// CSP (src/client/tableHtml.ts), the bundled dist/table.js and media/table.css, and tables made by the host's
// own code (src/core/workflows/resultTable.ts) from answers recorded from the real language server on
// generated bundles. Checks a header click (and Enter on a focused header) sorts by number, stably, with
// aria-sort and the "all nodes" row last; the copy buttons post copy messages carrying the order shown, and
// that order is what the host copies; the bar chart has a bar per node and non-empty bucket; the sort
// survives a reload; hostile node names and queries stay text. Screenshot: media/screenshots/count-table.png
// (and test-output/table/).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { REPO, freePort } from './codeServer.mjs';
import { openBrowser, servePage } from './webviewHarness.mjs';

const require = createRequire(import.meta.url);
const out = (p) => require(path.join(REPO, 'out', p));
const { countTable, statsTable, sortedRows, tableCsv } = out('src/core/workflows/resultTable.js');
const { tableHtml } = out('src/client/tableHtml.js');
const { StdioServer } = out('test/server/lspClient.js');
const SHOTS = path.join(REPO, 'test-output', 'table');
fs.mkdirSync(SHOTS, { recursive: true });
const log = (...a) => console.log('[table]', ...a);
const passed = [];
const check = async (name, fn) => {
  await fn();
  passed.push(name);
  log('✔', name);
};

// 1. Two bundles: the sample (for the picture and the sorting), and one whose node folders are hostile.
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ql-table-'));
const sample = path.join(work, 'sample');
out('test/fixtures/sampleBundle.js').writeSampleBundle(sample, { noisePerMinute: 2 });
const hostileBundle = path.join(work, 'hostile');
const HOSTILE = ['<img src=x onerror="window.__pwned=1">', '=HYPERLINK("http:||evil")|`tick`', '"><svg onload=window.__pwned=2>'];
HOSTILE.forEach((name, k) => {
  const dir = path.join(hostileBundle, name);
  fs.mkdirSync(dir, { recursive: true });
  const lines = Array.from({ length: k + 1 }, (_, i) => `I0316 0${i}:00:00.000000  ${4200 + k} m.cc:1] x=${(k + 1) * 1000 + i}\n`);
  fs.writeFileSync(path.join(dir, `zbs-metad.log.20230316-000000.${4200 + k}`), lines.join(''));
});

/** The answers of the real language server for a bundle: what the host turns into the table. */
async function record(dir, requests) {
  const lsp = new StdioServer();
  await lsp.connection.sendRequest('initialize', { processId: process.pid, rootUri: pathToFileURL(dir).toString(), capabilities: {} });
  await lsp.connection.sendNotification('initialized', {});
  await lsp.waitFor('quorumLens/indexStatus', (p) => p.state === 'ready');
  const answers = [];
  for (const [method, params] of requests) answers.push(await lsp.connection.sendRequest(method, params));
  await lsp.stop();
  return answers;
}
const [leaderCount] = await record(sample, [['quorumLens/count', { pattern: 'leader', by: 'hour' }]]);
const HOSTILE_QUERY = 'x=<b onmouseover=alert(1)>|`';
const [hostileCount, hostileStats] = await record(hostileBundle, [
  ['quorumLens/count', { pattern: 'x=', by: 'hour' }],
  ['quorumLens/stats', { regex: 'x=([0-9]+)' }],
]);
const table = countTable(leaderCount);
const evil = countTable({ ...hostileCount, pattern: HOSTILE_QUERY });
const evilStats = statsTable(hostileStats);
fs.writeFileSync(path.join(SHOTS, 'tables.json'), JSON.stringify({ table, evil, evilStats }, null, 2));

// 2. Serve the production page (plus a stub of acquireVsCodeApi, under the same nonce) on 127.0.0.1.
const port = await freePort();
const origin = `http://127.0.0.1:${port}`;
const nonce = randomBytes(16).toString('base64');
/** VS Code's Dark Modern colours the page reads. */
const DARK = {
  '--vscode-editor-background': '#1f1f1f',
  '--vscode-foreground': '#cccccc',
  '--vscode-font-family': 'system-ui, sans-serif',
  '--vscode-font-size': '13px',
  '--vscode-editor-font-family': 'monospace',
  '--vscode-descriptionForeground': '#9d9d9d',
  '--vscode-charts-blue': '#3794ff',
  '--vscode-charts-red': '#f14c4c',
  '--vscode-charts-purple': '#b180d7',
  '--vscode-charts-green': '#89d185',
  '--vscode-charts-yellow': '#cca700',
  '--vscode-charts-orange': '#d18616',
  '--vscode-button-background': '#0078d4',
  '--vscode-button-foreground': '#ffffff',
  '--vscode-button-hoverBackground': '#026ec1',
  '--vscode-button-secondaryBackground': '#313131',
  '--vscode-button-secondaryForeground': '#cccccc',
  '--vscode-button-secondaryHoverBackground': '#3c3c3c',
  '--vscode-panel-border': '#2b2b2b',
  '--vscode-editorWidget-border': '#313131',
  '--vscode-list-hoverBackground': '#2a2d2e',
  '--vscode-textLink-foreground': '#4daafc',
  '--vscode-focusBorder': '#0078d4',
  '--vscode-keybindingTable-headerBackground': 'rgba(204, 204, 204, 0.04)',
  '--vscode-textPreformat-foreground': '#d0d0d0',
  '--vscode-textPreformat-background': '#3c3c3c',
  '--vscode-editorWarning-foreground': '#cca700',
  '--vscode-terminal-ansiCyan': '#11a8cd',
};
const stub = `window.__posted = []; window.__state = JSON.parse(sessionStorage.getItem('state') || 'null');
window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__posted.push(m), getState: () => window.__state,
  setState: (s) => { window.__state = s; sessionStorage.setItem('state', JSON.stringify(s)); } });
const dark = ${JSON.stringify(DARK)};
for (const [k, v] of Object.entries(dark)) document.documentElement.style.setProperty(k, v);
document.addEventListener('DOMContentLoaded', () => document.body.classList.add('vscode-dark'));`;
const html = tableHtml({ cspSource: origin, scriptUri: `${origin}/dist/table.js`, styleUri: `${origin}/media/table.css`, nonce }).replace(
  '<script nonce=',
  `<script nonce="${nonce}" src="${origin}/stub.js"></script>\n<script nonce=`,
);
const FILES = { '/dist/table.js': 'dist/table.js', '/media/table.css': 'media/table.css', '/media/panel.css': 'media/panel.css' };
const server = servePage(port, { html, stub, files: FILES });
const { page, problems, send, posted, close } = await openBrowser({ width: 1400, height: 760 });
/** The body rows as shown: [label, ...cell texts]. */
const shownRows = () => page.$$eval('#table tbody tr', (trs) => trs.map((tr) => Array.from(tr.children).map((c) => c.textContent)));
/** The header cell of a column by its label (a bucket's shows its date over its hour). */
const header = (label) =>
  page.locator('#table thead th', { has: page.locator('button.sort', { hasText: new RegExp(`^${label.replace(/ /g, '\\s')}[▲▼]?$`) }) });
const ariaSorts = () => page.$$eval('#table thead th', (ths) => ths.map((th) => th.getAttribute('aria-sort')));
const totalAt = table.columns.findIndex((c) => c.id === 'total');
const labelsIn = (rows) => rows.map((r) => r.label);

try {
  await page.goto(origin);
  await page.waitForFunction(() => window.__posted?.some((m) => m.type === 'ready'));

  await check('the page says ready, then shows the table the host sends: title, query, a row per node and "all nodes" last', async () => {
    await send({ type: 'table', table });
    await page.locator('#status', { hasText: '5 nodes' }).waitFor();
    assert.equal(await page.locator('#title').textContent(), 'Count per node and hour');
    assert.equal(await page.locator('#query code').textContent(), 'leader');
    const rows = await shownRows();
    assert.deepEqual(
      rows.map((r) => r[0]),
      labelsIn(table.rows),
    );
    assert.deepEqual(rows.at(-1), ['all nodes', ...table.rows.at(-1).cells.map(String)]);
    assert.equal(await page.locator('#notes').isHidden(), true, 'nothing left out: no notes');
    assert.deepEqual(await ariaSorts(), table.columns.map(() => null).concat(null), 'unsorted');
  });

  await check(
    'clicking the total header sorts by it, largest first and stable; clicking again reverses; "all nodes" stays last',
    async () => {
      await header('total').locator('button').click();
      const sort = { column: totalAt, direction: 'descending' };
      assert.equal(await header('total').getAttribute('aria-sort'), 'descending');
      assert.equal((await ariaSorts()).filter((x) => x).length, 1, 'aria-sort on the sorted column only');
      const rows = await shownRows();
      assert.deepEqual(
        rows.map((r) => r[0]),
        labelsIn(sortedRows(table, sort)),
      );
      const totals = rows.slice(0, -1).map((r) => Number(r[totalAt + 1]));
      assert.deepEqual(
        totals,
        [...totals].sort((a, b) => b - a),
        'numbers, largest first',
      );
      assert.equal(rows.at(-1)[0], 'all nodes');
      await header('total').locator('button').click();
      assert.equal(await header('total').getAttribute('aria-sort'), 'ascending');
      assert.deepEqual(
        (await shownRows()).map((r) => r[0]),
        labelsIn(sortedRows(table, { column: totalAt, direction: 'ascending' })),
      );
      await page.locator('#status', { hasText: 'Sorted by total, ascending.' }).waitFor();
    },
  );

  await check('the headers work from the keyboard: Tab to one, Enter sorts, focus stays on it', async () => {
    const nodeButton = header('node').locator('button');
    await nodeButton.focus();
    await page.keyboard.press('Enter');
    assert.equal(await header('node').getAttribute('aria-sort'), 'ascending');
    assert.equal(await page.evaluate(() => document.activeElement?.closest('th')?.textContent), 'node▲');
    await page.keyboard.press('Space');
    assert.equal(await header('node').getAttribute('aria-sort'), 'descending');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    const second = table.columns[0].label;
    assert.equal(await header(second).getAttribute('aria-sort'), 'descending', `Tab moved to ${second}`);
  });

  await check('the bar chart: a lane per node in the table order, a bar per node and non-empty bucket, totals at the end', async () => {
    await header('total').locator('button').click(); // descending
    const sort = { column: totalAt, direction: 'descending' };
    const lanes = await page.$$eval('#chart svg g.lane', (gs) => gs.map((g) => g.getAttribute('data-row')));
    assert.deepEqual(
      lanes,
      sortedRows(table, sort)
        .filter((r) => !r.summary)
        .map((r) => r.id),
    );
    const nonEmpty = table.rows.filter((r) => !r.summary).flatMap((r) => r.cells.filter((v, i) => table.columns[i].bucket && v > 0));
    assert.equal(await page.locator('#chart svg rect').count(), nonEmpty.length);
    const tips = await page.$$eval('#chart svg rect title', (ts) => ts.map((t) => t.textContent));
    assert.ok(tips.includes(`172.20.131.241 · 2023-03-14 10:00: 4`), tips.join('\n'));
    const fill = await page.$eval('#chart svg g.series-0 rect', (r) => getComputedStyle(r).fill);
    assert.equal(fill, 'rgb(55, 148, 255)', 'theme colour (--vscode-charts-blue)');
    const labels = await page.$$eval('#chart svg g.lane text.node', (ts) => ts.map((t) => t.firstChild.nodeValue));
    assert.ok(
      labels.every((l) => /^172\.20\.131\.24\d$/.test(l)),
      'short labels are not cut',
    );
    await page.mouse.move(5, 700);
    await page.evaluate(() => (document.getElementById('tableWrap').scrollLeft = 0));
    await page.setViewportSize({ width: 1600, height: 640 });
    await page.screenshot({ path: path.join(SHOTS, '01-count-dark.png') });
    await page.screenshot({ path: path.join(REPO, 'media', 'screenshots', 'count-table.png') });
    await page.setViewportSize({ width: 1400, height: 760 });
  });

  await check('the copy buttons post copy messages with the order shown, and the host copies that order', async () => {
    const before = (await posted()).length;
    for (const id of ['copyCsv', 'copyMarkdown', 'copyJson']) await page.click(`#${id}`);
    const sort = { column: totalAt, direction: 'descending' };
    assert.deepEqual((await posted()).slice(before), [
      { type: 'copy', format: 'csv', sort },
      { type: 'copy', format: 'markdown', sort },
      { type: 'copy', format: 'json', sort },
    ]);
    const csvOrder = tableCsv(table, sort)
      .split('\r\n')
      .slice(1, -1)
      .map((l) => l.split(',')[0]);
    assert.deepEqual(
      csvOrder,
      (await shownRows()).map((r) => r[0]),
    );
    await send({ type: 'status', message: 'Copied the table as CSV.' });
    await page.locator('#status', { hasText: 'Copied the table as CSV.' }).waitFor();
  });

  await check('a table wider than the panel scrolls sideways with the node column kept in view', async () => {
    await page.setViewportSize({ width: 800, height: 700 });
    await page.evaluate(() => (document.getElementById('tableWrap').scrollLeft = 10_000));
    const wrap = await page.locator('#tableWrap').boundingBox();
    assert.ok((await page.evaluate(() => document.getElementById('tableWrap').scrollLeft)) > 0, 'it scrolls');
    for (const cell of [page.locator('#table thead th').first(), page.locator('#table tbody th').first()]) {
      const box = await cell.boundingBox();
      assert.ok(Math.abs(box.x - wrap.x) < 1, `the node column stays at the left edge (${box.x} vs ${wrap.x})`);
    }
    assert.equal(
      await page.locator('#table tbody th').first().textContent(),
      labelsIn(sortedRows(table, { column: totalAt, direction: 'descending' }))[0],
    );
    await page.screenshot({ path: path.join(SHOTS, '04-scrolled.png') });
    await page.evaluate(() => (document.getElementById('tableWrap').scrollLeft = 0));
    await page.setViewportSize({ width: 1400, height: 760 });
  });

  await check('after a reload the page draws its table and sort from its state at once, before the host answers', async () => {
    await page.reload();
    await page.waitForFunction(() => window.__posted?.some((m) => m.type === 'ready'));
    assert.equal(await header('total').getAttribute('aria-sort'), 'descending');
    assert.deepEqual(
      (await shownRows()).map((r) => r[0]),
      labelsIn(sortedRows(table, { column: totalAt, direction: 'descending' })),
    );
    // The host answers "ready" with the same search: the reader's sort stays.
    await send({ type: 'table', table });
    await page.locator('#status', { hasText: '5 nodes' }).waitFor();
    assert.equal(await header('total').getAttribute('aria-sort'), 'descending');
  });

  await check('hostile node names and queries stay text in the table, the chart and the notes; nothing runs', async () => {
    await send({ type: 'table', table: evil });
    await page.locator('#status', { hasText: '3 nodes' }).waitFor();
    assert.equal(await page.locator('#query code').textContent(), HOSTILE_QUERY);
    const labels = (await shownRows()).map((r) => r[0]);
    assert.deepEqual([...labels.slice(0, -1)].sort(), [...HOSTILE].sort(), 'each name exactly as the folder is named');
    const tips = await page.$$eval('#chart svg g.lane text.node title', (ts) => ts.map((t) => t.textContent));
    assert.deepEqual([...tips].sort(), [...HOSTILE].sort());
    // Every lane label fits left of the bars, cut with an ellipsis if it must be.
    const overflow = await page.$$eval('#chart svg g.lane text.node', (ts) =>
      ts.filter((t) => t.getBBox().x < 0).map((t) => t.textContent),
    );
    assert.deepEqual(overflow, []);
    assert.equal(await page.locator('img, script:not([src]), b').count(), 0, 'no element made from the data');
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
    await page.hover('#table tbody tr:first-child th');
    await page.screenshot({ path: path.join(SHOTS, '02-hostile.png'), fullPage: true });
    // A new search is a new table: the sort starts over.
    assert.deepEqual((await ariaSorts()).filter((x) => x).length, 0);
  });

  await check('statistics: columns count … p99, exact numbers, no chart', async () => {
    await send({ type: 'table', table: evilStats });
    await page.locator('#title', { hasText: 'Numeric statistics per node' }).waitFor();
    const heads = await page.$$eval('#table thead th', (ths) => ths.map((th) => th.textContent));
    assert.deepEqual(heads, ['node', 'count', 'sum', 'min', 'max', 'mean', 'median', 'p99']);
    const all = (await shownRows()).at(-1);
    // 1000 + 2000 + 2001 + 3000 + 3001 + 3002
    assert.deepEqual(all, ['all nodes', '6', '14004', '1000', '3002', '2334', '2500.5', '3002']);
    assert.equal(await page.locator('#chart').isHidden(), true);
    await header('sum').locator('button').click();
    assert.deepEqual(
      (await shownRows()).map((r) => r[1]),
      ['3', '2', '1', '6'],
      'by sum, largest first: the node with three numbers first',
    );
    await page.screenshot({ path: path.join(SHOTS, '03-stats.png'), fullPage: true });
  });

  assert.deepEqual(problems, [], 'no console errors or CSP violations');
  log(`${passed.length} passed, 0 failed`);
} catch (e) {
  await page.screenshot({ path: path.join(SHOTS, '99-failure.png') }).catch(() => {});
  console.error('table view test FAILED after', passed.length, 'passed:', e, problems);
  process.exitCode = 1;
} finally {
  await close();
  server.close();
  fs.rmSync(work, { recursive: true, force: true });
}
