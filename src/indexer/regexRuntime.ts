import * as v8 from 'node:v8';

let done = false;

/**
 * Switches V8 to its linear-time regex engine when a regex backtracks too much (process-wide, workers
 * included), and enables the `l` flag that lets core check a user pattern can run there. Called first by
 * every entry point: the CLI, the language server and the index worker.
 */
export function enableLinearRegexFallback(): void {
  if (done) return;
  done = true;
  v8.setFlagsFromString('--enable-experimental-regexp-engine');
  v8.setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');
}
