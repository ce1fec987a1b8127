import assert from 'node:assert/strict';
import { test } from 'node:test';
import { keyAction } from '../../../src/webview/timeline/keys';

test('the timeline keys: arrows pan and scroll, + and − zoom, Home fits, n / p step, Enter opens, e explains; others do nothing', () => {
  assert.deepEqual(keyAction('ArrowLeft'), { kind: 'pan', fraction: -0.1 });
  assert.deepEqual(keyAction('ArrowRight'), { kind: 'pan', fraction: 0.1 });
  assert.deepEqual(keyAction('ArrowDown'), { kind: 'scroll', pixels: 80 });
  assert.deepEqual(keyAction('='), { kind: 'zoom', factor: 0.5 });
  assert.deepEqual(keyAction('_'), { kind: 'zoom', factor: 2 });
  assert.deepEqual(keyAction('0'), { kind: 'fit' });
  assert.deepEqual(keyAction('p'), { kind: 'step', by: -1 });
  assert.deepEqual(keyAction('Enter'), { kind: 'open' });
  assert.deepEqual(keyAction('e'), { kind: 'explain' });
  assert.equal(keyAction('x'), undefined);
});
