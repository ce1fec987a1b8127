import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { IndexStatus, OverlapInfo } from '../../src/shared/protocol';
import { IndexStatusNotification, OverlapsRequest, DecodeRequest, IndexSummaryRequest, LeaderIntervalsRequest, IsBundleFileRequest, WindowRequest, windowUri } from '../../src/shared/protocol';
import { sampleBundle } from '../helpers';
import { StdioServer } from './lspClient';

let server: StdioServer;
const root = () => sampleBundle();
const uriOf = (rel: string) => pathToFileURL(path.join(root(), rel)).toString();
const ZK242 = '172_20_131_242/base_component_logs/zookeeper/zookeeper.log';
const ZK243 = '172_20_131_243/base_component_logs/zookeeper/zookeeper.log';
const META241 = '172_20_131_241/zbs_logs/zbs-metad/zbs-metad.log.20230314-031904.42461';

async function open(rel: string): Promise<string[]> {
  const text = fs.readFileSync(path.join(root(), rel), 'utf8');
  await server.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: uriOf(rel), languageId: 'quorum-log', version: 1, text } });
  return text.split('\n');
}

async function hover(rel: string, lines: string[], needle: string, offset = 2): Promise<string> {
  const line = lines.findIndex((l) => l.includes(needle));
  assert.ok(line >= 0, `${needle} in ${rel}`);
  const r = (await server.connection.sendRequest('textDocument/hover', {
    textDocument: { uri: uriOf(rel) }, position: { line, character: lines[line].indexOf(needle) + offset },
  })) as { contents: { value: string } } | null;
  assert.ok(r, `a hover over ${needle}`);
  return r.contents.value;
}

before(async () => {
  server = new StdioServer();
  await server.connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri: pathToFileURL(root()).toString(),
    workspaceFolders: [{ uri: pathToFileURL(root()).toString(), name: 'bundle' }],
    capabilities: { window: { workDoneProgress: true }, workspace: { configuration: true, workspaceFolders: true } },
    initializationOptions: { settings: { timeZone: '', clockOffsets: {}, roleRules: [] } },
  });
  await server.connection.sendNotification('initialized', {});
  await server.waitFor(IndexStatusNotification.method, (p) => (p as IndexStatus).state === 'ready');
});

after(() => server.stop());

test('indexing reports work-done progress and a ready status with counts', () => {
  const progress = server.notifications.filter((n) => n.method === '$/progress').map((n) => (n.params as { value: { kind: string; message?: string } }).value);
  assert.equal(progress[0]?.kind, 'begin');
  assert.ok(progress.some((v) => v.kind === 'report' && /^Indexing \d+\/33 files$/.test(v.message ?? '')), JSON.stringify(progress.slice(0, 4)));
  assert.equal(progress.at(-1)?.kind, 'end');
  const ready = server.notifications.filter((n) => n.method === IndexStatusNotification.method).at(-1)?.params as IndexStatus;
  assert.deepEqual({ nodes: ready.nodes, files: ready.files, leaderIntervals: ready.leaderIntervals, roles: ready.roles },
    { nodes: 5, files: 33, leaderIntervals: 20, roles: ['meta', 'zk', 'namenode'] });
});

test('overlaps request: meta overlaps with labels, sources as URIs and the examined counts', async () => {
  const r = (await server.connection.sendRequest(OverlapsRequest.method, { role: 'meta' })) as { overlaps: OverlapInfo[]; examined: { intervals: number; nodes: number } };
  assert.equal(r.overlaps.length, 5);
  assert.deepEqual(r.examined, { intervals: 15, nodes: 5 });
  const o = r.overlaps[1];
  assert.deepEqual(o.nodeLabels, ['172.20.131.241', '172.20.131.243']);
  assert.equal(o.startLabel, '2023-03-14 05:12:24.461460');
  assert.equal(o.seconds, 2.809816);
  assert.equal(o.intervals[0].startSource.uri, uriOf(META241));
  const lines = fs.readFileSync(path.join(root(), META241), 'utf8').split('\n');
  assert.match(lines[o.intervals[0].startSource.line - 1], /Start the leader role/);
});

test('hover on a zxid: epoch and counter, and who led that epoch', async () => {
  const lines = await open(ZK243);
  const md = await hover(ZK243, lines, '0x10000016d0');
  assert.match(md, /epoch \*\*16\*\* \(0x10\) · counter \*\*5840\*\* \(0x16d0\)/);
  assert.match(md, /Epoch 16 was led by \*\*172\.20\.131\.242\*\* from 2023-03-14 01:10:00\.000000 to 2023-03-14 01:35:52\.000000/);
  assert.match(md, new RegExp(`\\(${uriOf(ZK242).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}#L\\d+\\)`));
});

test('hover on a session id: creator, the 40-bit field explained, and its lifecycle across nodes', async () => {
  const lines = await open(ZK242);
  const md = await hover(ZK242, lines, 'Expiring session 0x1000adfaccc0001', 'Expiring session '.length + 3);
  assert.match(md, /ZooKeeper session 0x1000adfaccc0001/);
  assert.match(md, /myid 1\*\* → \*\*172\.20\.131\.241\*\*/);
  assert.match(md, /monotonic clock/);
  for (const want of [/committed \(global session\) on 172\.20\.131\.241/, /expired by the leader \(timeout 4000 ms\) on 172\.20\.131\.242/, /closeSession submitted on 172\.20\.131\.242/, /revalidated \(client moved here\) on 172\.20\.131\.245/]) {
    assert.match(md, want);
  }
});

test('hover on a glog prefix: full date with the year and where it came from, thread and source', async () => {
  const lines = await open(META241);
  const md = await hover(META241, lines, 'Start the leader role', -40);
  assert.match(md, /\*\*2023-03-14 \d\d:\d\d:\d\d\.\d{6}\*\*/);
  assert.match(md, /year 2023, from the glog file header/);
  assert.match(md, /source `meta_server\.cc:408`/);
});

test('hover on an address and on zk retcode / errno', async () => {
  const lines = await open(META241);
  const md = await hover(META241, lines, '10.0.131.242:2181');
  assert.match(md, /belongs to node \*\*172\.20\.131\.242\*\*/);
  assert.match(md, /meta leader ×2/);
  assert.match(await hover(META241, lines, 'retcode=-7'), /ZOPERATIONTIMEOUT/);
  assert.match(await hover(META241, lines, 'errno=110'), /ETIMEDOUT/);
});

test('document symbols list role changes, restarts and the Outline is in file order', async () => {
  await open(META241);
  const symbols = (await server.connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri: uriOf(META241) } })) as { name: string; range: { start: { line: number } } }[];
  assert.deepEqual(symbols.map((s) => s.name), ['zbs-metad started (pid 42461)', 'meta election won (seq 508)', 'meta leader starts', 'meta leader ends', 'meta election won (seq 524)', 'meta leader starts', 'meta leader ends']);
});

test('workspace symbols find faults across the bundle', async () => {
  const found = (await server.connection.sendRequest('workspace/symbol', { query: 'fault inject' })) as { name: string }[];
  assert.equal(found.length, 5);
  assert.ok(found.some((s) => s.name.startsWith('fault inject: iptables → 172.20.131.242')), found.map((s) => s.name).join('\n'));
});

test('folding ranges cover multi-line entries', async () => {
  const uri = uriOf('172_20_131_241/scratch.log');
  const text = ['I0314 01:00:00.000000  1 a.cc:1] one', 'Traceback: [EAllocSpace]:', '  more', 'I0314 01:00:01.000000  1 a.cc:1] two', 'I0314 01:00:02.000000  1 a.cc:1] three', 'Traceback: [X]:', ''].join('\n');
  await server.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'quorum-log', version: 1, text } });
  const ranges = await server.connection.sendRequest('textDocument/foldingRange', { textDocument: { uri } });
  assert.deepEqual(ranges, [{ startLine: 0, endLine: 2 }, { startLine: 4, endLine: 5 }]);
});

test('leader intervals, summary, decode and bundle membership requests', async () => {
  const iv = (await server.connection.sendRequest(LeaderIntervalsRequest.method, { role: 'zk' })) as { intervals: { nodeLabel: string; epoch: number }[] };
  assert.deepEqual(iv.intervals.map((i) => `${i.nodeLabel}:${i.epoch}`), ['172.20.131.247:15', '172.20.131.242:16', '172.20.131.241:17']);
  const summary = (await server.connection.sendRequest(IndexSummaryRequest.method, {})) as { nodes: { label: string; myids: string[] }[] }[];
  assert.deepEqual(summary[0].nodes.map((n) => `${n.label}:${n.myids.join('')}`), ['172.20.131.241:1', '172.20.131.242:2', '172.20.131.243:3', '172.20.131.245:4', '172.20.131.247:5', 'test-logs:']);
  const d = (await server.connection.sendRequest(DecodeRequest.method, { value: '0x100000175e' })) as { markdown: string };
  assert.match(d.markdown, /epoch \*\*16\*\*.*counter \*\*5982\*\*/s);
  assert.equal(await server.connection.sendRequest(IsBundleFileRequest.method, { uri: uriOf('test-logs/test_run.log') }), true);
  assert.equal(await server.connection.sendRequest(IsBundleFileRequest.method, { uri: pathToFileURL('/etc/hostname').toString() }), false);
});

test('a new file in the bundle is picked up after a file-change notification', async () => {
  const rel = '172_20_131_245/zbs_logs/zbs-metad/zbs-metad.log.20230316-000000.9999';
  fs.writeFileSync(path.join(root(), rel), ['I0316 00:00:00.000000  9999 meta_server.cc:408] Start the leader role', 'I0316 00:00:05.000000  9999 meta_server.cc:495] Stopping the services of meta, this: 0x1', ''].join('\n'));
  try {
    const seen = server.notifications.length;
    await server.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(rel), type: 1 }] });
    await server.waitFor(IndexStatusNotification.method, (p) => (p as IndexStatus).state === 'ready' && server.notifications.indexOf(server.notifications.find((n) => n.params === p)!) >= seen);
    const iv = (await server.connection.sendRequest(LeaderIntervalsRequest.method, { role: 'meta' })) as { intervals: { startLabel: string }[] };
    assert.equal(iv.intervals.at(-1)?.startLabel, '2023-03-16 00:00:00.000000');
  } finally {
    fs.rmSync(path.join(root(), rel));
  }
});

test('an editor with no optional capabilities still gets an index, hovers and answers', async () => {
  const minimal = new StdioServer();
  try {
    await minimal.connection.sendRequest('initialize', { processId: process.pid, rootUri: pathToFileURL(root()).toString(), capabilities: {} });
    await minimal.connection.sendNotification('initialized', {});
    await minimal.waitFor(IndexStatusNotification.method, (p) => (p as IndexStatus).state === 'ready');
    assert.ok(!minimal.notifications.some((n) => n.method === 'window/logMessage' && /failed/.test(JSON.stringify(n.params))), JSON.stringify(minimal.notifications));
    const r = (await minimal.connection.sendRequest(OverlapsRequest.method, { role: 'meta' })) as { overlaps: unknown[] };
    assert.equal(r.overlaps.length, 5);
  } finally {
    await minimal.stop();
  }
});

test('window view: lines of the full file, hovers that know their real line, links back to it', async () => {
  const lines = fs.readFileSync(path.join(root(), META241), 'utf8').split('\n');
  const target = lines.findIndex((l) => l.includes('Start the leader role')) + 1;
  const r = (await server.connection.sendRequest(WindowRequest.method, { uri: uriOf(META241), from: target - 5, to: target + 5 })) as { lines: string[] };
  assert.deepEqual(r.lines, lines.slice(target - 6, target + 5));
  const win = windowUri(uriOf(META241), target - 5, target + 5);
  await server.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: win, languageId: 'quorum-log', version: 1, text: r.lines.join('\n') } });
  const hover = (await server.connection.sendRequest('textDocument/hover', { textDocument: { uri: win }, position: { line: 5, character: 3 } })) as { contents: { value: string } };
  assert.match(hover.contents.value, /year 2023, from the glog file header/);
  const links = (await server.connection.sendRequest('textDocument/documentLink', { textDocument: { uri: win } })) as { target: string }[];
  assert.equal(links.length, 11);
  assert.equal(links[5].target, `${uriOf(META241)}#L${target}`);
});
