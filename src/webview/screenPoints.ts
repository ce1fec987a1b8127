import type { TimelineData } from '../shared/webviewProtocol';
import type { Hit } from './timeline/hitTest';
import { GEOMETRY, type LaneBox } from './timeline/layout';
import { timeToX, type Viewport } from './timeline/viewport';

export type PointKind = 'item' | 'overlap' | 'band';

/** A point in client coordinates (x, y) and relative to the canvas (cx, cy). */
export interface ScreenPoint {
  x: number;
  y: number;
  cx: number;
  cy: number;
}

/** What the page shows, as far as finding things on screen goes. */
export interface OnScreen {
  data: TimelineData;
  view: Viewport;
  boxes: readonly LaneBox[];
  scrollY: number;
  rect: DOMRect;
  /** The chart's width (right of the lane labels). */
  width: number;
  hit(clientX: number, clientY: number): Hit | undefined;
}

/**
 * Where an item (at time `at` inside it, else its middle), an overlap's strip mark, or an empty spot of an
 * overlap's band is on screen: the browser tests click and hover there, as a user would.
 */
export function pointOnScreen(s: OnScreen, kind: PointKind, id: number, at?: number): ScreenPoint | undefined {
  const point = (cx: number, cy: number) => ({ x: s.rect.left + cx, y: s.rect.top + cy, cx, cy });
  const x0 = GEOMETRY.labelWidth;
  const w = s.width;
  if (kind === 'overlap' || kind === 'band') {
    const o = s.data.overlaps[id];
    if (!o) return undefined;
    const a = Math.max(timeToX(o.start, s.view, x0, w), x0);
    const b = Math.min(Math.max(timeToX(o.end, s.view, x0, w), a + 3), x0 + w);
    const cx = (a + b) / 2;
    if (kind === 'overlap') return point(cx, GEOMETRY.axisHeight + GEOMETRY.overlapStripHeight / 2);
    for (const lane of o.lanes) {
      for (const t of [...(s.boxes[lane]?.tracks ?? [])].reverse()) {
        const cy = t.y - s.scrollY + t.height / 2;
        const h = s.hit(s.rect.left + cx, s.rect.top + cy);
        if (h?.kind === 'overlap' && h.id === id) return point(cx, cy);
      }
    }
    return undefined;
  }
  const it = s.data.items[id];
  const box = s.boxes[it?.lane ?? -1];
  const tb = box?.tracks.find((t) => t.id === it.track);
  if (!it || !tb) return undefined;
  const a = Math.max(timeToX(it.start, s.view, x0, w), x0);
  const b = Math.min(Math.max(timeToX(it.end, s.view, x0, w), a + 1), x0 + w);
  const cx = at === undefined ? (a + b) / 2 : Math.min(Math.max(timeToX(at, s.view, x0, w), a), b);
  return point(cx, tb.y - s.scrollY + tb.height / 2);
}
