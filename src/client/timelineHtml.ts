/**
 * The timeline panel's HTML: a strict Content-Security-Policy (nothing but our own script with a fresh
 * nonce, our stylesheet, no inline styles or scripts), the canvas, the overlap list and the tooltip.
 * Pure, so the browser test loads exactly this page.
 */
export interface TimelineHtmlOptions {
  /** The webview's CSP source (`webview.cspSource`). */
  cspSource: string;
  scriptUri: string;
  styleUri: string;
  nonce: string;
}

const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

export function timelineHtml(o: TimelineHtmlOptions): string {
  const csp = `default-src 'none'; img-src ${o.cspSource} data:; style-src ${o.cspSource}; font-src ${o.cspSource}; script-src 'nonce-${o.nonce}';`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttr(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeAttr(o.styleUri)}">
<title>Leader Timeline</title>
</head>
<body>
<div id="toolbar" role="toolbar" aria-label="Timeline">
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
<div id="tooltip" role="tooltip" hidden></div>
<script nonce="${escapeAttr(o.nonce)}" src="${escapeAttr(o.scriptUri)}"></script>
</body>
</html>`;
}
