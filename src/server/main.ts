import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { enableLinearRegexFallback } from '../indexer/regexRuntime';
import { startServer } from './server';

// `node dist/server.js --stdio` (or --node-ipc, as the VS Code client starts it). Logs go to the
// connection's console, never to stdout, which carries the protocol.
console.log = (...args: unknown[]) => console.error(...args);
enableLinearRegexFallback();
startServer(createConnection(ProposedFeatures.all));
