import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mergeOutput } from '../../../src/cli/commands/mergeCommand';
import { clusterLogLine, nodeColumnWidth, originalTextStart, shortNodeNames } from '../../../src/core/clusterLog/clusterLogLine';

test('a Cluster Log line is time │ node │ original line, the node padded so the columns align', () => {
  const short = shortNodeNames(['172.20.131.241', '172.20.131.242', '172.20.131.1']);
  assert.deepEqual([...short.values()], ['241', '242', '1']);
  const w = nodeColumnWidth(short.values());
  const a = clusterLogLine({ timeLabel: '2023-03-14T01:35:51.703000', node: short.get('172.20.131.241')!, text: 'I0314 x' }, w);
  const b = clusterLogLine({ timeLabel: '2023-03-14 01:35:51.703001', node: short.get('172.20.131.1')!, text: 'W0314 y' }, w);
  assert.equal(a, '2023-03-14 01:35:51.703000 │ 241 │ I0314 x');
  assert.equal(b, '2023-03-14 01:35:51.703001 │ 1   │ W0314 y');
  assert.equal(a.indexOf('│', 30), b.indexOf('│', 30), 'the second bar aligns');
  assert.equal(a.slice(originalTextStart(a)), 'I0314 x');
  assert.equal(originalTextStart('── start of the merged log ──'), -1);
});

test('a line shown at a time not its own is marked *', () => {
  assert.match(clusterLogLine({ timeLabel: '2023-03-14 01:35:51.703000', node: 'n', text: 't', placed: true }, 1), /^\S+ \S+\*│ n │ t$/);
});

test('short node names keep as many trailing parts as it takes to tell the nodes apart', () => {
  assert.deepEqual([...shortNodeNames(['10.0.1.7', '10.0.2.7']).values()], ['1.7', '2.7']);
  assert.deepEqual([...shortNodeNames(['127_0_0_11', '127_0_0_12']).values()], ['11', '12']);
  assert.deepEqual([...shortNodeNames(['client', 'runner', '127.0.0.13']).values()], ['client', 'runner', '13']);
  assert.deepEqual([...shortNodeNames(['a.x', 'a.x']).values()], ['x'], 'one node under one label');
});

test('hostile text stays text: controls visible, URLs not detectable, no newline splits the line', () => {
  const line = clusterLogLine(
    { timeLabel: 't', node: 'evil\u202e', text: 'a\r\nb\x1b[31m\ttab https://evil.example www.evil.example file:///etc/passwd' },
    5,
  );
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  assert.doesNotMatch(line, /[\r\n\x1b\u202e]/);
  assert.doesNotMatch(line, /\b(?:https?|file):\/\/|\bwww\./);
  assert.match(line.replace(/\u200d/g, ''), /a␍␊b␛\[31m tab https:\/\/evil\.example www\.evil\.example file:\/\/\/etc\/passwd$/);
});

test('the CLI merge prints the same lines the view shows (one renderer)', () => {
  const out = mergeOutput({
    lines: [
      {
        location: { uri: 'file:///b/n1/z.log', file: 'n1/z.log', line: 3 },
        node: 'n1',
        nodeLabel: '172.20.131.241',
        time: 1,
        timeLabel: '2023-03-14T01:35:51.703000',
        text: 'I0314 x',
      },
    ],
    direction: 'forward',
    truncated: false,
    limit: 10,
    filters: { include: [], exclude: [], ignoreCase: false, nodes: [], sources: [] },
    unreadable: [],
    skippedFiles: [],
    notes: [],
    nodes: [
      { node: 'n1', label: '172.20.131.241', offsetMs: 0 },
      { node: 'n2', label: '172.20.131.1', offsetMs: 0 },
    ],
  });
  assert.equal(out.human().split('\n')[0], clusterLogLine({ timeLabel: '2023-03-14T01:35:51.703000', node: '241', text: 'I0314 x' }, 3));
});
