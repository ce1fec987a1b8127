// Bundles the entry points into dist/. Type-checking is tsc's job (npm run build runs both).
const esbuild = require('esbuild');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  outdir: 'dist',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
};

const builds = [
  // The extension host provides 'vscode'.
  { ...common, entryPoints: [{ in: 'src/extension.ts', out: 'extension' }], external: ['vscode'] },
  // Everything else must stay free of 'vscode': nothing is external, so an accidental import fails here.
  { ...common, entryPoints: [{ in: 'src/server/main.ts', out: 'server' }, { in: 'src/cli/main.ts', out: 'cli' }, { in: 'src/indexer/indexWorker.ts', out: 'indexWorker' }] },
  // The timeline webview runs in a browser frame.
  { ...common, platform: 'browser', format: 'iife', target: 'es2020', entryPoints: [{ in: 'src/webview/main.ts', out: 'webview' }] },
];

async function main() {
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
