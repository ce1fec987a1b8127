import {
  parseCursorMessage,
  type HostToWebview,
  type TimelineData,
  type TimelineItemInfo,
  type WebviewToHost,
} from '../shared/webviewProtocol';
import { OverlapList } from './overlapList';
import { draw, type DrawStats } from './renderer';
import { readPalette, type Palette } from './theme';
import { hitTest, type Hit } from './timeline/hitTest';
import { GEOMETRY, layoutLanes, type LaneBox } from './timeline/layout';
import { keyAction } from './timeline/keys';
import { lineToOpen } from './timeline/phases';
import { silenceUnder } from './timeline/silenceUnder';
import { pointOnScreen, type PointKind, type ScreenPoint } from './screenPoints';
import { drawSyncCursor, viewShowing, type SyncCursor } from './syncCursor';
import { TrackIndex } from './timeline/trackIndex';
import { fit, focusOn, pan, xToTime, zoomAt, type Viewport } from './timeline/viewport';
import { Tooltip } from './tooltip';
import { plural } from '../core/plural';

export interface VsCodeApi {
  postMessage(message: WebviewToHost): void;
  getState(): unknown;
  setState(state: unknown): void;
}

interface SavedState {
  view?: Viewport;
  scrollY?: number;
  selected?: number;
}

/** The panel's state and input handling: zoom, pan, hover, click, keyboard; state survives hiding. */
export class TimelineApp {
  private data: TimelineData | undefined;
  private view: Viewport = { start: 0, end: 1 };
  private scrollY = 0;
  private selected: number | undefined;
  private hover: Hit | undefined;
  private boxes: LaneBox[] = [];
  private contentHeight = 0;
  private tracks = new Map<string, TrackIndex<TimelineItemInfo>>();
  private palette: Palette;
  private readonly canvas: HTMLCanvasElement;
  private readonly ctx: CanvasRenderingContext2D;
  private readonly tooltip: Tooltip;
  private readonly list: OverlapList;
  private readonly status: HTMLElement;
  private frame = 0;
  private drag: { x: number; y: number; view: Viewport; scrollY: number; moved: boolean } | undefined;
  /** Time sync's cursor, and where it was last drawn (tests read both). */
  cursor: SyncCursor = { sync: false };
  cursorX: number | undefined;
  stats: DrawStats = { runs: 0, items: 0, striped: 0, hatched: 0, ms: 0 };

  constructor(
    private readonly doc: Document,
    private readonly vscode: VsCodeApi,
  ) {
    this.canvas = doc.getElementById('canvas') as HTMLCanvasElement;
    this.ctx = this.canvas.getContext('2d') as CanvasRenderingContext2D;
    this.status = doc.getElementById('status') as HTMLElement;
    this.palette = readPalette(doc);
    this.tooltip = new Tooltip(doc, {
      openLine: (uri, line) => this.post({ type: 'openLine', uri, line }),
      openOverlap: (id) => this.post({ type: 'openOverlap', overlap: id }),
      explainOverlap: (id) => this.post({ type: 'explainOverlap', overlap: id }),
    });
    this.list = new OverlapList(doc, {
      zoom: (id) => this.zoomToOverlap(id),
      open: (id) => this.post({ type: 'openOverlap', overlap: id }),
      explain: (id) => this.post({ type: 'explainOverlap', overlap: id }),
    });
    const saved = (vscode.getState() ?? {}) as SavedState;
    if (saved.view) this.view = saved.view;
    this.scrollY = saved.scrollY ?? 0;
    this.selected = saved.selected;
    this.bindInput();
    new ResizeObserver(() => this.redraw()).observe(this.canvas.parentElement as HTMLElement);
    // Theme changes swap the body's classes: re-read the colours.
    new MutationObserver(() => {
      this.palette = readPalette(doc);
      this.redraw();
    }).observe(doc.body, { attributes: true, attributeFilter: ['class'] });
  }

  /** Tells the host the page is listening: it answers with "init". */
  ready(): void {
    this.post({ type: 'ready' });
  }

  onMessage(m: HostToWebview): void {
    if (m.type === 'status') {
      this.status.textContent = m.message;
      return;
    }
    if (m.type === 'init') {
      const first = this.data === undefined;
      this.setData(m.data);
      const saved = (this.vscode.getState() ?? {}) as SavedState;
      if (m.focus) this.focus(m.focus.start, m.focus.end, m.focus.overlap);
      else if (first && !saved.view) this.view = fit({ start: m.data.start, end: m.data.end });
      this.redraw();
      return;
    }
    if (m.type === 'focus') this.focus(m.start, m.end, m.overlap);
    if (m.type === 'cursor') this.setCursor(m);
  }

  /** Time sync moved (or was turned off): the cursor line follows, and the view keeps it on screen. */
  private setCursor(raw: unknown): void {
    const c = parseCursorMessage(raw);
    if (!c) return;
    this.cursor = c;
    if (c.time !== undefined && this.data) this.view = viewShowing(this.view, c.time);
    this.redraw();
  }

  /**
   * Geometry for tests: where an item (at time `at` inside it, else its middle), an overlap's strip mark, or
   * an empty spot of an overlap's band is on screen, in client coordinates (x, y) and relative to the canvas (cx, cy).
   */
  pointFor(kind: PointKind, id: number, at?: number): ScreenPoint | undefined {
    if (!this.data) return undefined;
    return pointOnScreen(
      {
        data: this.data,
        view: this.view,
        boxes: this.boxes,
        scrollY: this.scrollY,
        rect: this.canvas.getBoundingClientRect(),
        width: this.chartWidth(),
        hit: (x, y) => this.hit(x, y),
      },
      kind,
      id,
      at,
    );
  }

  get currentView(): Viewport {
    return this.view;
  }

  private setData(data: TimelineData): void {
    this.data = data;
    const byTrack = new Map<string, TimelineItemInfo[]>();
    for (const it of data.items) {
      const key = `${it.lane}:${it.track}`;
      let list = byTrack.get(key);
      if (!list) byTrack.set(key, (list = []));
      list.push(it);
    }
    this.tracks = new Map([...byTrack].map(([k, v]) => [k, new TrackIndex(v)]));
    const layout = layoutLanes(data.lanes);
    this.boxes = layout.boxes;
    this.contentHeight = layout.height;
    this.list.render(data, this.selected);
    const zone = data.zone ? `times in ${data.zone}` : 'times as written in the logs (no zone set)';
    this.status.textContent = `${plural(data.lanes.length, 'lane')} · ${plural(data.items.length, 'item')} · ${plural(data.overlaps.length, 'overlap')} · ${zone}`;
    // What makes the lanes doubtful (several machines in one lane), above the chart: as text, never markup.
    const warnings = this.doc.getElementById('warnings');
    if (warnings) {
      warnings.textContent = (data.warnings ?? []).map((w) => `⚠ ${w}`).join('\n');
      warnings.hidden = !data.warnings?.length;
    }
  }

  private post(m: WebviewToHost): void {
    this.vscode.postMessage(m);
  }

  private chartWidth(): number {
    return Math.max(this.canvas.clientWidth - GEOMETRY.labelWidth - 8, 10);
  }

  private focus(start: number, end: number, overlap?: number): void {
    this.view = focusOn(start, end);
    // "Show in Timeline" from the overlaps list gives a time range: select the overlap it is.
    overlap ??= this.data?.overlaps.find((o) => o.start === start && o.end === end)?.id;
    if (overlap !== undefined && this.data?.overlaps[overlap]) {
      this.selected = overlap;
      const o = this.data.overlaps[overlap];
      const box = this.boxes[Math.min(...o.lanes)];
      const top = GEOMETRY.axisHeight + GEOMETRY.overlapStripHeight;
      if (box) this.scrollY = Math.max(0, Math.min(box.y - top - 10, this.maxScroll()));
      this.list.render(this.data, this.selected);
    }
    this.redraw();
  }

  private zoomToOverlap(id: number): void {
    const o = this.data?.overlaps[id];
    if (o) this.focus(o.start, o.end, id);
  }

  private maxScroll(): number {
    return Math.max(0, this.contentHeight - this.canvas.clientHeight);
  }

  redraw(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.paint();
    });
  }

  private paint(): void {
    const parent = this.canvas.parentElement as HTMLElement;
    const dpr = window.devicePixelRatio || 1;
    const width = parent.clientWidth;
    const height = parent.clientHeight;
    if (this.canvas.width !== Math.round(width * dpr) || this.canvas.height !== Math.round(height * dpr)) {
      this.canvas.width = Math.round(width * dpr);
      this.canvas.height = Math.round(height * dpr);
      this.canvas.style.width = `${width}px`;
      this.canvas.style.height = `${height}px`;
    }
    this.ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    if (!this.data) return;
    this.scrollY = Math.min(this.scrollY, this.maxScroll());
    this.stats = draw(
      this.ctx,
      {
        data: this.data,
        boxes: this.boxes,
        geometry: GEOMETRY,
        view: this.view,
        scrollY: this.scrollY,
        width,
        height,
        tracks: (lane, track) => this.tracks.get(`${lane}:${track}`),
        selectedOverlap: this.selected,
        hoverItem: this.hover?.kind === 'item' ? this.hover.id : undefined,
      },
      this.palette,
    );
    const chart = { x0: GEOMETRY.labelWidth, width: this.chartWidth(), height, axisHeight: GEOMETRY.axisHeight };
    this.cursorX = drawSyncCursor(this.ctx, this.cursor, this.view, chart, this.palette);
    this.vscode.setState({ view: this.view, scrollY: this.scrollY, selected: this.selected } satisfies SavedState);
  }

  private hit(clientX: number, clientY: number): Hit | undefined {
    if (!this.data) return undefined;
    const r = this.canvas.getBoundingClientRect();
    return hitTest(clientX - r.left, clientY - r.top, {
      boxes: this.boxes,
      geometry: GEOMETRY,
      view: this.view,
      x0: GEOMETRY.labelWidth,
      width: this.chartWidth(),
      scrollY: this.scrollY,
      tracks: (lane, track) => this.tracks.get(`${lane}:${track}`),
      isMarker: (it) => it.marker,
      overlaps: this.data.overlaps,
    });
  }

  private extent(): Viewport {
    return this.data ? { start: this.data.start, end: this.data.end } : this.view;
  }

  private zoom(factor: number, anchor?: number): void {
    this.view = zoomAt(this.view, factor, anchor ?? (this.view.start + this.view.end) / 2, this.extent());
    this.redraw();
  }

  private bindInput(): void {
    const c = this.canvas;
    c.addEventListener(
      'wheel',
      (e) => {
        e.preventDefault();
        const r = c.getBoundingClientRect();
        if (e.shiftKey) {
          this.scrollY = Math.max(0, Math.min(this.scrollY + e.deltaY, this.maxScroll()));
        } else if (Math.abs(e.deltaX) > Math.abs(e.deltaY)) {
          this.view = pan(this.view, (e.deltaX / this.chartWidth()) * (this.view.end - this.view.start));
        } else {
          const anchor = xToTime(e.clientX - r.left, this.view, GEOMETRY.labelWidth, this.chartWidth());
          this.zoom(Math.exp(e.deltaY * (e.ctrlKey ? 0.01 : 0.0015)), anchor);
          return;
        }
        this.redraw();
      },
      { passive: false },
    );
    c.addEventListener('pointerdown', (e) => {
      c.setPointerCapture(e.pointerId);
      this.drag = { x: e.clientX, y: e.clientY, view: this.view, scrollY: this.scrollY, moved: false };
    });
    c.addEventListener('pointermove', (e) => {
      if (this.drag) {
        const dx = e.clientX - this.drag.x;
        const dy = e.clientY - this.drag.y;
        if (Math.abs(dx) + Math.abs(dy) > 3) this.drag.moved = true;
        if (this.drag.moved) {
          const span = this.drag.view.end - this.drag.view.start;
          this.view = pan(this.drag.view, (-dx / this.chartWidth()) * span);
          this.scrollY = Math.max(0, Math.min(this.drag.scrollY - dy, this.maxScroll()));
          this.tooltip.hide();
          this.redraw();
          return;
        }
      }
      this.onHover(e.clientX, e.clientY);
    });
    c.addEventListener('pointerup', (e) => {
      const d = this.drag;
      this.drag = undefined;
      if (d && !d.moved) this.onClick(e.clientX, e.clientY);
    });
    c.addEventListener('pointerleave', () => this.tooltip.hideSoon());
    c.addEventListener('keydown', (e) => this.onKey(e));
    const button = (id: string, fn: () => void) => this.doc.getElementById(id)?.addEventListener('click', fn);
    button('fit', () => {
      this.view = fit(this.extent());
      this.redraw();
    });
    button('zoomIn', () => this.zoom(0.5));
    button('zoomOut', () => this.zoom(2));
  }

  private onHover(x: number, y: number): void {
    const h = this.hit(x, y);
    const same = h?.kind === this.hover?.kind && h?.id === this.hover?.id;
    this.hover = h;
    this.canvas.style.cursor = h ? 'pointer' : 'default';
    if (!h || !this.data) {
      if (!same) this.redraw();
      this.tooltip.hideSoon();
      return;
    }
    if (h.kind === 'item') {
      const it = this.data.items[h.id];
      const at = this.timeAt(x);
      this.tooltip.showItem(this.data, it, x, y, at, silenceUnder(this.tracks.get(`${it.lane}:silences`), it, at));
    } else this.tooltip.showOverlap(this.data, this.data.overlaps[h.id], x, y);
    if (!same) this.redraw();
  }

  private onClick(x: number, y: number): void {
    // With time sync on, a click in the chart is a moment: the editors go there (lines open from the tooltip).
    if (this.cursor.sync && this.data && x - this.canvas.getBoundingClientRect().left >= GEOMETRY.labelWidth) {
      const time = Math.round(this.timeAt(x));
      this.cursor = { time, sync: true };
      this.redraw();
      this.post({ type: 'pickTime', time });
      return;
    }
    const h = this.hit(x, y);
    if (!h || !this.data) return;
    if (h.kind === 'overlap') {
      this.post({ type: 'openOverlap', overlap: h.id });
      return;
    }
    // A silence opens where the log resumes; a leading band the line of the phase clicked.
    const target = lineToOpen(this.data.items[h.id], this.timeAt(x));
    this.post({ type: 'openLine', uri: this.data.files[target.file].uri, line: target.line });
  }

  /** The time under a client x coordinate. */
  private timeAt(clientX: number): number {
    return xToTime(clientX - this.canvas.getBoundingClientRect().left, this.view, GEOMETRY.labelWidth, this.chartWidth());
  }

  private onKey(e: KeyboardEvent): void {
    const a = keyAction(e.key);
    if (!a) return;
    const count = this.data?.overlaps.length ?? 0;
    switch (a.kind) {
      case 'pan':
        this.view = pan(this.view, (this.view.end - this.view.start) * a.fraction);
        break;
      case 'scroll':
        this.scrollY = Math.max(0, Math.min(this.maxScroll(), this.scrollY + a.pixels));
        break;
      case 'zoom':
        this.zoom(a.factor);
        return;
      case 'fit':
        this.view = fit(this.extent());
        break;
      case 'step':
        if (count) this.zoomToOverlap(this.selected === undefined ? 0 : (this.selected + a.by + count) % count);
        return;
      case 'open':
      case 'explain':
        if (this.selected !== undefined) this.post({ type: a.kind === 'open' ? 'openOverlap' : 'explainOverlap', overlap: this.selected });
        return;
    }
    e.preventDefault();
    this.redraw();
  }
}
