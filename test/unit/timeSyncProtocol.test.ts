import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCursorMessage, parseWebviewMessage } from '../../src/shared/webviewProtocol';

// The timeline's time sync messages are checked on receipt, both ways: a page is a web page.

test('pickTime from the page: a finite moment, rounded to a microsecond; anything else is dropped', () => {
  assert.deepEqual(parseWebviewMessage({ type: 'pickTime', time: 1678770744.4 }), { type: 'pickTime', time: 1678770744 });
  for (const time of [Number.NaN, Infinity, '1678770744461460', undefined, null])
    assert.equal(parseWebviewMessage({ type: 'pickTime', time }), undefined, String(time));
});

test('the host’s cursor: a finite moment or none, and whether sync is on; anything else is dropped', () => {
  assert.deepEqual(parseCursorMessage({ type: 'cursor', time: 5, sync: true }), { type: 'cursor', time: 5, sync: true });
  assert.deepEqual(parseCursorMessage({ type: 'cursor', sync: false }), { type: 'cursor', sync: false });
  assert.equal(parseCursorMessage({ type: 'cursor', time: 'soon', sync: true }), undefined);
  assert.equal(parseCursorMessage({ type: 'cursor', time: Number.NaN, sync: true }), undefined);
  assert.equal(parseCursorMessage({ type: 'cursor', time: 5 }), undefined);
  assert.equal(parseCursorMessage({ type: 'focus', start: 1, end: 2 }), undefined);
  assert.equal(parseCursorMessage(null), undefined);
});
