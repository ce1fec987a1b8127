import * as path from 'node:path';
import { makeBundle } from './scenario';
import { findZkInstall } from './zkInstall';

/**
 * `node out/test/zk/makeBundle.js DIR`: runs the real-ensemble fault scenario and leaves its log bundle in
 * DIR (default /tmp/zk-real-bundle), for developing against real ZooKeeper, kazoo and runner logs.
 */
async function main(): Promise<void> {
  const dir = path.resolve(process.argv[2] ?? '/tmp/zk-real-bundle');
  const { install, missing } = findZkInstall();
  if (!install) {
    console.error(`cannot run a ZooKeeper ensemble here: ${missing.join('; ')} (bash test/zk/setup.sh installs them)`);
    process.exit(2);
  }
  const record = await makeBundle(install, dir, (m) => console.error(m));
  console.log(JSON.stringify(record, null, 2));
  console.error(`bundle: ${dir}`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
