import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { RequestParam, WorkDoneProgressParams } from 'vscode-languageserver-protocol/node';
import type { IndexStatus, RequestSpec } from '../../src/shared/protocol';
import {
  ClockOffsetsRequest,
  ContextRequest,
  CountRequest,
  DecodeRequest,
  IndexStatusNotification,
  IndexSummaryRequest,
  IsBundleFileRequest,
  LeaderIntervalsRequest,
  OverlapsRequest,
  SessionLifecycleRequest,
  StatsRequest,
  TimelineRequest,
  TraceRequest,
  WindowRequest,
  windowUri,
} from '../../src/shared/protocol';
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
  await server.connection.sendNotification('textDocument/didOpen', {
    textDocument: { uri: uriOf(rel), languageId: 'quorum-log', version: 1, text },
  });
  return text.split('\n');
}

async function hover(rel: string, lines: string[], needle: string, offset = 2): Promise<string> {
  const line = lines.findIndex((l) => l.includes(needle));
  assert.ok(line >= 0, `${needle} in ${rel}`);
  const r = await server.connection.sendRequest<{ contents: { value: string } } | null>('textDocument/hover', {
    textDocument: { uri: uriOf(rel) },
    position: { line, character: lines[line].indexOf(needle) + offset },
  });
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
  const progress = server.notifications
    .filter((n) => n.method === '$/progress')
    .map((n) => (n.params as { value: { kind: string; message?: string } }).value);
  assert.equal(progress[0]?.kind, 'begin');
  assert.ok(
    progress.some((v) => v.kind === 'report' && /^Indexing \d+\/33 files$/.test(v.message ?? '')),
    JSON.stringify(progress.slice(0, 4)),
  );
  assert.equal(progress.at(-1)?.kind, 'end');
  const ready = server.notifications.filter((n) => n.method === IndexStatusNotification.method).at(-1)?.params as IndexStatus;
  assert.deepEqual(
    { nodes: ready.nodes, files: ready.files, leaderIntervals: ready.leaderIntervals, roles: ready.roles },
    {
      nodes: 5,
      files: 33,
      leaderIntervals: 20,
      roles: [
        { id: 'meta', label: 'meta leader' },
        { id: 'zk', label: 'ZooKeeper leader' },
        { id: 'namenode', label: 'HDFS NameNode active' },
      ],
    },
  );
});

test('overlaps request: meta overlaps with labels, sources as URIs and the examined counts', async () => {
  const r = await server.connection.sendRequest(OverlapsRequest, { role: 'meta' });
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
  for (const want of [
    /committed \(global session\) on 172\.20\.131\.241/,
    /expired by the leader \(timeout 4000 ms\) on 172\.20\.131\.242/,
    /closeSession submitted on 172\.20\.131\.242/,
    /revalidated \(client moved here\) on 172\.20\.131\.245/,
  ]) {
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
  const symbols = await server.connection.sendRequest<{ name: string; range: { start: { line: number } } }[]>(
    'textDocument/documentSymbol',
    { textDocument: { uri: uriOf(META241) } },
  );
  assert.deepEqual(
    symbols.map((s) => s.name),
    [
      'zbs-metad started (pid 42461)',
      'meta election won (seq 508)',
      'meta leader starts',
      'meta leader ends',
      'meta election won (seq 524)',
      'meta leader starts',
      'meta leader ends',
    ],
  );
});

test('workspace symbols find faults across the bundle', async () => {
  const found = await server.connection.sendRequest<{ name: string }[]>('workspace/symbol', { query: 'fault inject' });
  assert.equal(found.length, 6);
  assert.ok(
    found.some((s) => s.name.startsWith('fault inject: iptables → 172.20.131.242')),
    found.map((s) => s.name).join('\n'),
  );
});

test('folding ranges cover multi-line entries', async () => {
  const uri = uriOf('172_20_131_241/scratch.log');
  const text = [
    'I0314 01:00:00.000000  1 a.cc:1] one',
    'Traceback: [EAllocSpace]:',
    '  more',
    'I0314 01:00:01.000000  1 a.cc:1] two',
    'I0314 01:00:02.000000  1 a.cc:1] three',
    'Traceback: [X]:',
    '',
  ].join('\n');
  await server.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'quorum-log', version: 1, text } });
  const ranges = await server.connection.sendRequest('textDocument/foldingRange', { textDocument: { uri } });
  assert.deepEqual(ranges, [
    { startLine: 0, endLine: 2 },
    { startLine: 4, endLine: 5 },
  ]);
});

test('leader intervals, summary, decode and bundle membership requests', async () => {
  const iv = await server.connection.sendRequest(LeaderIntervalsRequest, { role: 'zk' });
  assert.deepEqual(
    iv.intervals.map((i) => `${i.nodeLabel}:${String(i.epoch)}`),
    ['172.20.131.247:15', '172.20.131.242:16', '172.20.131.241:17'],
  );
  const summary = await server.connection.sendRequest(IndexSummaryRequest, {});
  assert.deepEqual(
    summary[0].nodes.map((n) => `${n.label}:${n.myids.join('')}`),
    ['172.20.131.241:1', '172.20.131.242:2', '172.20.131.243:3', '172.20.131.245:4', '172.20.131.247:5', 'test-logs:'],
  );
  const d = await server.connection.sendRequest(DecodeRequest, { value: '0x100000175e' });
  assert.match(d.markdown, /epoch \*\*16\*\*.*counter \*\*5982\*\*/s);
  assert.equal(await server.connection.sendRequest(IsBundleFileRequest, { uri: uriOf('test-logs/test_run.log') }), true);
  assert.equal(await server.connection.sendRequest(IsBundleFileRequest, { uri: pathToFileURL('/etc/hostname').toString() }), false);
});

test('a new file in the bundle is picked up after a file-change notification', async () => {
  const rel = '172_20_131_245/zbs_logs/zbs-metad/zbs-metad.log.20230316-000000.9999';
  fs.writeFileSync(
    path.join(root(), rel),
    [
      'I0316 00:00:00.000000  9999 meta_server.cc:408] Start the leader role',
      'I0316 00:00:05.000000  9999 meta_server.cc:495] Stopping the services of meta, this: 0x1',
      '',
    ].join('\n'),
  );
  try {
    const seen = server.notifications.length;
    await server.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(rel), type: 1 }] });
    await server.waitFor(
      IndexStatusNotification.method,
      (p) =>
        (p as IndexStatus).state === 'ready' && server.notifications.indexOf(server.notifications.find((n) => n.params === p)!) >= seen,
    );
    const iv = await server.connection.sendRequest(LeaderIntervalsRequest, { role: 'meta' });
    assert.equal(iv.intervals.at(-1)?.startLabel, '2023-03-16 00:00:00.000000');
  } finally {
    fs.rmSync(path.join(root(), rel));
    const seen = server.notifications.length;
    await server.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(rel), type: 3 }] });
    await server.waitFor(
      IndexStatusNotification.method,
      (p) =>
        (p as IndexStatus).state === 'ready' && server.notifications.indexOf(server.notifications.find((n) => n.params === p)!) >= seen,
    );
  }
});

test('an editor with no optional capabilities still gets an index, hovers and answers', async () => {
  const minimal = new StdioServer();
  try {
    await minimal.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(root()).toString(),
      capabilities: {},
    });
    await minimal.connection.sendNotification('initialized', {});
    await minimal.waitFor(IndexStatusNotification.method, (p) => (p as IndexStatus).state === 'ready');
    assert.ok(
      !minimal.notifications.some((n) => n.method === 'window/logMessage' && /failed/.test(JSON.stringify(n.params))),
      JSON.stringify(minimal.notifications),
    );
    const r = await minimal.connection.sendRequest(OverlapsRequest, { role: 'meta' });
    assert.equal(r.overlaps.length, 5);
  } finally {
    await minimal.stop();
  }
});

test('window view: lines of the full file, hovers that know their real line, links back to it', async () => {
  const lines = fs.readFileSync(path.join(root(), META241), 'utf8').split('\n');
  const target = lines.findIndex((l) => l.includes('Start the leader role')) + 1;
  const r = await server.connection.sendRequest(WindowRequest, { uri: uriOf(META241), from: target - 5, to: target + 5 });
  assert.deepEqual(r.lines, lines.slice(target - 6, target + 5));
  const win = windowUri(uriOf(META241), target - 5, target + 5);
  await server.connection.sendNotification('textDocument/didOpen', {
    textDocument: { uri: win, languageId: 'quorum-log', version: 1, text: r.lines.join('\n') },
  });
  const hover = await server.connection.sendRequest<{ contents: { value: string } }>('textDocument/hover', {
    textDocument: { uri: win },
    position: { line: 5, character: 3 },
  });
  assert.match(hover.contents.value, /year 2023, from the glog file header/);
  const links = await server.connection.sendRequest<{ target: string }[]>('textDocument/documentLink', { textDocument: { uri: win } });
  assert.equal(links.length, 11);
  assert.equal(links[5].target, `${uriOf(META241)}#L${target}`);
});

// The workflow requests (issue 6), over the same stdio connection. The bundle has filler, so the answers are
// the scripted lines, which no filler line resembles.
// Any request may carry a work-done token, as LSP allows. (RequestParam<P> is P for these object params; TypeScript
// cannot resolve that conditional type for a generic P.)
const send = <P, R>(type: RequestSpec<P, R>, params: P & WorkDoneProgressParams): Promise<R> =>
  server.connection.sendRequest(type, params as RequestParam<P>);

test('trace request: lines in time order with node labels, times and links to the source lines', async () => {
  const r = await send(TraceRequest, { text: 'pid: 65380 epoch: 70271' });
  assert.deepEqual(
    r.lines.map((l) => `${l.nodeLabel} ${String(l.timeLabel)}`),
    ['172.20.131.241 2023-03-14 04:02:20.291517', '172.20.131.247 2023-03-14 05:29:53.919777', '172.20.131.243 2023-03-14 11:53:55.297724'],
  );
  assert.equal(r.files, 33);
  assert.deepEqual(r.unreadable, []);
  for (const l of r.lines) {
    const text = fs.readFileSync(new URL(l.location.uri), 'utf8').split('\n')[l.location.line - 1];
    assert.equal(text, l.text);
  }
});

test('Find All References on `pid: 65380` lists every line of the bundle that has it', async () => {
  const lines = await open(META241);
  const line = lines.findIndex((l) => l.includes('pid: 65380 epoch'));
  const refs = await server.connection.sendRequest<
    { uri: string; range: { start: { line: number; character: number }; end: { character: number } } }[]
  >('textDocument/references', {
    textDocument: { uri: uriOf(META241) },
    position: { line, character: lines[line].indexOf('pid: 65380') + 6 },
    context: { includeDeclaration: true },
  });
  const nodes = new Set(refs.map((r) => /172_20_131_\d+/.exec(r.uri)?.[0]));
  assert.deepEqual([...nodes].sort(), ['172_20_131_241', '172_20_131_242', '172_20_131_243', '172_20_131_247']);
  for (const r of refs) {
    const text = fs.readFileSync(new URL(r.uri), 'utf8').split('\n')[r.range.start.line];
    assert.equal(text.slice(r.range.start.character, r.range.end.character), 'pid: 65380');
  }
});

test('context request from a line: every node around its time, the origin marked', async () => {
  const lines = await open(ZK242);
  const line = lines.findIndex((l) => l.includes('Expiring session 0x1000adfaccc0001')) + 1;
  const r = await send(ContextRequest, { uri: uriOf(ZK242), line, windowSeconds: 1 });
  assert.equal(r.centerLabel, '2023-03-14 01:35:51.703000');
  const origin = r.lines.filter((l) => l.origin);
  assert.equal(origin.length, 1);
  assert.equal(origin[0].location.line, line);
  for (const want of [
    'Have quorum of supporters',
    'Got zxid 0x10000016d0',
    'Exception when following the leader',
    'Peer state changed: looking',
  ]) {
    assert.ok(
      r.lines.some((l) => l.text.includes(want)),
      want,
    );
  }
  const times = r.lines.map((l) => l.time ?? 0);
  assert.deepEqual(
    times,
    [...times].sort((a, b) => a - b),
  );
  assert.ok(times.every((x) => Math.abs(x - (r.lines.find((l) => l.origin)?.time ?? 0)) <= 1e6));
  const byTime = await send(ContextRequest, { time: Date.UTC(2023, 2, 14, 1, 35, 51) * 1000, windowSeconds: 1 });
  assert.equal(byTime.centerLabel, '2023-03-14 01:35:51.000000');
});

test('count, stats, clock offsets and session lifecycle requests', async () => {
  const count = await send(CountRequest, { pattern: 'Exception when following the leader', by: 'hour' });
  assert.deepEqual(count.buckets, ['2023-03-14 00:00', '2023-03-14 01:00']);
  assert.deepEqual(
    count.nodes.map((n) => `${n.label} ${n.counts.join(',')}`),
    ['172.20.131.243 0,2', '172.20.131.245 0,1', '172.20.131.247 1,0'],
  );
  const stats = await send(StatsRequest, { regex: 'GC pause .*, ([0-9.]+) secs' });
  assert.deepEqual(
    stats.nodes.map((n) => `${n.label} ${n.count} ${n.median}`),
    ['172.20.131.241 3 0.2051', '172.20.131.243 2 0.2'],
  );
  // The same words as the CLI's: a regex that does not compile, or one that captures no number.
  assert.match((await send(StatsRequest, { regex: '(' })).problem!, /bad REGEX/);
  assert.match((await send(StatsRequest, { regex: 'GC pause' })).problem!, /capture group/);
  const offsets = await send(ClockOffsetsRequest, {});
  assert.deepEqual(
    offsets.nodes.map((n) => `${n.label} ${String(n.measured?.maxAbs)}`),
    ['172.20.131.241 1.402', '172.20.131.242 0.021', '172.20.131.243 1.434', '172.20.131.245 0.11', '172.20.131.247 0.0575'],
  );
  const life = await send(SessionLifecycleRequest, { id: '0x1000adfaccc0001' });
  assert.deepEqual(life.createdBy, { myid: 1, node: '172_20_131_241', nodeLabel: '172.20.131.241' });
  assert.deepEqual(
    life.events.map((e) => `${e.nodeLabel} ${e.what}`),
    [
      '172.20.131.241 committed (global session)',
      '172.20.131.242 expired by the leader (timeout 4000 ms)',
      '172.20.131.242 closeSession submitted',
      '172.20.131.242 "Invalid session … probably expired"',
      '172.20.131.245 revalidated (client moved here)',
    ],
  );
});

test("overlaps carry the clock uncertainty from NTP, in the picker's answer and the timeline", async () => {
  const r = await server.connection.sendRequest(OverlapsRequest, { role: 'meta' });
  assert.deepEqual(
    r.overlaps.map((o) => `${String(o.clockUncertaintyMs)} ${String(o.uncertain)}`),
    ['167.5 false', '2836 true', '1423 false', '1423 false', '1491.5 false'],
  );
  const [t] = await server.connection.sendRequest(TimelineRequest, {});
  assert.deepEqual(
    t.overlaps.filter((o) => o.uncertain).map((o) => `${o.role} ${String(o.clockUncertaintyMs)}`),
    ['meta 2836'],
  );
});

test('hover on a meta session uuid: its expiry and the delayed-RPC bug line; other uuids get no hover', async () => {
  const rel = '172_20_131_242/zbs_logs/zbs-metad/zbs-metad.log.20230314-044133.193452';
  const lines = await open(rel);
  const md = await hover(rel, lines, 'a1ee10af-a8b6-4d50-b11d-eb09642685ac', 4);
  assert.match(md, /meta session a1ee10af-a8b6-4d50-b11d-eb09642685ac/);
  assert.match(md, /\[SESSION EXPIRED\] on 172\.20\.131\.242/);
  assert.match(md, /\[BUG\] expired by a delayed RPC on 172\.20\.131\.242/);
  const noise = lines.findIndex((l) => /Release owner : pid: \d+ session: [0-9a-f-]{36}/.test(l));
  assert.ok(noise >= 0);
  const none = await server.connection.sendRequest('textDocument/hover', {
    textDocument: { uri: uriOf(rel) },
    position: { line: noise, character: lines[noise].length - 3 },
  });
  assert.equal(none, null);
});

test("a search reports progress on the request's work-done token: begin, files searched, end", async () => {
  server.recordProgress('count-1');
  await send(CountRequest, { pattern: 'Exception when following the leader', by: 'day', workDoneToken: 'count-1' });
  await server.waitFor(
    '$/progress',
    (p) => (p as { token: string; value: { kind: string } }).token === 'count-1' && (p as { value: { kind: string } }).value.kind === 'end',
  );
  const values = server.notifications
    .filter((n) => n.method === '$/progress' && (n.params as { token: string }).token === 'count-1')
    .map((n) => (n.params as { value: { kind: string; message?: string; percentage?: number } }).value);
  assert.equal(values[0].kind, 'begin');
  assert.equal(values.at(-1)?.kind, 'end');
  const reports = values.filter((v) => v.kind === 'report');
  assert.ok(reports.length > 0);
  assert.equal(reports.at(-1)?.message, 'Searched 33/33 files');
  assert.equal(reports.at(-1)?.percentage, 100);
});
