/**
 * The timeline panel's HTML (in the shared CSP shell, src/client/webviewPage.ts): the canvas, the overlap
 * list and the tooltip. Pure, so the browser test loads exactly this page.
 */
import { webviewPage, type WebviewPageOptions } from './webviewPage';

export type TimelineHtmlOptions = WebviewPageOptions;

export function timelineHtml(o: TimelineHtmlOptions): string {
  return webviewPage(o, {
    title: 'Leader Timeline',
    images: true,
    body: `<div id="toolbar" role="toolbar" aria-label="Timeline">
  <button id="fit" type="button" title="Fit all (Home)">Fit all</button>
  <button id="zoomIn" type="button" title="Zoom in (+)">+</button>
  <button id="zoomOut" type="button" title="Zoom out (−)">−</button>
  <span id="status" aria-live="polite">Loading…</span>
</div>
<div id="warnings" role="alert" hidden></div>
<div id="main">
  <div id="chart"><canvas id="canvas" tabindex="0" aria-label="Leader timeline: arrows pan, + and − zoom, n and p step through overlaps, Enter opens one, e explains it"></canvas></div>
  <aside id="overlaps" aria-label="Overlaps"></aside>
</div>
<div id="tooltip" role="tooltip" hidden></div>`,
  });
}
