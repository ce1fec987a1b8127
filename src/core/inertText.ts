/**
 * Text from a bundle (log lines, file, folder and thread names) is hostile evidence: wherever the extension
 * or the CLI shows it, it must read as what it is and never act — no Markdown, HTML, link, icon or terminal
 * control sequence. Every view escapes it here, and nowhere else.
 */

/** A zero-width joiner: invisible, but it stops `https://`, `www.`, `$(icon)` and `](…)` from being recognised. */
const JOINER = '\u200d';

/**
 * Characters that would act instead of show: C0 controls (tab excepted), DEL, C1 controls, Unicode line and
 * paragraph separators, and the bidirectional overrides that reorder what is shown ("Trojan Source").
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

/** One control character as something a reader sees: `␀` `␊` `␍` `␛` (Control Pictures), `␡`, else `\u202e`. */
function visibleControl(c: string): string {
  const code = c.charCodeAt(0);
  if (code < 0x20) return String.fromCharCode(0x2400 + code);
  if (code === 0x7f) return '\u2421';
  return `\\u${code.toString(16).padStart(4, '0')}`;
}

/** Control characters (CR, LF, NUL, ESC, C1, bidi overrides…) made visible; a tab stays a tab. */
export function visibleControls(s: string): string {
  return s.replace(CONTROL, visibleControl);
}

/** `https://`, `file://` and `www.` with a joiner inside, so neither the editor's URL detection nor a linkifier sees a URL. */
export function breakUrls(s: string): string {
  return s.replace(/([a-z][a-z0-9+.-]*:)(?=\/\/)/gi, `$1${JOINER}`).replace(/\b(www)\./gi, `$1${JOINER}.`);
}

/**
 * For code: URLs broken, and `](` too. VS Code's Markdown link detection lets a link's text run over several
 * lines and then checks the wrong position against code spans, so a `[` in one line's code span and a
 * `](command:…)` in a later one would make a live link.
 */
function breakCode(s: string): string {
  return breakUrls(visibleControls(s)).replace(/\](?=\()/g, `]${JOINER}`);
}

/**
 * `<`, `>`, `&`, backticks and brackets as entities: after a backslash they would still be seen by the
 * regex-based scanners of VS Code's Markdown link detection (HTML tags, code spans, bracket pairs).
 */
const MD_ESCAPE: Record<string, string> = { '<': '&lt;', '>': '&gt;', '&': '&amp;', '`': '&#96;', '[': '&#91;', ']': '&#93;' };

/**
 * Bundle text as plain Markdown text: every character Markdown or HTML could act on escaped, URLs broken,
 * control characters visible. The preview shows it exactly (bar visible controls and invisible joiners).
 */
export function mdText(s: string): string {
  return breakUrls(visibleControls(s))
    .replace(/[\\*_()#!|~$@]/g, '\\$&')
    .replace(/[<>&`[\]]/g, (c) => MD_ESCAPE[c])
    .replace(/^(\d{1,9})([.)])(?=\s|$)/, '$1\\$2')
    .replace(/^([-+=])(?=\s|$|[-=]+$)/, '\\$1');
}

/**
 * Bundle text as an inline code span: a fence longer than any backtick run inside, padded when the text
 * starts or ends with a backtick (or a space would be stripped), control characters visible, URLs broken.
 * Never use it inside a table cell (a `|` would split the cell): use {@link mdText} there.
 */
export function mdCode(s: string): string {
  const t = breakCode(s);
  const longest = Math.max(0, ...[...t.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = /^`|`$/.test(t) || (/^ .*[^ ].* $/.test(t) && t.length > 1) || t === '' ? ' ' : '';
  return `${fence}${pad}${t}${pad}${fence}`;
}

/**
 * Lines of bundle text as a fenced code block: a fence longer than any backtick run, every line's controls
 * visible and URLs broken.
 */
export function mdCodeBlock(lines: readonly string[], info = 'text'): string {
  const body = lines.map(breakCode);
  const longest = Math.max(2, ...body.flatMap((l) => [...l.matchAll(/`+/g)].map((m) => m[0].length)));
  const fence = '`'.repeat(longest + 1);
  return [`${fence}${info}`, ...body, fence].join('\n');
}

/** Characters a file URI may hold that would end a Markdown link destination, split a table cell or pair as brackets or code. */
const LINK_UNSAFE = /[\s()<>[\]`|\\]/g;

/**
 * A link the extension built: `target` is a `file:` URI made by the extension from a bundle-relative path it
 * resolved itself (optionally with `#L<n>`); the label is bundle text and is escaped.
 */
export function mdLink(label: string, target: string): string {
  if (!/^file:\/\/[^\s]*$/.test(target)) throw new Error(`mdLink: not a file URI the extension built: ${JSON.stringify(target)}`);
  const safe = target.replace(LINK_UNSAFE, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
  return `[${mdText(label)}](${safe})`;
}

/**
 * Bundle text in a quick pick or a notification: plain text there, but `$(name)` would render as an icon and
 * a notification turns `[label](command:…)` into a link. Both are broken with a joiner; controls visible.
 */
export function uiText(s: string): string {
  return visibleControls(s).replace(/\$\(/g, `$${JOINER}(`).replace(/\]\(/g, `]${JOINER}(`);
}

/**
 * Bundle text for a terminal: no escape sequence (ESC, OSC hyperlinks, CSI), NUL or other control character
 * reaches it; each shows as its Control Pictures glyph (`␛`, `␀`, `␍`), C1 controls as `\u009b`; a tab is a space.
 */
export function terminalText(s: string): string {
  return visibleControls(s.replace(/\t/g, ' '));
}
