import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import {
  IndexStatusNotification,
  LinesAtTimeRequest,
  OverlapsRequest,
  TimeAtLineRequest,
  windowUri,
  type IndexStatus,
} from '../../src/shared/protocol';
import { sampleBundle } from '../helpers';
import { StdioServer } from './lspClient';

// Time sync over real stdio, as the editor asks: the moment of a line (a file, a window view), and for one
// moment the line of each visible document, with the configured clock offset applied. Expected lines come
// from the files' text: yearless glog stamps read here with a regex, in 2023 (the sample's year).

const META241 = '172_20_131_241/zbs_logs/zbs-metad/zbs-metad.log.20230314-031904.42461';
const OFFSET_243_MS = 2000;
const N243 = '172_20_131_243';

let server: StdioServer;
const uriOf = (rel: string) => pathToFileURL(path.join(sampleBundle(), rel)).toString();

/** Each line's time from its text (a line without a stamp takes the one above it; the header the first). */
function glogTimes(rel: string): number[] {
  const lines = fs.readFileSync(path.join(sampleBundle(), rel), 'utf8').replace(/\n$/, '').split('\n');
  const own = lines.map((l) => {
    const m = /^[IWEF](\d\d)(\d\d) (\d\d):(\d\d):(\d\d)\.(\d{6}) /.exec(l);
    return m ? Date.UTC(2023, +m[1] - 1, +m[2], +m[3], +m[4], +m[5]) * 1000 + Number(m[6]) : undefined;
  });
  const first = own.find((x) => x !== undefined)!;
  let last: number | undefined;
  return own.map((x) => (last = x ?? last ?? first));
}

before(async () => {
  server = new StdioServer();
  const uri = pathToFileURL(sampleBundle()).toString();
  await server.connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri: uri,
    workspaceFolders: [{ uri, name: 'bundle' }],
    capabilities: {},
    initializationOptions: { settings: { timeZone: '', clockOffsets: { [N243]: OFFSET_243_MS }, roleRules: [] } },
  });
  await server.connection.sendNotification('initialized', {});
  await server.waitFor(IndexStatusNotification.method, (p) => (p as IndexStatus).state === 'ready');
});
after(() => server.stop());

test('the overlap of 241 and 243 at its start: the later side’s start line has the overlap’s moment, and the moment finds it again', async () => {
  const { overlaps } = await server.connection.sendRequest(OverlapsRequest, { role: 'meta' });
  const o = overlaps.find((x) => x.nodes.join() === `172_20_131_241,${N243}`);
  assert.ok(o, overlaps.map((x) => x.nodes.join()).join(' | '));
  const later = o.intervals.find((iv) => iv.node === N243)!;
  const earlier = o.intervals.find((iv) => iv.node !== N243)!;
  assert.ok(later.start >= earlier.start, 'with the offset, 243 starts second');
  const m = await server.connection.sendRequest(TimeAtLineRequest, { uri: later.startSource.uri, line: later.startSource.line });
  assert.equal(m?.time, o.start, 'the start line’s moment is the overlap’s start (the offset applied)');
  const [a, b] = await server.connection.sendRequest(LinesAtTimeRequest, {
    time: o.start,
    uris: [earlier.startSource.uri, later.startSource.uri],
    sameBundleAs: later.startSource.uri,
  });
  assert.equal(b?.line, later.startSource.line);
  const times = glogTimes(META241);
  const want = times.findIndex((t) => t >= o.start) + 1;
  assert.ok(want > earlier.startSource.line, 'inside 241’s term, past its start');
  assert.deepEqual({ line: a?.line, where: a?.where }, { line: want, where: 'at' });
});

test('a window view’s line is its file’s line `from − 1` further down', async () => {
  const times = glogTimes(META241);
  const line = 300;
  const win = windowUri(uriOf(META241), 201, 600);
  const inWindow = await server.connection.sendRequest(TimeAtLineRequest, { uri: win, line: line - 200 });
  const inFile = await server.connection.sendRequest(TimeAtLineRequest, { uri: uriOf(META241), line });
  assert.equal(inWindow?.time, times[line - 1]);
  assert.deepEqual(inWindow, inFile);
  const [w] = await server.connection.sendRequest(LinesAtTimeRequest, { time: times[line - 1], uris: [win] });
  assert.equal(w?.line, times.indexOf(times[line - 1]) + 1, 'the full file’s line number');
});

test('documents that stay put: outside the bundle, another bundle, nonsense parameters', async () => {
  const outside = pathToFileURL('/etc/hostname').toString();
  assert.equal(await server.connection.sendRequest(TimeAtLineRequest, { uri: outside, line: 1 }), null);
  assert.equal(await server.connection.sendRequest(TimeAtLineRequest, { uri: uriOf(META241), line: -3 }), null);
  const r = await server.connection.sendRequest(LinesAtTimeRequest, {
    time: Date.UTC(2023, 2, 14, 4) * 1000,
    uris: [outside, uriOf(META241)],
    sameBundleAs: outside,
  });
  assert.deepEqual(r, [null, null], 'a moment from outside the bundle moves none of its files');
  assert.deepEqual(await server.connection.sendRequest(LinesAtTimeRequest, { time: Number.NaN, uris: [uriOf(META241)] }), []);
});
