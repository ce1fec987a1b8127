import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ExplainOverlapRequest, IndexStatusNotification, OverlapsRequest, type IndexStatus } from '../../src/shared/protocol';
import { sampleBundle } from '../helpers';
import { StdioServer } from './lspClient';

// The overlap report over real stdio, as the editor asks for it: all of a role, or one overlap by its nodes
// and start (the argument of quorumLens.explainOverlap), each with the Markdown the CLI prints.

let server: StdioServer;
before(async () => {
  server = new StdioServer();
  await server.open(sampleBundle());
  await server.waitFor(IndexStatusNotification.method, (p) => (p as IndexStatus).state === 'ready');
});
after(() => server.stop());

test('explainOverlap for a role: a report per overlap, the same overlaps the overlaps request finds', async () => {
  const overlaps = await server.connection.sendRequest(OverlapsRequest, { role: 'meta' });
  const r = await server.connection.sendRequest(ExplainOverlapRequest, { role: 'meta' });
  assert.deepEqual(r.examined, overlaps.examined);
  assert.deepEqual(
    r.reports.map((x) => x.overlap),
    overlaps.overlaps,
  );
  assert.equal((await server.connection.sendRequest(ExplainOverlapRequest, { role: 'all' })).reports.length, 6);
  assert.equal((await server.connection.sendRequest(ExplainOverlapRequest, {})).reports.length, 5, 'meta by default');
});

test('explainOverlap for one overlap (role, nodes, start): its report, every line a bundle file URI, and its Markdown', async () => {
  const { overlaps } = await server.connection.sendRequest(OverlapsRequest, { role: 'all' });
  const zk = overlaps.find((o) => o.role === 'zk');
  assert.ok(zk);
  const r = await server.connection.sendRequest(ExplainOverlapRequest, { role: zk.role, nodes: zk.nodes, start: zk.start });
  assert.equal(r.reports.length, 1);
  const [report] = r.reports;
  assert.deepEqual(report.overlap, zk);
  assert.equal(report.overlap.stale?.node, '172_20_131_242');
  const root = pathToFileURL(sampleBundle()).toString() + '/';
  const locations = [...report.states, ...report.sessions].map((l) => l.location);
  locations.push(...(report.overlap.stale?.evidence.map((e) => e.location) ?? []));
  assert.ok(locations.length > 5);
  for (const l of locations) {
    assert.ok(l.uri.startsWith(root), l.uri);
    const lines = fs.readFileSync(fileURLToPath(l.uri), 'utf8').split('\n');
    assert.ok(l.line >= 1 && l.line <= lines.length);
    assert.equal(path.relative(sampleBundle(), fileURLToPath(l.uri)).split(path.sep).join('/'), l.file);
  }
  for (const s of report.states)
    assert.equal(fs.readFileSync(fileURLToPath(s.location.uri), 'utf8').split('\n')[s.location.line - 1], s.text);
  assert.match(report.markdown, /^## zk leader overlap: 172\.20\.131\.241 ∩ 172\.20\.131\.242 — 1\.5 s \(2023-03-14 01:35:50\.500000 → /);
  assert.match(report.markdown, /^- \*\*Stale side:\*\* 172\.20\.131\.242 — epoch 16 &lt; epoch 17/m);
  assert.match(report.markdown, /^- .*0x1000adfaccc0001, effective: \*\*no\*\* — logged by a deposed leader/m);
});

test('explainOverlap with an overlap that is not there answers no report; malformed fields are ignored; an unknown role is an error', async () => {
  const none = await server.connection.sendRequest(ExplainOverlapRequest, {
    role: 'meta',
    nodes: ['172_20_131_241', '172_20_131_243'],
    start: 1,
  });
  assert.deepEqual(none.reports, []);
  const loose = await server.connection.sendRequest(ExplainOverlapRequest, { role: 'meta', nodes: 'x', start: 'y' } as never);
  assert.equal(loose.reports.length, 5);
  await assert.rejects(server.connection.sendRequest(ExplainOverlapRequest, { role: 'nosuch' }), /unknown role "nosuch"/);
});
