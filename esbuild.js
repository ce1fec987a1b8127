// Bundles the entry points into dist/. Type-checking is tsc's job (npm run build runs both).
//   node esbuild.js               development: sourcemaps, readable output, the webview's test hooks
//   node esbuild.js --production  what the VSIX ships: minified, no sourcemaps (so no sourceMappingURL
//                                 comments), no test hooks. QUORUM_LENS_TEST_HOOKS=1 keeps the hooks in a
//                                 production build (the UI test installs such a VSIX into code-server).
//   --watch                       rebuild on change (the F5 launch config's background task)
const fs = require('node:fs');
const path = require('node:path');
const esbuild = require('esbuild');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const testHooks = !production || process.env.QUORUM_LENS_TEST_HOOKS === '1';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  outdir: 'dist',
  sourcemap: !production,
  minify: production,
  logLevel: watch ? 'info' : 'warning',
};

const builds = [
  // The extension host provides 'vscode'.
  { ...common, entryPoints: [{ in: 'src/extension.ts', out: 'extension' }], external: ['vscode'] },
  // Everything else must stay free of 'vscode': nothing is external, so an accidental import fails here.
  {
    ...common,
    entryPoints: [
      { in: 'src/server/main.ts', out: 'server' },
      { in: 'src/cli/main.ts', out: 'cliMain' },
      { in: 'src/indexer/indexWorker.ts', out: 'indexWorker' },
    ],
  },
  // The `quorum-lens` command: turns on Node's compile cache, then loads the CLI bundle above.
  { ...common, entryPoints: [{ in: 'src/cli/launcher.ts', out: 'cli' }], external: ['./cliMain.js'] },
  // The timeline webview runs in a browser frame. QUORUM_LENS_TEST_HOOKS is a compile-time constant:
  // when false, esbuild drops the code behind it and `window.__timeline` is not in the bundle.
  {
    ...common,
    platform: 'browser',
    format: 'iife',
    target: 'es2020',
    entryPoints: [
      { in: 'src/webview/main.ts', out: 'webview' },
      { in: 'src/webview/report/main.ts', out: 'report' },
      { in: 'src/webview/table/main.ts', out: 'table' },
    ],
    define: { QUORUM_LENS_TEST_HOOKS: JSON.stringify(testHooks) },
  },
];

async function main() {
  // A production build leaves no maps from an earlier development build next to its bundles.
  if (production && fs.existsSync('dist')) {
    for (const f of fs.readdirSync('dist')) if (f.endsWith('.map')) fs.rmSync(path.join('dist', f));
  }
  const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
  if (watch) {
    await Promise.all(contexts.map((c) => c.watch()));
    return;
  }
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
