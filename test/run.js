// Runs every compiled test (out/test/**/*.test.js) with node:test. Used by `npm test` after the build.
// Pass folder names to run a subset: `node test/run.js unit server`.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..', 'out', 'test');
const only = process.argv.slice(2);
const files = [];
(function walk(dir) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p);
    else if (e.name.endsWith('.test.js')) files.push(p);
  }
})(root);
const selected = files.filter((f) => only.length === 0 || only.some((o) => path.relative(root, f).startsWith(o))).sort();
if (selected.length === 0) {
  console.error('no tests found under', root);
  process.exit(1);
}
const r = spawnSync(process.execPath, ['--test', '--test-reporter=spec', ...selected], { stdio: 'inherit' });
process.exit(r.status ?? 1);
