#!/usr/bin/env node
// The `quorum-lens` command. On Node 22.1+ V8 keeps the CLI's compiled code between runs (in the OS temp
// folder, never in a bundle), so a question does not first recompile the 800 KB bundle: 0.14-0.17 s ->
// 0.12-0.16 s for a warm `count` on the 1 GB bench bundle (Node 24). Older Node lacks the call and skips it.
import * as nodeModule from 'node:module';

(nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();
// The CLI proper is its own bundle (esbuild.js), loaded only once the cache is on: an import would be
// hoisted above the call.
// eslint-disable-next-line @typescript-eslint/no-require-imports
require('./cliMain.js');
