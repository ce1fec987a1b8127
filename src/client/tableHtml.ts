/**
 * The result table panel's HTML (in the shared CSP shell, src/client/webviewPage.ts): the toolbar and the
 * empty places the script fills from the table the host sends. No data in it. Pure, so the browser test
 * loads exactly this page.
 */
import { webviewPage, type WebviewPageOptions } from './webviewPage';

export type TableHtmlOptions = WebviewPageOptions;

export function tableHtml(o: TableHtmlOptions): string {
  return webviewPage(o, {
    title: 'Result table',
    body: `<div id="toolbar" role="toolbar" aria-label="Result table">
  <button id="copyCsv" class="primary" type="button" title="Copy the table as CSV, in the order shown">Copy as CSV</button>
  <button id="copyMarkdown" type="button" title="Copy the table as Markdown, for an incident ticket">Copy as Markdown</button>
  <button id="copyJson" type="button" title="Copy the table's data as JSON">Copy as JSON</button>
  <span id="status" aria-live="polite">Loading…</span>
</div>
<main id="page">
  <h1 id="title"></h1>
  <p id="query"></p>
  <ul id="notes" hidden></ul>
  <div id="tableWrap"><table id="table"><thead></thead><tbody></tbody></table></div>
  <section id="chart" hidden></section>
</main>`,
  });
}
