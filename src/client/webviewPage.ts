/**
 * The shell every webview page of the extension shares: a strict Content-Security-Policy (nothing but our
 * own script with a fresh nonce and our stylesheet; no inline styles or scripts), then the page's own
 * static body. Pure, so browser tests load exactly this page. No data goes in: scripts fill the page.
 */
export interface WebviewPageOptions {
  /** The webview's CSP source (`webview.cspSource`). */
  cspSource: string;
  scriptUri: string;
  styleUri: string;
  nonce: string;
}

const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** `images`: the page draws images of its own (the timeline's canvas exports), from our files or `data:`. */
export function webviewPage(o: WebviewPageOptions, page: { title: string; body: string; images?: boolean }): string {
  const img = page.images ? `img-src ${o.cspSource} data:; ` : '';
  const csp = `default-src 'none'; ${img}style-src ${o.cspSource}; font-src ${o.cspSource}; script-src 'nonce-${o.nonce}';`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttr(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeAttr(o.styleUri)}">
<title>${escapeAttr(page.title)}</title>
</head>
<body>
${page.body}
<script nonce="${escapeAttr(o.nonce)}" src="${escapeAttr(o.scriptUri)}"></script>
</body>
</html>`;
}
