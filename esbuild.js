// Bundles the entry points into dist/. Type-checking is tsc's job (npm run build runs both).
const esbuild = require('esbuild');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Node entry points; the client, server and webview join this list as they are built. */
const nodeEntries = [{ in: 'src/cli/main.ts', out: 'cli' }];

async function main() {
  const ctx = await esbuild.context({
    entryPoints: nodeEntries,
    outdir: 'dist',
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: !production,
    minify: production,
    logLevel: 'warning',
    // A core module that imports 'vscode' must fail the build, not load at runtime.
    external: [],
  });
  if (watch) {
    await ctx.watch();
  } else {
    await ctx.rebuild();
    await ctx.dispose();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
