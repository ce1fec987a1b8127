// Checks the VSIX that `npm run package` wrote is a production build: the bundles minified with no source
// maps or sourceMappingURL comments, no test hooks in the webview, no README screenshots, and the icon,
// LICENSE, README, CHANGELOG and manifest inside. Reads the zip with Node's zlib, nothing else.
// usage: node test/package/checkVsix.mjs [dist/quorum-lens.vsix]
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const vsix = path.resolve(process.argv[2] ?? path.join(REPO, 'dist', 'quorum-lens.vsix'));

/** name → contents of every file in a zip, from its central directory. */
function readZip(buf) {
  let eocd = buf.length - 22;
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  assert.ok(eocd >= 0, `${vsix} is a zip`);
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const files = new Map();
  for (let i = 0; i < count; i++) {
    assert.equal(buf.readUInt32LE(p), 0x02014b50, 'central directory entry');
    const method = buf.readUInt16LE(p + 10);
    const compressed = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    const dataAt = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const raw = buf.subarray(dataAt, dataAt + compressed);
    files.set(name, method === 8 ? zlib.inflateRawSync(raw) : raw);
    p += 46 + nameLen + extraLen + commentLen;
  }
  return files;
}

const files = readZip(fs.readFileSync(vsix));
const names = [...files.keys()].sort();
const text = (name) => files.get(name).toString('utf8');
const bundles = ['extension', 'server', 'indexWorker', 'webview', 'report', 'table'].map((b) => `extension/dist/${b}.js`);

test(`${path.relative(REPO, vsix)} (${(fs.statSync(vsix).size / 1024).toFixed(0)} KiB): ${names.length} files`, () => {
  console.log(names.map((n) => `  ${n} (${files.get(n).length} B)`).join('\n'));
});

test('it carries the manifest, README, CHANGELOG, LICENSE, icon, grammar, stylesheet and the four bundles', () => {
  for (const n of [
    'extension.vsixmanifest',
    'extension/package.json',
    'extension/readme.md',
    'extension/changelog.md',
    'extension/LICENSE.txt',
    'extension/media/icon.png',
    'extension/media/timeline.css',
    'extension/media/report.css',
    'extension/media/table.css',
    'extension/media/panel.css',
    'extension/syntaxes/quorum-log.tmLanguage.json',
    ...bundles,
  ]) {
    assert.ok(files.has(n), `${n} is in the VSIX (has: ${names.join(', ')})`);
  }
  const manifest = JSON.parse(text('extension/package.json'));
  assert.equal(manifest.icon, 'media/icon.png');
  assert.match(text('extension.vsixmanifest'), /<License>extension\/LICENSE\.txt<\/License>/);
  const icon = files.get('extension/media/icon.png');
  assert.equal(icon.toString('latin1', 1, 4), 'PNG');
  assert.deepEqual([icon.readUInt32BE(16), icon.readUInt32BE(20)], [128, 128], 'the icon is 128×128');
});

test('nothing else rides along: no source maps, sources, tests, screenshots, CLI or node_modules', () => {
  const allowed =
    /^(extension\.vsixmanifest|\[Content_Types\]\.xml|extension\/(package\.json|readme\.md|changelog\.md|LICENSE\.txt|media\/(icon\.png|timeline\.css|report\.css|table\.css|panel\.css)|syntaxes\/[\w.-]+\.json|dist\/(extension|server|indexWorker|webview|report|table)\.js))$/;
  assert.deepEqual(
    names.filter((n) => !allowed.test(n)),
    [],
  );
  assert.equal(names.filter((n) => n.endsWith('.map') || n.includes('screenshots/')).length, 0);
});

test('the bundles are minified, with no sourceMappingURL comments', () => {
  for (const n of bundles) {
    const js = text(n);
    assert.doesNotMatch(js, /[#@] sourceMappingURL=/, `${n} points at no source map`);
    const lines = js.split('\n');
    const avg = js.length / lines.length;
    assert.ok(avg > 500, `${n}: ${lines.length} lines averaging ${avg.toFixed(0)} characters is not minified`);
  }
});

test('the shipped webview has no test hooks', () => {
  assert.doesNotMatch(text('extension/dist/webview.js'), /__timeline/);
});

test('README images resolve outside the VSIX (absolute URLs, not media/screenshots/ paths)', () => {
  const readme = text('extension/readme.md');
  const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)/g)].map((m) => m[1]);
  assert.ok(images.length > 0);
  for (const src of images) assert.match(src, /^https:\/\//, src);
});

test('vsce rewrote links only, never text inside code (its rewriting is a regex: `a[b](c)` in code gets a URL)', () => {
  const { repository } = JSON.parse(text('extension/package.json'));
  const base = String(repository?.url ?? repository).replace(/\.git$/, '');
  let fenced = false;
  const hurt = [];
  text('extension/readme.md')
    .split('\n')
    .forEach((line, i) => {
      if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
      const code = fenced ? [line] : [...line.matchAll(/`[^`]+`/g)].map((m) => m[0]);
      if (code.some((c) => c.includes(`](${base}/blob/`) || c.includes(`](${base}/raw/`))) hurt.push(`README.md:${i + 1}: ${line.trim()}`);
    });
  assert.deepEqual(hurt, [], 'write these without `](` inside code, or the marketplace README shows a URL there');
});
