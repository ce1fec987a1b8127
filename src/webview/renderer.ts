import type { TimelineData, TimelineItemInfo } from '../shared/webviewProtocol';
import { diagonalLines, diamond } from './shapes';
import type { GEOMETRY, LaneBox } from './timeline/layout';
import { phaseSegments } from './timeline/phases';
import { axisContext, ticks } from './timeline/ticks';
import type { TrackIndex } from './timeline/trackIndex';
import { visibleRuns, type Run } from './timeline/trackIndex';
import type { Viewport } from './timeline/viewport';
import { timeToX } from './timeline/viewport';
import type { Palette } from './theme';
import { plural } from '../core/plural';

export interface Scene {
  data: TimelineData;
  boxes: LaneBox[];
  geometry: typeof GEOMETRY;
  view: Viewport;
  scrollY: number;
  width: number;
  height: number;
  tracks: (lane: number, track: string) => TrackIndex<TimelineItemInfo> | undefined;
  selectedOverlap?: number;
  hoverItem?: number;
}

export interface DrawStats {
  runs: number;
  items: number;
  /** Pre-broadcast stretches of leading bands drawn striped (the browser test checks they are drawn). */
  striped: number;
  /** Silences drawn hatched: in their own track, and over the bands of the log that fell silent. */
  hatched: number;
  /** How long the last frame took to draw, in ms (reported by the browser test, never asserted). */
  ms: number;
}

const TRACK_TITLES: Record<string, string> = {
  meta: 'meta leader',
  zk: 'ZooKeeper',
  namenode: 'NameNode',
  silences: 'silences',
  faults: 'faults',
  markers: 'events',
  errors: 'errors/min',
};

/**
 * Draws the timeline on a canvas: axis and ticks, the overlap strip, lanes with their tracks, items at
 * the current level of detail, error density, and overlap bands. Log text never reaches the canvas;
 * only labels the extension made (node names, states, epochs).
 */
export function draw(ctx: CanvasRenderingContext2D, s: Scene, p: Palette): DrawStats {
  const g = s.geometry;
  const x0 = g.labelWidth;
  const w = Math.max(s.width - x0 - 8, 10);
  const x = (t: number) => timeToX(t, s.view, x0, w);
  const t0 = performance.now();
  const stats: DrawStats = { runs: 0, items: 0, striped: 0, hatched: 0, ms: 0 };
  /** An overlap's x range, at least 3 px wide, clamped to the chart; undefined when off screen. */
  const onScreen = (o: { start: number; end: number }): [number, number] | undefined => {
    const a = x(o.start);
    const b = Math.max(x(o.end), a + 3);
    return b < x0 || a > x0 + w ? undefined : [Math.max(a, x0 - 3), Math.min(b, x0 + w + 3)];
  };
  ctx.fillStyle = p.background;
  ctx.fillRect(0, 0, s.width, s.height);
  const font = (size: number, bold = false) => `${bold ? 'bold ' : ''}${size}px ${p.fontFamily}`;
  ctx.font = font(11);
  ctx.textBaseline = 'middle';

  // Grid and axis.
  const { step, ticks: list } = ticks(s.view, w);
  ctx.strokeStyle = p.grid;
  ctx.fillStyle = p.muted;
  ctx.lineWidth = 1;
  for (const t of list) {
    const tx = Math.round(x(t.t)) + 0.5;
    ctx.globalAlpha = t.major ? 0.9 : 0.45;
    ctx.beginPath();
    ctx.moveTo(tx, g.axisHeight - 6);
    ctx.lineTo(tx, s.height);
    ctx.stroke();
    ctx.globalAlpha = 1;
    ctx.fillStyle = t.major ? p.foreground : p.muted;
    ctx.fillText(t.label, tx + 3, g.axisHeight / 2 - 2);
  }
  ctx.fillStyle = p.foreground;
  ctx.fillText(axisContext(s.view, step) + (s.data.zone ? ` (${s.data.zone})` : ''), 8, g.axisHeight / 2 - 2);

  // Lanes (scrolled), clipped under the axis and the overlap strip.
  const top = g.axisHeight + g.overlapStripHeight;
  ctx.save();
  ctx.beginPath();
  ctx.rect(0, top, s.width, s.height - top);
  ctx.clip();
  for (const box of s.boxes) {
    const y = box.y - s.scrollY;
    if (y > s.height || y + box.height < top) continue;
    const lane = s.data.lanes[box.lane];
    ctx.strokeStyle = p.border;
    ctx.beginPath();
    ctx.moveTo(0, Math.round(y + box.height + g.laneGap / 2) + 0.5);
    ctx.lineTo(s.width, Math.round(y + box.height + g.laneGap / 2) + 0.5);
    ctx.stroke();
    ctx.fillStyle = p.foreground;
    ctx.font = font(12, true);
    ctx.fillText(clip(ctx, lane.label, g.labelWidth - 12), 8, y + 8);
    ctx.font = font(10);
    ctx.fillStyle = p.muted;
    if (lane.detail) ctx.fillText(clip(ctx, lane.detail, g.labelWidth - 12), 8, y + 21);
    for (const tb of box.tracks) {
      const ty = tb.y - s.scrollY;
      ctx.fillStyle = p.muted;
      ctx.textAlign = 'right';
      ctx.fillText(TRACK_TITLES[tb.id] ?? tb.id, x0 - 6, ty + tb.height / 2);
      ctx.textAlign = 'left';
      ctx.save();
      ctx.beginPath();
      ctx.rect(x0, ty - 1, w, tb.height + 2); // nothing of a track spills into the label column
      ctx.clip();
      if (tb.id === 'errors') drawErrors(ctx, s.data.errors[box.lane] ?? [], ty, tb.height, x, x0, w, p);
      else {
        const index = s.tracks(box.lane, tb.id);
        if (index) drawItems(ctx, visibleRuns(index, s.view, x0, w), ty, tb.height, x0, x, s.hoverItem, p, stats);
      }
      ctx.restore();
    }
    drawSilenceOverlay(ctx, s, box, x, x0, w, p, stats);
  }
  // Overlap bands across the two lanes involved.
  for (const o of s.data.overlaps) {
    const span = onScreen(o);
    if (!span) continue;
    const [a, b] = span;
    for (const lane of new Set(o.lanes)) {
      const box = s.boxes[lane];
      const y = box.y - s.scrollY - 2;
      ctx.fillStyle = p.overlapFill;
      ctx.globalAlpha = s.selectedOverlap === o.id ? 0.35 : 0.2;
      ctx.fillRect(a, y, b - a, box.height + 4);
      ctx.globalAlpha = 1;
      ctx.strokeStyle = p.overlap;
      ctx.lineWidth = s.selectedOverlap === o.id ? 2 : 1;
      ctx.strokeRect(a, y, b - a, box.height + 4);
      ctx.lineWidth = 1;
    }
  }
  ctx.restore();

  // The overlap strip: every overlap as a mark under the axis, impossible to miss when zoomed out.
  const sy = g.axisHeight;
  ctx.fillStyle = p.background;
  ctx.fillRect(0, sy, s.width, g.overlapStripHeight);
  ctx.fillStyle = p.muted;
  ctx.fillText(plural(s.data.overlaps.length, 'overlap'), 8, sy + g.overlapStripHeight / 2);
  for (const o of s.data.overlaps) {
    const span = onScreen(o);
    if (!span) continue;
    const [a, b] = span;
    ctx.fillStyle = p.overlap;
    ctx.fillRect(a, sy + 2, b - a, g.overlapStripHeight - 4);
  }
  stats.ms = performance.now() - t0;
  return stats;
}

/** How opaque an interval is: states a peer merely follows in are dimmer than leadership. */
function alphaOf(it: TimelineItemInfo, count: number): number {
  return it.style === 'zk-following' || it.style === 'zk-observing' ? 0.45 : count > 1 ? 0.7 : 0.9;
}

/** A leader before broadcast: a light fill under stripes of its colour. */
const PRE_BROADCAST_ALPHA = 0.22;
/** A silence: a faint fill under hatching. */
const SILENCE_ALPHA = 0.15;

function drawItems(
  ctx: CanvasRenderingContext2D,
  runs: Run<TimelineItemInfo>[],
  ty: number,
  h: number,
  x0: number,
  x: (t: number) => number,
  hoverItem: number | undefined,
  p: Palette,
  stats: DrawStats,
): void {
  for (const run of runs) {
    stats.runs++;
    stats.items += run.count;
    const it = run.first;
    const fill = p.styles[it.style] ?? p.foreground;
    ctx.fillStyle = fill;
    if (it.marker) {
      diamond(ctx, (run.x0 + run.x1) / 2, ty + 1, ty + h - 1);
      continue;
    }
    const width = Math.max(run.x1 - run.x0, 1);
    // Drawn as the item itself (phases, label, hover) when alone in its run, or when what merged into it
    // (a moment of looking after a long following band) takes next to no room.
    const single = run.count === 1 || x(it.end) - x(it.start) >= 0.9 * width;
    let alpha = alphaOf(it, single ? 1 : run.count);
    // Where the item's label goes: the whole item, or (a leading band with phases) the part that served.
    let labelFrom = run.x0;
    const labelTo = run.x1;
    if (it.style === 'silence') {
      alpha = SILENCE_ALPHA;
      ctx.globalAlpha = alpha;
      ctx.fillRect(run.x0, ty + 2, width, h - 4);
      ctx.globalAlpha = 1;
      diagonalLines(ctx, run.x0, ty + 2, width, h - 4, fill, 4, -1);
      ctx.strokeStyle = fill;
      ctx.strokeRect(run.x0 + 0.5, ty + 2.5, Math.max(width - 1, 0), h - 5);
      stats.hatched++;
    } else {
      const segments = single ? phaseSegments(it) : [];
      if (segments.length === 0) {
        ctx.globalAlpha = alpha;
        ctx.fillRect(run.x0, ty + 2, width, h - 4);
        ctx.globalAlpha = 1;
      } else {
        // Serving, once begun, lasts to the band's end: the label goes there.
        const serving = segments.find((seg) => seg.serving);
        if (serving) labelFrom = Math.min(Math.max(x(serving.start), run.x0), run.x1);
        else alpha = PRE_BROADCAST_ALPHA; // never served: the label goes over the stripes
        for (const seg of segments) {
          const a = Math.max(x(seg.start), run.x0);
          const b = Math.min(Math.max(x(seg.end), a), run.x1);
          if (b <= a) continue;
          if (seg.serving) {
            ctx.globalAlpha = alpha;
            ctx.fillRect(a, ty + 2, Math.max(b - a, 1), h - 4);
            ctx.globalAlpha = 1;
          } else {
            ctx.globalAlpha = PRE_BROADCAST_ALPHA;
            ctx.fillRect(a, ty + 2, Math.max(b - a, 1), h - 4);
            ctx.globalAlpha = 1;
            diagonalLines(ctx, a, ty + 2, Math.max(b - a, 1), h - 4, fill, 5);
            if (b - a > 90 && seg.phase) {
              haloText(
                ctx,
                clip(ctx, seg.phase, b - a - 6),
                Math.max(a, x0) + 3,
                ty + h / 2,
                p.textOn(fill, PRE_BROADCAST_ALPHA),
                p.background,
              );
              ctx.fillStyle = fill;
            }
            stats.striped++;
          }
        }
      }
    }
    if (hoverItem === it.id && single) {
      ctx.strokeStyle = p.focus;
      ctx.lineWidth = 2;
      ctx.strokeRect(run.x0, ty + 1, width, h - 2);
      ctx.lineWidth = 1;
    }
    if (single && labelTo - labelFrom > 40) {
      const text = clip(ctx, it.label, labelTo - labelFrom - 6);
      const colour = p.textOn(fill, alpha);
      // Over stripes or hatching, a halo of the background keeps the letters apart from the lines.
      if (alpha < 0.5 && it.style !== 'zk-following' && it.style !== 'zk-observing')
        haloText(ctx, text, Math.max(labelFrom, x0) + 3, ty + h / 2, colour, p.background);
      else {
        ctx.fillStyle = colour;
        ctx.fillText(text, Math.max(labelFrom, x0) + 3, ty + h / 2);
      }
    }
  }
}

/**
 * A silence over the bands of the log that fell silent (items whose line is in the silent file): hatched
 * across the stretch, so a peer still "leading" while it wrote nothing shows it.
 */
function drawSilenceOverlay(
  ctx: CanvasRenderingContext2D,
  s: Scene,
  box: LaneBox,
  x: (t: number) => number,
  x0: number,
  w: number,
  p: Palette,
  stats: DrawStats,
): void {
  const quiet = s.tracks(box.lane, 'silences');
  if (!quiet) return;
  const [from, to] = quiet.range(s.view.start, s.view.end);
  for (let i = from; i < to; i++) {
    const sil = quiet.items[i];
    if (sil.end < s.view.start) continue;
    for (const tb of box.tracks) {
      if (tb.id === 'silences' || tb.id === 'markers' || tb.id === 'errors') continue;
      const index = s.tracks(box.lane, tb.id);
      if (!index) continue;
      const [a0, a1] = index.range(sil.start, sil.end);
      for (let j = a0; j < a1; j++) {
        const it = index.items[j];
        if (it.marker || (it.file !== sil.file && it.file !== sil.endFile)) continue;
        const a = Math.max(x(Math.max(it.start, sil.start)), x0);
        const b = Math.min(x(Math.min(it.end, sil.end)), x0 + w);
        if (b - a < 2) continue;
        const ty = tb.y - s.scrollY;
        diagonalLines(ctx, a, ty + 2, b - a, tb.height - 4, p.foreground, 4, -1);
        stats.hatched++;
      }
    }
  }
}

function drawErrors(
  ctx: CanvasRenderingContext2D,
  row: number[],
  y: number,
  h: number,
  x: (t: number) => number,
  x0: number,
  w: number,
  p: Palette,
): void {
  let max = 0;
  for (let i = 1; i < row.length; i += 2) max = Math.max(max, row[i]);
  if (max === 0) return;
  ctx.fillStyle = p.errors;
  for (let i = 0; i < row.length; i += 2) {
    const a = x(row[i]);
    const b = Math.max(x(row[i] + 60_000_000), a + 1);
    if (b < x0 || a > x0 + w) continue;
    const bh = Math.max(2, (row[i + 1] / max) * h);
    ctx.fillRect(a, y + h - bh, b - a, bh);
  }
}

/** Text with a 3 px outline of `halo` under it: readable over stripes. */
function haloText(ctx: CanvasRenderingContext2D, text: string, x: number, y: number, colour: string, halo: string): void {
  ctx.save();
  ctx.lineJoin = 'round';
  ctx.lineWidth = 3;
  ctx.strokeStyle = halo;
  ctx.globalAlpha = 0.85;
  ctx.strokeText(text, x, y);
  ctx.globalAlpha = 1;
  ctx.fillStyle = colour;
  ctx.fillText(text, x, y);
  ctx.restore();
}

function clip(ctx: CanvasRenderingContext2D, text: string, width: number): string {
  if (ctx.measureText(text).width <= width) return text;
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (ctx.measureText(text.slice(0, mid) + '…').width <= width) lo = mid;
    else hi = mid - 1;
  }
  return lo > 0 ? text.slice(0, lo) + '…' : '';
}
