import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { clusterLogLine } from '../../src/core/clusterLog/clusterLogLine';
import {
  IndexStatusNotification,
  IndexSummaryRequest,
  MergedLinesRequest,
  type IndexStatus,
  type MergedLineInfo,
  type MergedLinesParams,
  type MergeResult,
} from '../../src/shared/protocol';
import { quietSampleBundle, tempDir } from '../helpers';
import { StdioServer } from './lspClient';

// The Cluster Log view's request over real stdio, as the view sends it: pages forward and backward from the
// cursors of the lines it holds (composed the way the view composes them), filters, and a hostile line.

const HOSTILE =
  'I0314 05:12:22.456939 1 evil.cc:1] [x](command:workbench.action.terminal.new) \x1b]8;;https://evil.example\x07link <img src=x onerror=alert(1)>';

let server: StdioServer;
let root: string;
before(async () => {
  root = path.join(tempDir('ql-cluster-log-'), 'bundle');
  fs.cpSync(quietSampleBundle(), root, { recursive: true });
  const evil = path.join(root, '172_20_131_249', 'zbs_logs');
  fs.mkdirSync(evil, { recursive: true });
  fs.writeFileSync(path.join(evil, 'zbs-metad.log.20230314-051220.1'), `Log file created at: 2023/03/14 05:12:20\n${HOSTILE}\n`);
  server = new StdioServer();
  await server.open(root);
  await server.waitFor(IndexStatusNotification.method, (p) => (p as IndexStatus).state === 'ready');
});
after(() => server.stop());

const ask = (p: MergedLinesParams): Promise<MergeResult> => server.connection.sendRequest(MergedLinesRequest, p);
/** A line's cursor as the view makes it from what it holds (one bundle: bundle 0). */
const keyOf = (l: MergedLineInfo) => ({ time: l.time, bundle: 0, node: l.node, file: l.location.file, line: l.location.line });
const id = (l: MergedLineInfo) => `${l.location.file}:${l.location.line}`;

test('pages of the merged log join exactly both ways, from the cursors of the lines the view holds', async () => {
  const [summary] = await server.connection.sendRequest(IndexSummaryRequest, {});
  const bundle = summary.root;
  const all = await ask({ bundle, limit: 100_000 });
  assert.equal(all.truncated, false);
  assert.ok(all.lines.length > 400, `${all.lines.length} lines`);
  for (let i = 1; i < all.lines.length; i++) assert.ok(all.lines[i - 1].time <= all.lines[i].time, 'time never decreases');

  const forward: MergedLineInfo[] = [];
  for (let page = await ask({ bundle, limit: 37 }); ;) {
    forward.push(...page.lines);
    if (!page.truncated) break;
    page = await ask({ bundle, limit: 37, cursor: keyOf(page.lines[page.lines.length - 1]) });
  }
  assert.deepEqual(forward.map(id), all.lines.map(id), 'forward: no line lost or repeated');

  const backward: MergedLineInfo[][] = [];
  for (let page = await ask({ bundle, limit: 37, direction: 'backward' }); ;) {
    backward.unshift(page.lines);
    if (!page.truncated) break;
    page = await ask({ bundle, limit: 37, direction: 'backward', cursor: keyOf(page.lines[0]) });
  }
  assert.deepEqual(backward.flat().map(id), all.lines.map(id), 'backward: no line lost or repeated');

  // Each line is the file's own line at that number.
  for (const l of all.lines.filter((_, i) => i % 97 === 0))
    assert.equal(fs.readFileSync(fileURLToPath(l.location.uri), 'utf8').split('\n')[l.location.line - 1], l.text);
  assert.deepEqual(
    all.nodes.map((n) => n.label).sort(),
    [...new Set(all.lines.map((l) => l.nodeLabel))].sort(),
    'every node is named (the node column is as wide as its longest short name)',
  );
});

test('next error from a line: level E after its cursor, one line, across what a page holds', async () => {
  const [summary] = await server.connection.sendRequest(IndexSummaryRequest, {});
  const bundle = summary.root;
  const errors = await ask({ bundle, level: 'E', limit: 100_000 });
  assert.ok(errors.lines.length >= 2, 'the sample has errors');
  const next = await ask({ bundle, level: 'E', limit: 1, cursor: keyOf(errors.lines[0]) });
  assert.deepEqual(next.lines.map(id), [id(errors.lines[1])]);
  const previous = await ask({ bundle, level: 'E', limit: 1, direction: 'backward', cursor: keyOf(errors.lines[1]) });
  assert.deepEqual(previous.lines.map(id), [id(errors.lines[0])]);
});

test('a hostile line comes back as the file has it, as text; rendered, it stays one inert line', async () => {
  const r = await ask({ include: ['evil\\.cc'] });
  assert.equal(r.lines.length, 1);
  assert.equal(r.lines[0].text, HOSTILE);
  assert.equal(r.lines[0].nodeLabel, '172.20.131.249');
  const shown = clusterLogLine({ timeLabel: r.lines[0].timeLabel, node: '249', text: r.lines[0].text }, 3);
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  assert.doesNotMatch(shown, /[\x00-\x1f]|https:\/\//);
  assert.match(
    shown,
    /\[x\]\(command:workbench\.action\.terminal\.new\) ␛\]8;;https:\u200d\/\/evil\.example␇link <img src=x onerror=alert\(1\)>$/,
  );
});

test('filters the merge cannot use, an unknown bundle and a forged cursor answer a problem, not an error', async () => {
  assert.match((await ask({ exclude: ['(unclosed'] })).problem ?? '', /bad --exclude REGEX/);
  assert.match((await ask({ bundle: '/no/such/bundle' })).problem ?? '', /No bundle/);
  assert.match((await ask({ cursor: { time: 'x' } as never })).problem ?? '', /cursor/);
});
