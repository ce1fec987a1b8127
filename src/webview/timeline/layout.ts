/** Where lanes and their tracks sit vertically. Pure: unit-tested without a browser. */
export interface TrackBox {
  id: string;
  y: number;
  height: number;
}

export interface LaneBox {
  lane: number;
  y: number;
  height: number;
  tracks: TrackBox[];
}

export interface Geometry {
  /** Width of the lane labels on the left. */
  labelWidth: number;
  /** Height of the time axis at the top. */
  axisHeight: number;
  /** Height of the overlap strip under the axis (each overlap is a clickable mark). */
  overlapStripHeight: number;
  trackHeight: number;
  errorTrackHeight: number;
  laneGap: number;
}

export const GEOMETRY: Geometry = {
  labelWidth: 190,
  axisHeight: 26,
  overlapStripHeight: 14,
  trackHeight: 16,
  errorTrackHeight: 12,
  laneGap: 10,
};

/** Lays lanes out top to bottom; returns their boxes and the total height. */
export function layoutLanes(lanes: readonly { tracks: readonly string[] }[], g: Geometry = GEOMETRY): { boxes: LaneBox[]; height: number } {
  let y = g.axisHeight + g.overlapStripHeight + g.laneGap / 2;
  const boxes: LaneBox[] = lanes.map((l, lane) => {
    const top = y;
    const tracks = l.tracks.map((id) => {
      const h = id === 'errors' ? g.errorTrackHeight : g.trackHeight;
      const box = { id, y, height: h };
      y += h + 2;
      return box;
    });
    const height = Math.max(y - top, g.trackHeight + 2);
    y = top + height + g.laneGap;
    return { lane, y: top, height, tracks };
  });
  return { boxes, height: y };
}

/** The lane box at a y position (or undefined between lanes). */
export function laneAt(boxes: readonly LaneBox[], y: number): LaneBox | undefined {
  let lo = 0;
  let hi = boxes.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const b = boxes[mid];
    if (y < b.y) hi = mid - 1;
    else if (y >= b.y + b.height) lo = mid + 1;
    else return b;
  }
  return undefined;
}
