import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { audited, confinementBreaches, readAuditLog } from '../fsAudit';
import { REPO, tempDir } from '../helpers';

// The audit behind every "nothing outside the bundle read" in this suite: it must see a read that
// leaves the bundle — directly, through a link, in a child process and in its worker threads — and a
// write inside it, or those assertions prove nothing.

function fixture() {
  const root = path.join(tempDir('ql-audit-'), 'bundle');
  const outside = tempDir('ql-audit-outside-');
  fs.mkdirSync(path.join(root, 'node'), { recursive: true });
  fs.writeFileSync(path.join(root, 'node', 'in.log'), 'inside\n');
  fs.writeFileSync(path.join(outside, 'secret.log'), 'secret\n');
  fs.symlinkSync(path.join(outside, 'secret.log'), path.join(root, 'node', 'link.log'));
  return { root, outside: fs.realpathSync(outside) };
}

test('reads inside the bundle pass; a read outside, one through a link out of it, and a write inside are caught', async () => {
  const { root, outside } = fixture();
  const inside = await audited(async () => {
    await fs.promises.readFile(path.join(root, 'node', 'in.log'));
    const fh = await fs.promises.open(path.join(root, 'node', 'in.log'), 'r');
    await fh.close();
    await fs.promises.readdir(root);
  });
  assert.deepEqual(confinementBreaches(inside.accesses, { bundle: root }), []);
  assert.equal(inside.accesses.length, 3);

  const out = await audited(async () => {
    fs.readFileSync(path.join(outside, 'secret.log'));
    // Opened by a path inside the bundle, the descriptor shows where it really leads.
    const fh = await fs.promises.open(path.join(root, 'node', 'link.log'), 'r');
    await fh.close();
    await fs.promises.writeFile(path.join(root, 'node', 'new.log'), 'x');
  });
  assert.deepEqual(confinementBreaches(out.accesses, { bundle: root }).sort(), [
    `read outside the bundle: ${path.join(outside, 'secret.log')}`,
    `wrote inside the bundle: ${path.join(fs.realpathSync(root), 'node', 'new.log')}`,
  ]);
});

test('preloaded into a child, the audit follows it into a worker thread', () => {
  const { root, outside } = fixture();
  const log = path.join(tempDir('ql-audit-log-'), 'accesses.jsonl');
  const code = `
    const { Worker } = require('node:worker_threads');
    const w = new Worker("require('node:fs').readFileSync(" + JSON.stringify(${JSON.stringify(path.join(outside, 'secret.log'))}) + ")", { eval: true });
    w.on('exit', () => process.exit(0));`;
  const r = spawnSync(process.execPath, ['--require', path.join(REPO, 'out', 'test', 'fsAudit.js'), '-e', code], {
    encoding: 'utf8',
    env: { ...process.env, QL_FS_AUDIT: log },
    timeout: 20_000,
  });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(confinementBreaches(readAuditLog(log), { bundle: root }), [
    `read outside the bundle: ${path.join(outside, 'secret.log')}`,
  ]);
});
