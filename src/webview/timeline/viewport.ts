/** The visible time window, in wall-clock microseconds. Pure math, shared by rendering and hit-testing. */
export interface Viewport {
  start: number;
  end: number;
}

/** The smallest window the panel zooms to: 10 µs across the whole chart. */
export const MIN_SPAN = 10;

export function timeToX(t: number, view: Viewport, x0: number, width: number): number {
  return x0 + ((t - view.start) / (view.end - view.start)) * width;
}

export function xToTime(x: number, view: Viewport, x0: number, width: number): number {
  return view.start + ((x - x0) / width) * (view.end - view.start);
}

/** Zooms by `factor` (< 1 zooms in) keeping `anchor` at the same place on screen. */
export function zoomAt(view: Viewport, factor: number, anchor: number, extent: Viewport): Viewport {
  const span = view.end - view.start;
  const maxSpan = Math.max((extent.end - extent.start) * 1.5, MIN_SPAN * 10);
  const next = Math.min(Math.max(span * factor, MIN_SPAN), maxSpan);
  const ratio = span > 0 ? (anchor - view.start) / span : 0.5;
  const start = anchor - ratio * next;
  return { start, end: start + next };
}

/** Moves the window by `delta` microseconds. */
export function pan(view: Viewport, delta: number): Viewport {
  return { start: view.start + delta, end: view.end + delta };
}

/** The whole extent with a small margin on both sides. */
export function fit(extent: Viewport, margin = 0.02): Viewport {
  const span = Math.max(extent.end - extent.start, MIN_SPAN);
  return { start: extent.start - span * margin, end: extent.end + span * margin };
}

/**
 * A window showing [start, end] in the middle third of the screen, so the context on both sides is
 * visible; even a 1 µs overlap gets a readable window.
 */
export function focusOn(start: number, end: number): Viewport {
  const span = Math.max(end - start, MIN_SPAN);
  return { start: start - span, end: end + span };
}
