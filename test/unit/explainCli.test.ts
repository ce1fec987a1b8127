import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ExplainJson, OverlapsJson } from '../../src/cli/json';
import { mdCode } from '../../src/core/inertText';
import { quietSampleBundle, runCli } from '../helpers';

// `overlaps --explain`: the overlap report of every overlap, Markdown for a ticket or JSON for a script.

const json = <T>(args: string[]): T => {
  const r = runCli([...args, '--json']);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as T;
};

test('overlaps --explain --json: one report per overlap, its overlap exactly as overlaps --json prints it', () => {
  const plain = json<OverlapsJson>(['overlaps', quietSampleBundle(), '--role', 'all']);
  const out = json<ExplainJson>(['overlaps', quietSampleBundle(), '--role', 'all', '--explain']);
  assert.deepEqual(Object.keys(out).sort(), ['examined', 'reports', 'roles', 'warnings']);
  assert.deepEqual(out.roles, ['meta', 'zk', 'namenode'], '--role all, spelled out');
  assert.deepEqual(out.examined, plain.examined);
  assert.equal(out.reports.length, 6);
  assert.deepEqual(
    out.reports.map((r) => r.overlap),
    plain.overlaps,
  );
  for (const r of out.reports) {
    assert.deepEqual(Object.keys(r).sort(), ['overlap', 'sessions', 'states', 'warnings']);
    assert.ok(r.overlap.stale && r.overlap.evidence?.length, 'every sample overlap names its stale side, with evidence');
    assert.ok(r.overlap.nodes.includes(r.overlap.stale));
    // Both nodes' state lines, each a line of the bundle with its time.
    assert.deepEqual(new Set(r.states.map((l) => l.node)), new Set(r.overlap.nodes), `${r.overlap.nodes.join(' ∩ ')}`);
    for (const l of [...r.states, ...r.sessions]) {
      assert.deepEqual(
        Object.keys(l)
          .filter((k) => !['what', 'effective', 'why'].includes(k))
          .sort(),
        ['file', 'line', 'node', 'text', 'time'],
      );
      assert.ok(l.line >= 1 && typeof l.time === 'string');
    }
  }
  const zk = out.reports.find((r) => r.overlap.role === 'zk');
  assert.ok(zk);
  assert.equal(zk.overlap.stale, '172_20_131_242');
  // The deposed leader's expiry and closeSession did not take effect; the client's "Invalid session" is not judged.
  assert.deepEqual(
    zk.sessions.map((s) => s.effective),
    [false, false, undefined],
  );
  for (const s of zk.sessions) assert.match(s.what, /0x1000adfaccc0001/);
  assert.match(zk.sessions[0].why ?? '', /deposed leader/);
  const uncertain = out.reports.find((r) => r.overlap.uncertain);
  assert.ok(uncertain);
  assert.match(uncertain.warnings.join('\n'), /no longer than the clock uncertainty/);
});

test('overlaps --explain prints each report as Markdown, the stale side and its evidence lines with file:line and text', () => {
  const out = json<ExplainJson>(['overlaps', quietSampleBundle(), '--explain']);
  const r = runCli(['overlaps', quietSampleBundle(), '--explain']);
  assert.equal(r.code, 0, r.stderr);
  const reports = r.stdout.split('\n---\n\n');
  assert.equal(reports.length, out.reports.length);
  assert.equal(out.reports.length, 5, 'meta by default');
  out.reports.forEach((x, i) => {
    const md = reports[i];
    const o = x.overlap;
    assert.match(md, new RegExp(`^## meta leader overlap: ${o.nodes[0].replace(/_/g, '\\.')} ∩ ${o.nodes[1].replace(/_/g, '\\.')} — `));
    assert.ok(md.includes(`- **Stale side:** ${String(o.stale).replace(/_/g, '.')} — `), md);
    for (const e of o.evidence ?? [])
      assert.ok(md.includes(` · ${mdCode(`${e.file}:${e.line}`)} ${mdCode(e.text)}`), `${e.file}:${e.line}`);
    for (const l of x.states) assert.ok(md.includes(mdCode(`${l.file}:${l.line}`)));
    assert.match(md, /### Warnings\n/);
  });
});

test('overlaps --explain for a role without overlaps says how much was examined', () => {
  const r = runCli(['overlaps', quietSampleBundle(), '--role', 'namenode', '--explain']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), 'No overlaps: 2 namenode leader intervals on 2 nodes examined.');
  assert.deepEqual(json<ExplainJson>(['overlaps', quietSampleBundle(), '--role', 'namenode', '--explain']).reports, []);
  assert.equal(runCli(['overlaps', quietSampleBundle(), '--role', 'nosuch', '--explain']).code, 2);
  assert.match(runCli(['--help']).stdout, /overlaps DIR \[--role ROLE\] \[--explain\] \[--json\]/);
});
