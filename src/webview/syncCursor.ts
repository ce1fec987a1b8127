import type { Palette } from './theme';
import { formatFull } from './timeline/ticks';
import { timeToX, type Viewport } from './timeline/viewport';

/** Time sync's cursor as the page holds it: the moment the editors show (corrected µs), and whether sync is on. */
export interface SyncCursor {
  time?: number;
  sync: boolean;
}

/**
 * A view that shows `time`: the same one when it already does (the user's zoom and pan stay), else the
 * same span centred on it — editors moving to a moment off screen bring the timeline along.
 */
export function viewShowing(view: Viewport, time: number): Viewport {
  if (time >= view.start && time <= view.end) return view;
  const half = (view.end - view.start) / 2;
  return { start: time - half, end: time + half };
}

/**
 * Draws the cursor: a vertical line across the chart at the moment, and its full time in a label on the
 * axis (flipped left near the right edge). Returns its x, or undefined when off screen or absent.
 */
export function drawSyncCursor(
  ctx: CanvasRenderingContext2D,
  c: SyncCursor,
  view: Viewport,
  chart: { x0: number; width: number; height: number; axisHeight: number },
  p: Palette,
): number | undefined {
  if (c.time === undefined) return undefined;
  const x = Math.round(timeToX(c.time, view, chart.x0, chart.width)) + 0.5;
  if (x < chart.x0 || x > chart.x0 + chart.width) return undefined;
  ctx.save();
  ctx.strokeStyle = p.focus;
  ctx.lineWidth = 2;
  ctx.setLineDash([6, 3]);
  ctx.beginPath();
  ctx.moveTo(x, chart.axisHeight);
  ctx.lineTo(x, chart.height);
  ctx.stroke();
  ctx.setLineDash([]);
  const label = formatFull(c.time);
  ctx.font = `11px ${p.fontFamily}`;
  const w = ctx.measureText(label).width + 8;
  const left = x + w + 2 > chart.x0 + chart.width ? x - w - 2 : x + 2;
  ctx.fillStyle = p.focus;
  ctx.fillRect(left, 2, w, chart.axisHeight - 6);
  ctx.fillStyle = p.textOn(p.focus, 1);
  ctx.textBaseline = 'middle';
  ctx.fillText(label, left + 4, 2 + (chart.axisHeight - 6) / 2);
  ctx.restore();
  return x;
}
