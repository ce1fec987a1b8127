// What a user does in the code-server workbench, as Playwright steps on its page: run a palette command, open a
// file, go to a line, right-click a word, hover, wait for a notification. Shared by every code-server UI test.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, installVsix, makeProfile, packageVsix, startCodeServer, until } from './codeServer.mjs';

/**
 * What every code-server UI test starts from: the VSIX packaged (with the timeline's test hooks when asked)
 * and installed into a fresh profile with `settings` under `work`, code-server, and Chromium on a 1600×1000
 * page. `close()` stops both; the caller removes `work`.
 */
export async function startWorkbench(work, settings, { testHooks = false, log = () => {} } = {}) {
  const vsix = packageVsix(path.join(work, 'quorum-lens.vsix'), { testHooks });
  const userDataDir = makeProfile(settings, work);
  installVsix(userDataDir, vsix);
  const server = await startCodeServer({ userDataDir });
  log('code-server up at', server.base);
  const ctx = await chromium.launchPersistentContext(fs.mkdtempSync(path.join(work, 'ql-chromium-')), {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1600, height: 1000 },
    args: CHROMIUM_ARGS,
  });
  const page = ctx.pages()[0] ?? (await ctx.newPage());
  const close = async () => {
    await ctx.close().catch(() => {});
    await server.stop();
  };
  return { server, ctx, page, close };
}

/** Named checks run in order: each one that returns is recorded in `passed` and logged with a tick. */
export function checkList(log) {
  const passed = [];
  const check = async (name, fn) => {
    await fn();
    passed.push(name);
    log('✔', name);
  };
  return { passed, check };
}

/** The steps, bound to `page` (a code-server workbench in Chromium). */
export function workbench(page) {
  const quickInput = page.locator('.quick-input-widget .quick-input-box input');
  async function runCommand(title, timeoutMs = 60_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        // F1 pressed while a webview has focus now and then opens the palette only to close it at once:
        // retried like a slow command list, not failed.
        await page.keyboard.press('F1');
        await quickInput.waitFor({ state: 'visible', timeout: 5000 });
        await quickInput.fill('>' + title, { timeout: 5000 });
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

  /**
   * Where characters `from`..`to` of `word` are drawn on the first visible line of the active editor that
   * holds it: { x, y } of their middle, and `left`/`right` edges.
   */
  async function charsOf(word, from, to) {
    const line = page.locator('.editor-group-container.active .monaco-editor .view-lines .view-line', { hasText: word }).first();
    await line.waitFor();
    const box = await line.evaluate(
      (el, [w, a, b]) => {
        // The line's text is split into token spans, its spaces drawn as no-break spaces.
        const nodes = [];
        let text = '';
        const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
        for (let n; (n = walker.nextNode()); text += n.textContent) nodes.push({ n, from: text.length });
        const i = text.replace(/\u00a0/g, ' ').indexOf(w);
        if (i < 0) return null;
        const at = (k) => nodes.findLast((x) => x.from <= k);
        const r = document.createRange();
        const s = at(i + a);
        const e = at(i + b);
        r.setStart(s.n, i + a - s.from);
        r.setEnd(e.n, i + b - e.from);
        const c = r.getBoundingClientRect();
        return { x: c.x + c.width / 2, y: c.y + c.height / 2, left: c.left, right: c.right };
      },
      [word, from, to],
    );
    assert.ok(box, `${word} on screen`);
    return box;
  }

  /** Opens the editor's context menu on `word` (its characters `from`..`to`) and chooses `entry`. */
  async function editorMenu(word, entry, from = 2, to = 3) {
    const box = await charsOf(word, from, to);
    await page.mouse.click(box.x, box.y, { button: 'right' });
    const item = page.locator('.context-view .action-label', { hasText: entry }).first();
    await item.waitFor({ timeout: 10_000 });
    await item.hover();
    await item.click();
    // Now and then the menu ignores a click that comes right after it opened: the highlighted entry then runs on Enter.
    try {
      await item.waitFor({ state: 'hidden', timeout: 2000 });
    } catch {
      await page.keyboard.press('Enter');
      await item.waitFor({ state: 'hidden', timeout: 5000 });
    }
  }

  async function hoverOver(word) {
    const box = await charsOf(word, 2, 3);
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

  return { quickInput, runCommand, toast, cursorLine, openFile, cursorOn, painted, goToLine, charsOf, editorMenu, hoverOver };
}
