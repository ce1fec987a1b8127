import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { OverlapsJson } from '../../src/cli/json';
import { quietSampleBundle, runCli } from '../helpers';

// An offset that silently applies to nothing makes every time comparison quietly wrong: a name that is no
// node is a usage error naming the nodes; an address the node goes by names it as well as its folder does.

test('--offset with a name that is no node is a usage error that lists the nodes', () => {
  const r = runCli(['overlaps', quietSampleBundle(), '--offset', '172_20_131_249=-1500']);
  assert.equal(r.code, 2, r.stdout);
  assert.match(
    r.stderr,
    /--offset 172_20_131_249: no such node in this bundle \(nodes: 172_20_131_241, 172_20_131_242, 172_20_131_243, 172_20_131_245, 172_20_131_247/,
  );
});

test('--offset by the node folder, its address or its data-network address gives the same answer', () => {
  const answer = (name: string) => {
    const r = runCli(['overlaps', quietSampleBundle(), '--offset', `${name}=-1400`, '--json']);
    assert.equal(r.code, 0, r.stderr);
    return (JSON.parse(r.stdout) as OverlapsJson).overlaps.map((o) => `${o.start} ${o.end}`);
  };
  const byFolder = answer('172_20_131_243');
  const none = (JSON.parse(runCli(['overlaps', quietSampleBundle(), '--json']).stdout) as OverlapsJson).overlaps.map(
    (o) => `${o.start} ${o.end}`,
  );
  assert.notDeepEqual(byFolder, none, 'the offset changes the answer (else this test proves nothing)');
  assert.deepEqual(answer('172.20.131.243'), byFolder);
  assert.deepEqual(answer('10.0.131.243'), byFolder);
});
