import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fit, focusOn, MIN_SPAN, pan, timeToX, xToTime, zoomAt } from '../../../src/webview/timeline/viewport';

test('time and x convert both ways', () => {
  const v = { start: 1000, end: 2000 };
  assert.equal(timeToX(1500, v, 100, 500), 350);
  assert.equal(xToTime(350, v, 100, 500), 1500);
});

test('zooming keeps the anchor under the pointer and respects the limits', () => {
  const extent = { start: 0, end: 1e9 };
  const z = zoomAt({ start: 0, end: 1000 }, 0.5, 250, extent);
  assert.deepEqual(z, { start: 125, end: 625 });
  assert.equal(zoomAt({ start: 0, end: 20 }, 0.01, 10, extent).end - zoomAt({ start: 0, end: 20 }, 0.01, 10, extent).start, MIN_SPAN);
  const out = zoomAt({ start: 0, end: 1e9 }, 100, 0, extent);
  assert.equal(out.end - out.start, 1.5e9);
});

test('pan, fit and focus', () => {
  assert.deepEqual(pan({ start: 10, end: 20 }, 5), { start: 15, end: 25 });
  assert.deepEqual(fit({ start: 0, end: 100 }), { start: -2, end: 102 });
  assert.deepEqual(focusOn(100, 200), { start: 0, end: 300 });
  assert.deepEqual(focusOn(100, 101), { start: 100 - MIN_SPAN, end: 101 + MIN_SPAN }, 'a 1 µs overlap still gets context');
});
