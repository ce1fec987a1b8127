import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hitTest, type HitContext } from '../../../src/webview/timeline/hitTest';
import { GEOMETRY, laneAt, layoutLanes } from '../../../src/webview/timeline/layout';
import { TrackIndex, visibleRuns, type Span } from '../../../src/webview/timeline/trackIndex';

const g = GEOMETRY;

test('lanes stack their tracks; the error strip is thinner; lanes are found by y', () => {
  const { boxes, height } = layoutLanes([{ tracks: ['meta', 'zk'] }, { tracks: ['markers', 'errors'] }]);
  const top = g.axisHeight + g.overlapStripHeight + g.laneGap / 2;
  assert.equal(boxes[0].y, top);
  assert.deepEqual(
    boxes[0].tracks.map((t) => [t.id, t.y, t.height]),
    [
      ['meta', top, 16],
      ['zk', top + 18, 16],
    ],
  );
  assert.equal(boxes[1].y, top + 36 + g.laneGap);
  assert.equal(boxes[1].tracks[1].height, g.errorTrackHeight);
  assert.equal(height, boxes[1].y + boxes[1].height + g.laneGap);
  assert.equal(laneAt(boxes, boxes[1].y + 3)?.lane, 1);
  assert.equal(laneAt(boxes, boxes[0].y + boxes[0].height + 1), undefined);
});

test('the track index finds exactly the items that intersect a window', () => {
  const items: Span[] = [
    { id: 0, start: 0, end: 100 },
    { id: 1, start: 10, end: 20 },
    { id: 2, start: 30, end: 40 },
    { id: 3, start: 200, end: 300 },
  ];
  const idx = new TrackIndex(items);
  const hits = (a: number, b: number) => {
    const [from, to] = idx.range(a, b);
    return idx.items
      .slice(from, to)
      .filter((it) => it.end >= a && it.start <= b)
      .map((it) => it.id);
  };
  assert.deepEqual(hits(25, 35), [0, 2]);
  assert.deepEqual(hits(150, 160), []);
  assert.deepEqual(hits(250, 400), [3]);
});

test('level of detail: 100 000 items in a wide window become a few runs; zoomed in, each item is its own', () => {
  const items: Span[] = Array.from({ length: 100_000 }, (_, i) => ({ id: i, start: i * 1000, end: i * 1000 + 500 }));
  const idx = new TrackIndex(items);
  const wide = visibleRuns(idx, { start: 0, end: 1e8 }, 0, 1000);
  assert.ok(wide.length <= 1000, `${wide.length} runs`);
  assert.equal(
    wide.reduce((n, r) => n + r.count, 0),
    100_000,
  );
  const near = visibleRuns(idx, { start: 0, end: 10_000 }, 0, 1000);
  assert.deepEqual(
    near.map((r) => r.count),
    Array(11).fill(1),
  );
  assert.equal(near[0].x1 - near[0].x0, 50);
});

test('a sub-pixel item still gets a pixel', () => {
  const idx = new TrackIndex([{ id: 0, start: 500, end: 500 }]);
  const [run] = visibleRuns(idx, { start: 0, end: 1e6 }, 0, 1000);
  assert.ok(run.x1 - run.x0 >= 1);
});

function context(): HitContext<Span & { marker: boolean }> {
  const { boxes } = layoutLanes([{ tracks: ['meta', 'markers'] }, { tracks: ['meta'] }]);
  const tracks = new Map<string, TrackIndex<Span & { marker: boolean }>>([
    ['0:meta', new TrackIndex([{ id: 1, start: 100, end: 300, marker: false }])],
    ['0:markers', new TrackIndex([{ id: 2, start: 150, end: 150, marker: true }])],
    ['1:meta', new TrackIndex([{ id: 3, start: 200, end: 400, marker: false }])],
  ]);
  return {
    boxes,
    geometry: g,
    view: { start: 0, end: 1000 },
    x0: 200,
    width: 1000,
    scrollY: 0,
    tracks: (lane, track) => tracks.get(`${lane}:${track}`),
    isMarker: (it) => it.marker,
    overlaps: [{ id: 7, lanes: [0, 1], start: 200, end: 300 }],
  };
}

test('hit-testing: intervals, markers within a few pixels, overlap strip, and overlap bands on empty spots', () => {
  const c = context();
  const trackY = (lane: number, track: number) => c.boxes[lane].tracks[track].y + 3;
  assert.deepEqual(hitTest(200 + 120, trackY(0, 0), c), { kind: 'item', id: 1, lane: 0, track: 'meta' });
  assert.deepEqual(hitTest(200 + 153, trackY(0, 1), c), { kind: 'item', id: 2, lane: 0, track: 'markers' });
  assert.deepEqual(hitTest(200 + 250, g.axisHeight + 3, c), { kind: 'overlap', id: 7 });
  assert.deepEqual(hitTest(200 + 250, trackY(0, 1), c), { kind: 'overlap', id: 7 }, 'no marker there: the band');
  assert.equal(hitTest(200 + 600, trackY(0, 0), c), undefined);
  assert.equal(hitTest(100, trackY(0, 0), c), undefined, 'the label column');
});

test('hit-testing follows the vertical scroll', () => {
  const c = { ...context(), scrollY: 40 };
  const y = c.boxes[1].tracks[0].y + 3 - 40;
  assert.deepEqual(hitTest(200 + 350, y, c), { kind: 'item', id: 3, lane: 1, track: 'meta' });
});
