import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { languageService, noCancel, preview, seenInPreview } from '../markdownReader';
import { lifecycleMarkdown, offsetsMarkdown } from '../../src/client/workflowViews';
import { clusterLogLine, shortNodeNames } from '../../src/core/clusterLog/clusterLogLine';
import { lineHoverMarkdown } from '../../src/core/clusterLog/lineHover';
import { summaryMarkdown } from '../../src/client/summaryMarkdown';
import { BUILTIN_ROLE_RULES } from '../../src/core/rules/roleRules';
import { formatIso } from '../../src/core/time';
import * as service from '../../src/service';
import { fileUriOf } from '../../src/service/bundleHandle';
import { hoverFor } from '../../src/service/hover';
import { confined } from '../fsAudit';
import { quietSampleBundle, tempDir } from '../helpers';

// Every view the extension writes as Markdown, fed hostile folder names, file names, thread names and log
// lines, then read the way VS Code reads it: the Markdown language service's link detection (what Ctrl+click
// follows in the editor), the editor's own URL detection, and markdown-it as the preview renders it. The only
// links allowed are the ones the extension builds: a `file:` URI of a bundle file with `#L<n>`.

const HOSTILE_FOLDER = '[src](command:workbench.action.terminal.new)';
const HOSTILE_LINK = '[open zbs-metad.INFO](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22id%22%7D)';
const TICKS_FILE = 'a`b``c](command:x).log';
const LEADER_FILE = 'zookeeper.log](command:y)';
const NOTE = '<img src=x onerror=alert(1)>';
const THREAD = '[t](https://evil.example)';
/** Log text: each piece must stay visible, none may become a link, a heading or HTML. */
const PIECES = [
  '\r[x](command:y)',
  'https://evil.example/',
  'file:///etc/passwd',
  'www.evil.example',
  '<a href="command:z">z</a>',
  '\n# heading',
  '\0NUL',
  '\x1b[31mESC',
  '`code` ``` fence',
  '<script>alert(1)</script>',
  '![i](https://evil.example/i.png)',
  '[ref]: command:r',
];
const LINE = PIECES.join(' ');
/** How a control character shows: a Control Pictures glyph. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const visible = (s: string) => s.replace(/[\0-\x08\x0a-\x1f]/g, (c) => String.fromCharCode(0x2400 + c.charCodeAt(0)));

let root: string;
let ctx: service.ServiceContext;
let bundle: service.BundleHandle;

before(async () => {
  root = path.join(tempDir('ql-md-'), 'bundle');
  fs.cpSync(quietSampleBundle(), root, { recursive: true });
  const rules = [...BUILTIN_ROLE_RULES];
  const open = () => service.openBundle(root, { roleRules: rules, cacheDir: false });
  ctx = { rules, clockOffsetsMs: {}, label: formatIso, bundles: [await open()] };
  // The file that starts a ZooKeeper term gets a hostile name, so hovers link to it with that label.
  const zk = service.leaders(ctx, { role: 'zk' }).intervals.find((iv) => iv.epoch !== undefined);
  assert.ok(zk, 'a ZooKeeper term with an epoch in the sample');
  const leaderFile = path.join(root, zk.startSource.file);
  fs.renameSync(leaderFile, path.join(path.dirname(leaderFile), LEADER_FILE));
  const hostileNode = path.join(root, HOSTILE_FOLDER);
  fs.mkdirSync(hostileNode);
  fs.writeFileSync(
    path.join(hostileNode, TICKS_FILE),
    `Log file created at: 2023/03/14 05:12:20\nI0314 05:12:22.456939 ${THREAD} meta_server.cc:408] ${LINE.replace(/[\r\n]/g, ' ')}\n`,
  );
  fs.symlinkSync(path.join(root, 'no-such-file'), path.join(root, HOSTILE_LINK));
  ctx = { ...ctx, bundles: [await confined({ bundle: root }, open)] };
  bundle = ctx.bundles[0];
});

/** A link target the extension built: a file of this bundle, at a line. */
function isBundleLine(target: string): boolean {
  const m = /^(file:\/\/[^#]*)#L\d+$/.exec(target);
  if (!m) return false;
  const file = decodeURIComponent(new URL(m[1]).pathname);
  return file.startsWith(root + path.sep) && !path.relative(root, file).split(path.sep).includes('..');
}

/** Every problem a reader of this Markdown would meet: foreign links (editor or preview), HTML, headings. */
async function problems(name: string, md: string, headings: number): Promise<string[]> {
  const out: string[] = [];
  const doc = TextDocument.create(`quorum-lens:/${name}.md`, 'markdown', 1, md);
  for (const l of await languageService.getDocumentLinks(doc, noCancel)) {
    const resolved = l.target ? l : await languageService.resolveDocumentLink(l, noCancel);
    const target = resolved?.target;
    if (!target || !isBundleLine(decodeURI(target))) out.push(`${name}: editor link "${doc.getText(l.range)}" → ${target ?? '(internal)'}`);
  }
  // The editor's own URL detection (http, https, file) runs on Markdown source too, code spans included.
  const withoutOurs = md.replace(/\]\((file:\/\/[^)\s]*#L\d+)\)/g, (all, t: string) => (isBundleLine(decodeURI(t)) ? '](ours)' : all));
  for (const m of withoutOurs.matchAll(/\b(?:https?|file):\/\/\S*/gi)) out.push(`${name}: editor URL ${m[0]}`);
  const tokens = preview.parse(md, {});
  const walk = (ts: ReturnType<typeof preview.parse>): void => {
    for (const t of ts) {
      if (t.type === 'html_inline' || t.type === 'html_block') out.push(`${name}: raw HTML ${JSON.stringify(t.content)}`);
      if (t.type === 'image') out.push(`${name}: image ${String(t.attrGet('src'))}`);
      const href = String(t.attrGet('href') ?? '');
      if (t.type === 'link_open' && !isBundleLine(decodeURI(href))) out.push(`${name}: preview link ${href}`);
      if (t.children) walk(t.children);
    }
  };
  walk(tokens);
  const found = tokens.filter((t) => t.type === 'heading_open').length;
  if (found !== headings) out.push(`${name}: ${found} headings, expected ${headings}`);
  const html = preview.render(md);
  for (const m of html.matchAll(/<(a|img|script|iframe|svg|input|video|source|h[1-6])\b[^>]*>/gi)) {
    const href = /href="([^"]*)"/.exec(m[0])?.[1];
    if (!(m[1].toLowerCase() === 'a' && href && isBundleLine(decodeURI(href))) && !/^h[1-6]$/i.test(m[1]))
      out.push(`${name}: rendered ${m[0]}`);
  }
  return out;
}

function assertVisible(md: string, pieces: readonly string[]): void {
  const text = seenInPreview(md);
  for (const p of pieces) assert.ok(text.includes(visible(p)), `"${visible(p)}" shows in\n${text}`);
}

function line(text: string, file = `${HOSTILE_FOLDER}/${TICKS_FILE}`, n = 2): service.FoundLine {
  return {
    location: { uri: fileUriOf(bundle, file), file, line: n },
    node: HOSTILE_FOLDER,
    nodeLabel: HOSTILE_FOLDER,
    timeLabel: '2023-03-14T05:12:22.456939',
    text,
  };
}

test('the index summary shows hostile folder, file and link names and notes as text, with no link or HTML', async () => {
  const summary = service.summary(ctx, bundle);
  summary.notes.push({ file: TICKS_FILE, note: NOTE });
  summary.skipped.push({ file: `${HOSTILE_FOLDER}/${LEADER_FILE}`, reason: `cannot read ${NOTE}` });
  const md = summaryMarkdown([summary]);
  assert.deepEqual(await problems('summary', md, 1 + 1 + 2), []);
  const text = seenInPreview(md);
  for (const want of [HOSTILE_FOLDER, TICKS_FILE, NOTE, LEADER_FILE]) assert.ok(text.includes(want), `${want} shows in the summary`);
  assert.ok(text.includes(HOSTILE_LINK) || summary.skipped.every((s) => !s.file.includes('open zbs-metad')), 'the dangling link is named');
});

test('the Cluster Log view shows a hostile line whole as plain text: no URL the editor would detect, controls visible', async () => {
  const r = await confined({ bundle: root }, () => service.mergedLines(ctx, { include: ['evil\\.example'] }));
  assert.equal(r.problem, undefined);
  const hit = r.lines.find((l) => l.location.file === `${HOSTILE_FOLDER}/${TICKS_FILE}`);
  assert.ok(hit, 'the hostile line is merged');
  const short = shortNodeNames(r.nodes.map((n) => n.label));
  const shown = clusterLogLine({ timeLabel: hit.timeLabel, node: short.get(hit.nodeLabel) ?? hit.nodeLabel, text: hit.text }, 10);
  // The editor's URL detection (http, https, file, www.) finds nothing; a control character never reaches the document.
  assert.doesNotMatch(shown, /\b(?:https?|file):\/\/|\bwww\./i);
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  assert.doesNotMatch(shown, /[\0-\x08\x0a-\x1f\x7f]/);
  const seen = shown.replace(/\u200d/g, '');
  for (const p of PIECES)
    assert.ok(
      seen.includes(
        visible(p)
          .replace(/^[\u240a\u240d]/, '')
          .trim()
          .slice(0, 12),
      ),
      `"${visible(p)}" shows in ${seen}`,
    );
});

test('the Cluster Log hover names a hostile node and file as text, with no link or HTML', async () => {
  const md = lineHoverMarkdown(
    {
      location: { file: `${HOSTILE_FOLDER}/${TICKS_FILE}`, line: 2 },
      nodeLabel: HOSTILE_FOLDER,
      timeLabel: '2023-03-14 05:12:22.456939',
      ownTimeLabel: NOTE,
    },
    { label: `${HOSTILE_FOLDER} ${NOTE}`, offsetMs: 120 },
  );
  assert.deepEqual(await problems('cluster log hover', md, 0), []);
  assertVisible(md, [HOSTILE_FOLDER, TICKS_FILE, NOTE]);
});

test('offsets and session views keep hostile patterns and node names inert', async () => {
  const offsets = offsetsMarkdown({ nodes: [{ node: HOSTILE_FOLDER, label: `${HOSTILE_FOLDER} ${NOTE}`, configuredMs: 5 }] });
  assert.deepEqual(await problems('offsets', offsets, 1), []);
  assertVisible(offsets, [HOSTILE_FOLDER, NOTE]);
  const session = lifecycleMarkdown({
    id: '0x1000adfaccc0001',
    kind: 'zookeeper',
    createdBy: { myid: 1, node: HOSTILE_FOLDER, nodeLabel: HOSTILE_FOLDER },
    events: [{ ...line(LINE), what: 'expired by the leader' }],
  });
  assert.deepEqual(await problems('session', session, 1), []);
  assertVisible(session, [HOSTILE_FOLDER]);
});

test('hovers show a hostile thread name and file name as text; their own links to the line still work', async () => {
  const rel = `${HOSTILE_FOLDER}/${TICKS_FILE}`;
  const file = bundle.index.files.find((f) => f.path === rel);
  assert.ok(file, 'the hostile file is indexed');
  const glog = `I0314 05:12:22.456939 ${THREAD} meta_server.cc:408] hello`;
  const h = hoverFor(glog, 3, { bundle, file, lineNumber: 2, label: formatIso, zone: '' });
  assert.ok(h, 'a hover on the glog prefix');
  assert.deepEqual(await problems('glog hover', h.markdown, 0), []);
  assertVisible(h.markdown, [THREAD]);

  const zk = service.leaders(ctx, { role: 'zk' }).intervals.find((iv) => iv.startSource.file.endsWith(LEADER_FILE));
  assert.ok(zk?.epoch !== undefined, 'the renamed file still starts a term');
  const zxid = `0x${(zk.epoch * 2 ** 32 + 5).toString(16)}`;
  const z = hoverFor(`proposed zxid=${zxid} `, 'proposed zxid='.length + 3, { bundle, lineNumber: 1, label: formatIso, zone: '' });
  assert.ok(z, 'a hover on the zxid');
  assert.deepEqual(await problems('zxid hover', z.markdown, 0), []);
  assertVisible(z.markdown, [LEADER_FILE]);
  const links = await languageService.getDocumentLinks(TextDocument.create('quorum-lens:/h.md', 'markdown', 1, z.markdown), noCancel);
  assert.ok(links.length >= 1, 'the link to the term start is kept');
  assert.ok(links.every((l) => l.target && isBundleLine(decodeURI(l.target))));
});

test('decode echoes hostile input as text', async () => {
  const input = '[x](command:y) `z` <img src=x> https://evil.example/';
  const r = service.decode(ctx, { value: input });
  assert.deepEqual(await problems('decode', r.markdown, 0), []);
  assertVisible(r.markdown, [input]);
});
