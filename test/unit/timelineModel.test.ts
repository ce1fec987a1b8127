import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { BundleQueries } from '../../src/core/bundleQueries';
import { faultIntervals } from '../../src/core/faultIntervals';
import type { BundleIndex } from '../../src/core/model';
import { formatIso } from '../../src/core/time';
import { timelineModel, type TimelineModel } from '../../src/core/timelineModel';
import { zkStateBands } from '../../src/core/zkStateBands';
import { indexBundle } from '../../src/indexer/bundleIndexer';
import { timelineHtml } from '../../src/client/timelineHtml';
import { parseWebviewMessage } from '../../src/shared/webviewProtocol';
import { parseWindowUri, windowUri } from '../../src/shared/protocol';
import { sampleBundle } from '../helpers';

let bundle: BundleIndex;
let model: TimelineModel;
before(async () => {
  bundle = await indexBundle(sampleBundle());
  model = timelineModel(new BundleQueries(bundle, ['meta', 'zk', 'namenode']));
});

test('one lane per node, sources last only when they have something to draw, tracks in a fixed order', () => {
  assert.deepEqual(
    model.lanes.map((l) => `${l.id}: ${l.tracks.join(',')}`),
    [
      '172_20_131_241: meta,zk,namenode,markers,errors',
      '172_20_131_242: meta,zk,namenode,faults,markers,errors',
      '172_20_131_243: meta,zk,faults,markers,errors',
      '172_20_131_245: meta,zk,faults,markers',
      '172_20_131_247: meta,zk,faults,markers',
      'test-logs: faults',
    ],
  );
});

test('ZooKeeper state bands: leading with its epoch, split by the restart, phases inside one band', () => {
  const bands = zkStateBands(bundle).filter((b) => b.node === '172_20_131_242');
  assert.deepEqual(
    bands.map(
      (b) =>
        `${b.state}${b.epoch !== undefined ? `@${b.epoch}` : ''} ${formatIso(b.start).slice(11, 23)}→${formatIso(b.end).slice(11, 23)}`,
    ),
    ['leading@16 01:10:00.000→01:35:52.000', 'looking 01:35:52.000→01:35:55.000', 'following 01:35:55.000→02:00:00.000'],
  );
  const z243 = zkStateBands(bundle)
    .filter((b) => b.node === '172_20_131_243')
    .map((b) => `${b.state} ${formatIso(b.end).slice(11, 19)}`);
  assert.deepEqual(z243, ['following 01:39:59', 'looking 01:40:03', 'following 02:00:00']);
});

test('faults last until the restore (an unrestored one to the end of the logs) and sit on the node that owns the cut address', () => {
  const faults = faultIntervals(bundle).map(
    (f) => `${f.node ?? '-'} ${f.tool} ${formatIso(f.start).slice(11, 19)}→${formatIso(f.end).slice(11, 19)}${f.open ? ' open' : ''}`,
  );
  assert.deepEqual(faults, [
    '172_20_131_247 iptables 23:58:10→23:59:00',
    '172_20_131_242 iptables 01:18:36→01:24:05',
    '172_20_131_245 iptables 01:18:36→01:24:05',
    '172_20_131_247 iptables 01:24:27→01:29:53',
    '172_20_131_243 iptables 01:24:27→01:29:53',
    // Never restored: it lasts to the bundle's last line (03-15 01:30:00), not a 0 µs sliver at the command.
    '- tc 01:29:57→01:30:00 open',
  ]);
  const tc = model.items.find((it) => it.style === 'fault' && it.label.startsWith('tc'));
  assert.equal(model.lanes[tc?.lane ?? -1].id, 'test-logs', "a fault on an address no node owns stays in the fault log's lane");
});

test('markers: restarts, session expiries, meta session trouble and election wins', () => {
  const count = (style: string) => model.items.filter((it) => it.style === style).length;
  assert.equal(count('restart'), 14 + 1, '13 metad pids, one chunkd pid and one ZooKeeper start-up (its two banner lines are one marker)');
  assert.equal(count('sessionExpired'), 1, 'the meta session expiry');
  assert.equal(count('sessionExpiredIneffective'), 1, "242's Expiring session, logged after 241 took over with a newer epoch");
  assert.deepEqual(
    model.items.filter((it) => it.style === 'sessionTrouble').map((it) => `${model.lanes[it.lane].id} ${it.label}`),
    [
      '172_20_131_242 meta session expired by a delayed RPC [BUG]',
      '172_20_131_243 meta session keepalive failure',
      '172_20_131_243 meta follower session in jeopardy',
      '172_20_131_243 meta follower session reconnect',
    ],
  );
  assert.equal(count('election'), 15);
  assert.ok(model.items.filter((it) => it.marker).every((it) => it.start === it.end));
});

test('overlaps point at the lanes and items that overlap', () => {
  assert.deepEqual(
    model.overlaps.map((o) => `${o.role} ${model.lanes[o.lanes[0]].id}∩${model.lanes[o.lanes[1]].id}`),
    [
      'meta 172_20_131_245∩172_20_131_247',
      'zk 172_20_131_241∩172_20_131_242',
      'meta 172_20_131_241∩172_20_131_243',
      'meta 172_20_131_241∩172_20_131_242',
      'meta 172_20_131_241∩172_20_131_242',
      'meta 172_20_131_243∩172_20_131_247',
    ],
  );
  for (const o of model.overlaps) {
    for (const [k, id] of o.items.entries()) {
      const it = model.items[id];
      assert.ok(it, `overlap ${o.id} item ${k}`);
      assert.equal(it.lane, o.lanes[k]);
      assert.ok(it.start <= o.start && it.end >= o.end);
    }
  }
  assert.equal(model.items[model.overlaps[1].items[0]].style, 'zk-leading');
});

test('error counts per lane and minute, and the extent covers everything', () => {
  assert.deepEqual(
    model.errors[0].map((v, i) => (i % 2 === 0 ? formatIso(v).slice(0, 16) : v)),
    ['2023-03-14T05:12', 3],
  );
  assert.equal(formatIso(model.start).slice(0, 10), '2022-12-31');
  assert.equal(formatIso(model.end).slice(0, 10), '2023-03-15');
});

test("clock offsets move a node's items before they are compared", () => {
  const shifted = timelineModel(new BundleQueries(bundle, ['meta']), { '172_20_131_243': 5_000_000 });
  const meta = shifted.overlaps
    .filter((o) => o.role === 'meta')
    .map((o) => `${shifted.lanes[o.lanes[0]].id}∩${shifted.lanes[o.lanes[1]].id}`);
  assert.ok(!meta.includes('172_20_131_241∩172_20_131_243'), 'moved 5 s later, 243 no longer overlaps 241 at 05:12');
});

test('webview messages are checked before the host acts on them', () => {
  assert.deepEqual(parseWebviewMessage({ type: 'openLine', uri: 'file:///b/x.log', line: 12 }), {
    type: 'openLine',
    uri: 'file:///b/x.log',
    line: 12,
  });
  assert.equal(parseWebviewMessage({ type: 'openLine', uri: 'command:workbench.action.terminal.new', line: 1 }), undefined);
  assert.equal(parseWebviewMessage({ type: 'openLine', uri: 'file:///x', line: 0 }), undefined);
  assert.equal(parseWebviewMessage({ type: 'openOverlap', overlap: '3' }), undefined);
  assert.equal(parseWebviewMessage({ type: 'runCommand' }), undefined);
  assert.equal(parseWebviewMessage(null), undefined);
});

test('the panel HTML has a strict CSP: a nonce for our script, nothing inline', () => {
  const html = timelineHtml({
    cspSource: 'vscode-resource:',
    scriptUri: 'vscode-resource:/dist/webview.js',
    styleUri: 'vscode-resource:/media/timeline.css',
    nonce: 'abc123',
  });
  const csp = /Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? '';
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /script-src 'nonce-abc123'/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
  assert.equal((html.match(/<script/g) ?? []).length, 1);
  assert.match(html, /<script nonce="abc123" src="vscode-resource:\/dist\/webview.js"><\/script>/);
  assert.doesNotMatch(html, /style="/);
});

test('window view URIs survive the percent-encoding VS Code applies', () => {
  const u = windowUri('file:///tmp/a%20b/zbs-metad.log.1', 10, 20);
  assert.deepEqual(parseWindowUri(u), { fileUri: 'file:///tmp/a%20b/zbs-metad.log.1', from: 10, to: 20 });
  assert.deepEqual(parseWindowUri('quorum-lens-window:/tmp/a%20b/zbs-metad.log.1?from%3D10%26to%3D20'), {
    fileUri: 'file:///tmp/a%20b/zbs-metad.log.1',
    from: 10,
    to: 20,
  });
  assert.equal(parseWindowUri('quorum-lens-window:/x?from=5&to=1'), undefined);
  assert.equal(parseWindowUri('file:///x'), undefined);
});
