import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, test } from 'node:test';
import { userRegexProblem } from '../../src/core/userRegex';
import { validateRoleRules } from '../../src/core/rules/roleRules';
import { enableLinearRegexFallback } from '../../src/indexer/regexRuntime';
import { StatsRequest, TraceRequest } from '../../src/shared/protocol';
import { confinementBreaches } from '../fsAudit';
import { tempDir } from '../helpers';
import { hostileCli } from '../measuredCli';
import { StdioServer } from '../server/lspClient';

// `(a+)+$` against 41 `a`s and a `b` backtracks 2^41 times: hours. A crafted log line and a pattern a user
// typed (or a rules file they were sent) must not hang the CLI or the language server.
const EVIL = '(a+)+$';
const LINE = `${'a'.repeat(41)}b`;
// The budget is generous for a slow CI machine and still far below the hours the old engine takes.
const BUDGET_MS = 60_000;

let bundle: string;
before(() => {
  enableLinearRegexFallback();
  bundle = path.join(tempDir('ql-regex-'), 'bundle');
  const dir = path.join(bundle, '10_0_0_1', 'zookeeper');
  fs.mkdirSync(dir, { recursive: true });
  const lines = Array.from(
    { length: 200 },
    (_, i) => `2023-03-14 01:00:${String(i % 60).padStart(2, '0')},000 [myid:1] - INFO  [main:X@1] - ${LINE}`,
  );
  fs.writeFileSync(path.join(dir, 'zookeeper.log'), `${lines.join('\n')}\n`);
});

/** The CLI with a deadline, held to the bundle; a `--rules` file is the one thing outside it it may read. */
const cli = (args: string[]) => {
  const rules = args.indexOf('--rules');
  return hostileCli([...args, '--no-cache'], { bundle: args[1], allowRead: rules >= 0 ? [args[rules + 1]] : [], timeoutMs: BUDGET_MS });
};

test('a pattern the linear engine can run is accepted; one that needs backtracking is refused in words', () => {
  assert.equal(userRegexProblem(EVIL), undefined);
  assert.equal(userRegexProblem('GC pause .*, ([0-9.]+) secs'), undefined);
  assert.match(userRegexProblem('(\\d)\\1') ?? '', /backreference or lookaround/);
  assert.match(userRegexProblem('(?<=pause )\\d+') ?? '', /backreference or lookaround/);
  assert.match(userRegexProblem('(') ?? '', /not a regex/);
  // -i is refused for what it is: the linear engine has no case folding; the pattern itself is fine.
  assert.match(userRegexProblem('leader', 'i') ?? '', /case-insensitive \(-i\) regex cannot run/);
  assert.match(userRegexProblem('(\\d)\\1', 'i') ?? '', /backreference or lookaround/);
  // In this process the fallback is on: the evil pattern answers at once.
  const started = Date.now();
  assert.equal(new RegExp(EVIL).test(LINE), false);
  assert.ok(Date.now() - started < BUDGET_MS);
});

test('trace and count with an exponential regex over crafted lines finish, with the right answer', () => {
  const trace = cli(['trace', bundle, EVIL, '--regex', '--json']);
  assert.equal(trace.status, 0, trace.stderr || `timed out after ${trace.ms} ms`);
  assert.equal((JSON.parse(trace.stdout) as { hits: unknown[] }).hits.length, 0);
  const hit = cli(['trace', bundle, '(a+)+b$', '--regex', '--json']);
  assert.equal((JSON.parse(hit.stdout) as { hits: unknown[] }).hits.length, 200);
  const count = cli(['count', bundle, EVIL, '--regex', '--json']);
  assert.equal(count.status, 0, count.stderr || `timed out after ${count.ms} ms`);
});

test('a regex the linear engine cannot run is a usage error for trace, count and stats, not a hang', () => {
  for (const args of [
    ['trace', bundle, '(a)\\1', '--regex'],
    ['count', bundle, '(a)\\1', '--regex'],
    ['stats', bundle, '(\\d)\\1'],
  ]) {
    const r = cli(args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /backreference or lookaround/);
  }
});

test('a role rule with an exponential regex runs; one with a backreference or wrong types is refused', () => {
  const rules = path.join(tempDir('ql-rules-'), 'rules.json');
  fs.writeFileSync(rules, JSON.stringify([{ role: 'evil', starts: [{ keyword: 'aaaa', regex: EVIL }], ends: [{ keyword: 'zzzz' }] }]));
  const r = cli(['leaders', bundle, '--rules', rules, '--role', 'evil', '--json']);
  assert.equal(r.status, 0, r.stderr || `timed out after ${r.ms} ms`);
  assert.match(
    validateRoleRules([{ role: 'x', starts: [{ keyword: 'a', regex: '(a)\\1' }], ends: [{ keyword: 'b' }] }])[0],
    /backreference/,
  );
  assert.match(
    validateRoleRules([{ role: 'x', formats: 'glog', starts: [{ keyword: 'a' }], ends: [{ keyword: 'b' }] }])[0],
    /"formats" must be a list/,
  );
  assert.match(
    validateRoleRules([{ role: 'x', starts: [{ keyword: 'a', regex: 5 }], ends: [{ keyword: 'b' }] }])[0],
    /regex: must be text/,
  );
  assert.match(validateRoleRules([{ role: 'x', starts: ['a'], ends: [{ keyword: 'b' }] }])[0], /not an object/);
});

test('a rule pattern without an id still names its end reason', () => {
  const rules = path.join(tempDir('ql-rules-'), 'rules.json');
  fs.writeFileSync(rules, JSON.stringify([{ role: 'odd', starts: [{ keyword: 'aaaa' }], ends: [{ keyword: 'never-printed' }] }]));
  const r = cli(['leaders', bundle, '--rules', rules, '--role', 'odd', '--json']);
  assert.equal(r.status, 0, r.stderr);
  const intervals = (JSON.parse(r.stdout) as { intervals: { endReason: string }[] }).intervals;
  assert.ok(intervals.length > 0);
  for (const iv of intervals) assert.ok(iv.endReason && iv.endReason !== 'undefined', iv.endReason);
});

test('the language server answers an exponential trace promptly and refuses a backreference in stats', async () => {
  const cacheHome = tempDir('ql-regex-cache-');
  const server = new StdioServer({ log: path.join(tempDir('ql-regex-audit-'), 'accesses.jsonl'), cacheHome });
  try {
    await server.open(bundle);
    const trace = await server.connection.sendRequest(TraceRequest, { text: EVIL, regex: true });
    assert.equal(trace.lines.length, 0);
    const stats = await server.connection.sendRequest(StatsRequest, { regex: '(\\d)\\1' });
    assert.match(stats.problem ?? '', /backreference or lookaround/);
    assert.deepEqual(confinementBreaches(server.accesses(), { bundle, cache: cacheHome }), [], 'the server stays in the bundle');
  } finally {
    await server.stop();
  }
});
