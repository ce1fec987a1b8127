import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseOverlapKey, parseReportMessage, parseReportState } from '../../src/shared/reportProtocol';

// What reaches the overlap report's host from outside — the webview's messages, a command argument, a
// restored panel's state — is checked before anything acts on it.

test('an overlap is named by exactly { role, nodes: [a, b], start }', () => {
  const key = { role: 'meta', nodes: ['172_20_131_241', '172_20_131_243'], start: 1678770744461460 };
  assert.deepEqual(parseOverlapKey(key), key);
  assert.deepEqual(parseOverlapKey({ ...key, extra: '<script>' }), key, 'only the three fields are kept');
  for (const bad of [
    undefined,
    null,
    'meta',
    { ...key, role: 1 },
    { ...key, nodes: ['a'] },
    { ...key, nodes: ['a', 'b', 'c'] },
    { ...key, nodes: ['a', 2] },
    { ...key, nodes: 'ab' },
    { ...key, start: '1678770744461460' },
    { ...key, start: Number.NaN },
    { ...key, start: Infinity },
  ])
    assert.equal(parseOverlapKey(bad), undefined, JSON.stringify(bad));
});

test("the report page's messages: ready, open a line, copy as Markdown or JSON; anything else is ignored", () => {
  assert.deepEqual(parseReportMessage({ type: 'ready' }), { type: 'ready' });
  assert.deepEqual(parseReportMessage({ type: 'openLine', uri: 'file:///b/x.log', line: 12.7 }), {
    type: 'openLine',
    uri: 'file:///b/x.log',
    line: 12,
  });
  assert.deepEqual(parseReportMessage({ type: 'copy', format: 'json' }), { type: 'copy', format: 'json' });
  for (const bad of [
    null,
    'ready',
    { type: 'openLine', uri: 'file:///b/x.log', line: 0 },
    { type: 'openLine', uri: 'file:///b/x.log', line: '3' },
    { type: 'openLine', line: 3 },
    { type: 'copy', format: 'html' },
    { type: 'runCommand', command: 'workbench.action.terminal.new' },
  ])
    assert.equal(parseReportMessage(bad), undefined, JSON.stringify(bad));
});

test("a restored panel's state names its overlap (and keeps its scroll), or is not used", () => {
  const key = { role: 'zk', nodes: ['a', 'b'], start: 5 };
  assert.deepEqual(parseReportState({ key, scrollY: 120 }), { key, scrollY: 120 });
  assert.deepEqual(parseReportState({ key, scrollY: 'x' }), { key });
  assert.equal(parseReportState({ scrollY: 3 }), undefined);
  assert.equal(parseReportState(undefined), undefined);
});
