import type { Geometry, LaneBox } from './layout';
import { laneAt } from './layout';
import type { Span, TrackIndex } from './trackIndex';
import type { Viewport } from './viewport';
import { timeToX, xToTime } from './viewport';

export interface OverlapSpan {
  id: number;
  lanes: [number, number];
  start: number;
  end: number;
}

export type Hit = { kind: 'item'; id: number; lane: number; track: string } | { kind: 'overlap'; id: number };

export interface HitContext<T extends Span> {
  boxes: readonly LaneBox[];
  geometry: Geometry;
  view: Viewport;
  /** Chart area: x0 is where time starts (after the labels), width its extent. */
  x0: number;
  width: number;
  /** Vertical scroll of the lanes (the axis and overlap strip do not scroll). */
  scrollY: number;
  tracks: (lane: number, track: string) => TrackIndex<T> | undefined;
  isMarker: (item: T) => boolean;
  overlaps: readonly OverlapSpan[];
}

/** Pixels around a marker or a thin interval that still count as hitting it. */
export const TOLERANCE = 4;

/**
 * What is under the pointer: the overlap strip's marks, then markers and intervals in the track under
 * the pointer (the nearest wins), then an overlap band covering an empty spot in one of its lanes.
 */
export function hitTest<T extends Span>(x: number, y: number, c: HitContext<T>): Hit | undefined {
  if (x < c.x0) return undefined;
  const g = c.geometry;
  const px = (t: number) => timeToX(t, c.view, c.x0, c.width);
  const overlapAt = (lane?: number): Hit | undefined => {
    let best: { id: number; d: number } | undefined;
    for (const o of c.overlaps) {
      if (lane !== undefined && o.lanes[0] !== lane && o.lanes[1] !== lane) continue;
      const a = px(o.start);
      const b = Math.max(px(o.end), a + 3);
      const d = x < a ? a - x : x > b ? x - b : 0;
      if (d <= TOLERANCE && (!best || d < best.d)) best = { id: o.id, d };
    }
    return best ? { kind: 'overlap', id: best.id } : undefined;
  };
  if (y >= g.axisHeight && y < g.axisHeight + g.overlapStripHeight) return overlapAt();
  if (y < g.axisHeight + g.overlapStripHeight) return undefined;
  const ly = y + c.scrollY;
  const box = laneAt(c.boxes, ly);
  if (!box) return undefined;
  const track = box.tracks.find((t) => ly >= t.y && ly < t.y + t.height);
  if (track) {
    const index = c.tracks(box.lane, track.id);
    if (index) {
      const tol = ((c.view.end - c.view.start) / c.width) * TOLERANCE;
      const t = xToTime(x, c.view, c.x0, c.width);
      const [from, to] = index.range(t - tol, t + tol);
      let best: { it: T; d: number; marker: boolean } | undefined;
      for (let i = from; i < to; i++) {
        const it = index.items[i];
        const a = px(it.start);
        const b = Math.max(px(it.end), a + 1);
        const d = x < a ? a - x : x > b ? x - b : 0;
        if (d > TOLERANCE) continue;
        const marker = c.isMarker(it);
        // Markers sit on top of intervals; among equals the nearest wins.
        if (!best || (marker && !best.marker) || (marker === best.marker && d < best.d)) best = { it, d, marker };
      }
      if (best) return { kind: 'item', id: best.it.id, lane: box.lane, track: track.id };
    }
  }
  return overlapAt(box.lane);
}
