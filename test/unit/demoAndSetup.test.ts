import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { test } from 'node:test';
import { REPO } from '../helpers';

// How the demo and the e2e setup behave on a busy machine: a port someone else holds, an apt run in progress.

const demo = (env: Record<string, string>) =>
  spawnSync(process.execPath, [path.join(REPO, 'test', 'e2e', 'demo.mjs')], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 20_000,
  });

test('npm run demo on a port in use says so at once, naming a free port to use instead, with no stack trace', async () => {
  const holder = net.createServer();
  await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
  const port = (holder.address() as net.AddressInfo).port;
  try {
    const r = demo({ PORT: String(port), HOST: '127.0.0.1' });
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, new RegExp(`^port ${port} is taken; run with PORT=\\d+ npm run demo\\n$`));
    assert.equal(r.stdout, '', 'nothing built or started');
  } finally {
    holder.close();
  }
});

test('npm run demo with a PORT that is no port number says so', () => {
  const r = demo({ PORT: 'eighty' });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^PORT=eighty is not a port number \(1–65535\); run with PORT=8081 npm run demo\n$/);
});

test("the test setups' apt-get calls wait for the dpkg lock instead of failing while another apt run holds it", () => {
  for (const rel of ['test/e2e/setup.sh', 'test/zk/setup.sh']) {
    const calls = fs
      .readFileSync(path.join(REPO, rel), 'utf8')
      .split('\n')
      .filter((l) => /\bapt-get\b/.test(l) && !l.trim().startsWith('#'));
    assert.ok(calls.length > 0, rel);
    for (const c of calls)
      for (const one of c.split('&&')) if (/apt-get/.test(one)) assert.match(one, /apt-get "\$\{LOCK\[@\]\}"/, `${rel}: ${one.trim()}`);
    assert.match(fs.readFileSync(path.join(REPO, rel), 'utf8'), /LOCK=\(-o DPkg::Lock::Timeout=\d+\)/, rel);
  }
});
