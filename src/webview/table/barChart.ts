import { cellText, type ResultTable, type TableRow } from '../../core/workflows/resultTable';
import { visibleControls } from '../../core/inertText';

const SVG = 'http://www.w3.org/2000/svg';
/** Lane colours come from the theme (media/table.css: `.series-N rect { fill: var(--vscode-charts-…) }`). */
const SERIES = 6;
/** The node labels' column: as wide as the longest label needs, within these bounds. */
const LABEL_MIN = 80;
const LABEL_MAX = 260;
const TOTAL_WIDTH = 80;
const LANE_HEIGHT = 30;
const BAR_HEIGHT = 22;
const AXIS_HEIGHT = 34;
/** Room a bucket label needs on the axis (`2023-03-14 01:00` at the page's font size). */
const LABEL_ROOM = 118;

/** Text widths in the chart's font, measured on a canvas (the SVG is not in the document yet). */
function measurer(doc: Document, font: string): (text: string) => number {
  const ctx = doc.createElement('canvas').getContext('2d');
  if (!ctx) return (t) => t.length * 7.5;
  ctx.font = font;
  return (t) => ctx.measureText(t).width;
}

/** A node label cut with an ellipsis to fit `room` pixels (the full label is in the tooltip); control characters visible. */
function fitted(label: string, room: number, width: (t: string) => number): string {
  const t = visibleControls(label);
  if (width(t) <= room) return t;
  let lo = 0;
  let hi = t.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (width(`${t.slice(0, mid)}…`) <= room) lo = mid;
    else hi = mid - 1;
  }
  return `${t.slice(0, lo)}…`;
}

/**
 * Count per Node's bars: one lane per node (in the table's order), one bar per bucket, every lane on the
 * same scale so nodes compare at a glance, the node's total at the lane's end. Built with createElementNS
 * and textContent only; each bar's `<title>` is its tooltip ("172.20.131.241 · 2023-03-14 01:00: 3").
 * Returns undefined when there is nothing to draw (statistics, or no buckets).
 */
export function countChart(
  doc: Document,
  table: ResultTable,
  rows: readonly TableRow[],
  width: number,
  font: string,
): SVGSVGElement | undefined {
  const buckets = table.columns.flatMap((c, i) => (c.bucket ? [i] : []));
  const totalAt = table.columns.findIndex((c) => c.id === 'total');
  const lanes = rows.filter((r) => !r.summary);
  if (table.kind !== 'count' || buckets.length === 0 || lanes.length === 0) return undefined;
  const measure = measurer(doc, font);
  const LABEL_WIDTH = Math.min(
    LABEL_MAX,
    Math.max(LABEL_MIN, Math.ceil(Math.max(...lanes.map((r) => measure(visibleControls(r.label))))) + 20),
  );
  const plot = Math.max(160, width - LABEL_WIDTH - TOTAL_WIDTH);
  const step = plot / buckets.length;
  const gap = step >= 6 ? Math.min(3, step * 0.2) : 0;
  const value = (r: TableRow, i: number) => {
    const v = r.cells[i];
    return typeof v === 'number' ? v : 0;
  };
  const tallest = Math.max(1, ...lanes.flatMap((r) => buckets.map((i) => value(r, i))));
  const height = lanes.length * LANE_HEIGHT + AXIS_HEIGHT;
  const el = <K extends keyof SVGElementTagNameMap>(name: K, attrs: Record<string, string | number>, text?: string) => {
    const e = doc.createElementNS(SVG, name);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
    if (text !== undefined) e.textContent = text;
    return e;
  };
  const svg = el('svg', {
    width: LABEL_WIDTH + plot + TOTAL_WIDTH,
    height,
    viewBox: `0 0 ${LABEL_WIDTH + plot + TOTAL_WIDTH} ${height}`,
    role: 'img',
    'aria-label': `${table.title}: bars per node and bucket, the tallest ${tallest}`,
  });
  lanes.forEach((r, k) => {
    const top = k * LANE_HEIGHT;
    const base = top + 4 + BAR_HEIGHT;
    const lane = el('g', { class: `lane series-${k % SERIES}`, 'data-row': r.id });
    const name = el(
      'text',
      { class: 'node', x: LABEL_WIDTH - 10, y: base - 6, 'text-anchor': 'end' },
      fitted(r.label, LABEL_WIDTH - 14, measure),
    );
    name.append(el('title', {}, visibleControls(r.label)));
    lane.append(name, el('line', { class: 'baseline', x1: LABEL_WIDTH, x2: LABEL_WIDTH + plot, y1: base + 0.5, y2: base + 0.5 }));
    buckets.forEach((col, b) => {
      const v = value(r, col);
      if (v <= 0) return;
      const h = Math.max(1, Math.round((v / tallest) * BAR_HEIGHT));
      const bar = el('rect', {
        x: (LABEL_WIDTH + b * step + gap / 2).toFixed(2),
        y: base - h,
        width: Math.max(1, step - gap).toFixed(2),
        height: h,
        'data-bucket': table.columns[col].id,
      });
      bar.append(el('title', {}, `${visibleControls(r.label)} · ${table.columns[col].label}: ${cellText(v)}`));
      lane.append(bar);
    });
    if (totalAt >= 0) lane.append(el('text', { class: 'total', x: LABEL_WIDTH + plot + 10, y: base - 6 }, cellText(r.cells[totalAt])));
    svg.append(lane);
  });
  // Bucket labels on the axis, as many as fit without touching, always the first.
  const axisY = lanes.length * LANE_HEIGHT + 18;
  const every = Math.max(1, Math.ceil(LABEL_ROOM / step));
  const axis = el('g', { class: 'axis' });
  for (let b = 0; b < buckets.length; b += every) {
    const x = LABEL_WIDTH + b * step;
    axis.append(
      el('line', { class: 'tick', x1: x + 0.5, x2: x + 0.5, y1: axisY - 16, y2: axisY - 10 }),
      el('text', { x: x + 2, y: axisY + 2 }, table.columns[buckets[b]].label),
    );
  }
  svg.append(axis);
  return svg;
}
