// The demo's address (env PORT, default 8080; HOST, default 127.0.0.1) and whether it is free. `npm run demo`
// runs this first (`node test/e2e/demoPort.mjs` exits 1 with the way out when the port is taken), before any
// build; demo.mjs asks again just before it starts code-server. Imports nothing that needs the e2e setup.
import net from 'node:net';
import { pathToFileURL } from 'node:url';

export const DEMO_PORT = Number(process.env.PORT || 8080);
export const DEMO_HOST = process.env.HOST || '127.0.0.1';

/** Whether `host:port` can be listened on now. */
export function portIsFree(port, host) {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, host, () => s.close(() => resolve(true)));
  });
}

/** Undefined when the demo can listen where it is told to; else what to tell the user, with a port that is free. */
export async function demoPortProblem() {
  if (!Number.isInteger(DEMO_PORT) || DEMO_PORT < 1 || DEMO_PORT > 65535)
    return `PORT=${process.env.PORT} is not a port number (1–65535); run with PORT=8081 npm run demo`;
  if (await portIsFree(DEMO_PORT, DEMO_HOST)) return undefined;
  let next = DEMO_PORT + 1;
  while (next < Math.min(DEMO_PORT + 100, 65535) && !(await portIsFree(next, DEMO_HOST))) next++;
  return `port ${DEMO_PORT} is taken; run with PORT=${next} npm run demo`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const problem = await demoPortProblem();
  if (problem) {
    console.error(problem);
    process.exit(1);
  }
}
