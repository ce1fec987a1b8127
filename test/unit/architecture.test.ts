import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { REPO } from '../helpers';

// Data flows one way: files → core/indexer → service → server/CLI → client/webview. These rules read every
// import of src/ and fail on the first one that goes the wrong way.
const SRC = path.join(REPO, 'src');

function importsOf(): { file: string; target: string }[] {
  const out: { file: string; target: string }[] = [];
  (function walk(dir: string) {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.endsWith('.ts')) {
        const text = fs.readFileSync(p, 'utf8');
        // Type-only imports carry no code; they may name a result type from anywhere below.
        for (const m of text.matchAll(/(?:^|\n)\s*(import|export)( type)?[^'"]*?from\s+'([^']+)'/g)) {
          if (m[2]) continue;
          const spec = m[3];
          const target = spec.startsWith('.')
            ? path
                .relative(SRC, path.resolve(path.dirname(p), spec))
                .split(path.sep)
                .join('/')
            : spec;
          out.push({ file: path.relative(SRC, p).split(path.sep).join('/'), target });
        }
      }
    }
  })(SRC);
  return out;
}

const layer = (f: string) => f.split('/')[0].replace(/\.ts$/, '');
const all = importsOf();

test('the import scan sees the code (a rule over nothing would pass for nothing)', () => {
  assert.ok(all.length > 300, `${all.length} imports`);
  assert.ok(all.some((i) => i.file === 'cli/main.ts' && i.target === 'service'));
});

test('core is pure: no Node I/O, no editor, nothing above it', () => {
  const bad = all.filter(
    (i) =>
      layer(i.file) === 'core' &&
      (/^(node:|vscode)/.test(i.target) || (!i.target.startsWith('core/') && !/^[a-z@]/.test(i.target)) || i.target === 'fs'),
  );
  assert.deepEqual(
    bad.filter((i) => !['luxon'].includes(i.target)),
    [],
  );
});

test('the indexer uses only core and Node', () => {
  const bad = all.filter((i) => layer(i.file) === 'indexer' && /^(service|server|cli|client|webview|shared|extension)\b/.test(i.target));
  assert.deepEqual(bad, []);
});

test('the service sits under the CLI and the server: it never imports them, the client or an editor API', () => {
  const bad = all.filter((i) => layer(i.file) === 'service' && /^(server|cli|client|webview|extension|vscode)/.test(i.target));
  assert.deepEqual(bad, []);
});

test('the CLI and the server answer use cases only through the service', () => {
  // What they may still use from below: argument/setting parsing, formats for folding, model types, the store's indexing.
  const useCases =
    /^(core\/(workflows|leaderIntervals|overlaps|timelineModel|bundleStats|decode)|indexer\/(grep|contextWindow|lineWindow|merge))/;
  const bad = all.filter((i) => ['cli', 'server'].includes(layer(i.file)) && useCases.test(i.target));
  assert.deepEqual(bad, []);
});

test('the client and the webview talk to the server only through the shared protocol', () => {
  const bad = all.filter(
    (i) => ['client', 'webview', 'extension'].includes(layer(i.file)) && /^(service|server|indexer|cli)\b/.test(i.target),
  );
  assert.deepEqual(bad, []);
});
