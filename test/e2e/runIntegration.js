// Runs the extension-host test suite (test/e2e/suite) inside a real VS Code through
// @vscode/test-electron, with code-server standing in for the desktop binary (code-server-shim.mjs).
const path = require('node:path');
const fs = require('node:fs');
const os = require('node:os');
const { runTests } = require('@vscode/test-electron');

async function main() {
  const repo = path.resolve(__dirname, '..', '..');
  const { writeSampleBundle } = require(path.join(repo, 'out/test/fixtures/sampleBundle.js'));
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ql-it-'));
  const bundle = path.join(work, 'bundle');
  writeSampleBundle(bundle, { noisePerMinute: 4 });
  try {
    await runTests({
      vscodeExecutablePath: path.join(__dirname, 'code-server-shim.mjs'),
      extensionDevelopmentPath: repo,
      extensionTestsPath: path.join(repo, 'out/test/e2e/suite/index.js'),
      launchArgs: [bundle, `--user-data-dir=${path.join(work, 'user')}`],
      extensionTestsEnv: { QL_BUNDLE: bundle },
    });
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error('integration tests failed:', e.message ?? e);
  process.exit(1);
});
