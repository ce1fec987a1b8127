// The main job: the sample bundle opened in a real VS Code (code-server) with Quorum Lens installed.
// Prints the bundle's leader overlaps, then the URL to open; runs until Ctrl-C.
// env: PORT (default 8080), HOST (default 127.0.0.1). A port in use is said at once, before any work.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { DEMO_HOST, DEMO_PORT, demoPortProblem } from './demoPort.mjs';

const taken = await demoPortProblem();
if (taken) {
  console.error(taken);
  process.exit(1);
}
// Loaded after the check: it finds Chromium and code-server, which only matter once the port is ours.
const { REPO, installVsix, makeProfile, packageVsix, startCodeServer } = await import('./codeServer.mjs');

const require = createRequire(import.meta.url);
const bundle = path.join(REPO, 'sample-bundle');
require(path.join(REPO, 'out/test/fixtures/sampleBundle.js')).writeSampleBundle(bundle);
console.log(execFileSync(process.execPath, [path.join(REPO, 'dist/cli.js'), 'overlaps', bundle, '--role', 'all'], { encoding: 'utf8' }));

const vsix = packageVsix(path.join(REPO, 'dist', 'quorum-lens.vsix'));
const userDataDir = makeProfile({ 'workbench.colorTheme': 'Default Dark Modern' });
installVsix(userDataDir, vsix);
let server;
try {
  server = await startCodeServer({ userDataDir, port: DEMO_PORT, bindHost: DEMO_HOST });
} catch (e) {
  // Taken while the demo was being built, or code-server could not start: said plainly, no stack trace.
  fs.rmSync(userDataDir, { recursive: true, force: true });
  console.error((await demoPortProblem()) ?? e.message);
  process.exit(1);
}
const url = `${server.base}/?folder=${encodeURIComponent(bundle)}`;
console.log(`Quorum Lens is running in VS Code (code-server) with the sample bundle:\n\n  ${url}\n`);
console.log('Open it in a browser, then try F1 → "Quorum Lens: Find Meta Leader Overlaps", or hover a zxid.');
console.log(`VSIX for your own VS Code: ${vsix} (Extensions → … → Install from VSIX…). Ctrl-C stops the server.`);
const stop = async () => {
  await server.stop();
  fs.rmSync(userDataDir, { recursive: true, force: true });
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
await new Promise(() => {});
