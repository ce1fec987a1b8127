// A webview page of the extension loaded alone in Chromium, as VS Code would show it: its production HTML
// and CSP served from 127.0.0.1 with a stub of `acquireVsCodeApi` before its script, and the repository's
// bundles and stylesheets. Shared by the timeline's and the result table's browser tests.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, REPO } from './codeServer.mjs';

/**
 * Serves `html` at `/`, `stub` at `/stub.js`, and `files` (URL path → repository path) on `port`; anything
 * else is a 404, so the page can load nothing it does not name.
 */
export function servePage(port, { html, stub, files }) {
  return http
    .createServer((req, res) => {
      const file = files[req.url];
      if (req.url === '/') res.writeHead(200, { 'content-type': 'text/html' }).end(html);
      else if (req.url === '/stub.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(stub);
      else if (file)
        res
          .writeHead(200, { 'content-type': file.endsWith('.js') ? 'text/javascript' : 'text/css' })
          .end(fs.readFileSync(path.join(REPO, file)));
      else if (req.url === '/favicon.ico') res.writeHead(204).end();
      else res.writeHead(404).end();
    })
    .listen(port, '127.0.0.1');
}

/**
 * Headless Chromium on a fresh profile, with the page's errors and CSP refusals collected in `problems`,
 * `send` (a host message to the page) and `posted` (what the page sent the stub). `close()` removes it all.
 */
export async function openBrowser(viewport) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'ql-chromium-'));
  const ctx = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, viewport, args: CHROMIUM_ARGS });
  const page = ctx.pages()[0] ?? (await ctx.newPage());
  const problems = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || /Content Security Policy|Refused/.test(m.text())) problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(String(e)));
  const send = (m) => page.evaluate((msg) => window.postMessage(msg, '*'), m);
  const posted = () => page.evaluate(() => window.__posted);
  const close = async () => {
    await ctx.close().catch(() => {});
    fs.rmSync(profile, { recursive: true, force: true });
  };
  return { ctx, page, problems, send, posted, close };
}
