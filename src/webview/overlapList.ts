import type { TimelineData } from '../shared/webviewProtocol';
import { formatDuration, formatFull } from './timeline/ticks';

/** The side list of overlaps: each one zooms the chart to it; "Open" opens both source lines. */
export class OverlapList {
  private readonly el: HTMLElement;

  constructor(
    doc: Document,
    private readonly onZoom: (id: number) => void,
    private readonly onOpen: (id: number) => void,
  ) {
    const el = doc.getElementById('overlaps');
    if (!el) throw new Error('no #overlaps');
    this.el = el;
  }

  render(data: TimelineData, selected?: number): void {
    const doc = this.el.ownerDocument;
    const title = doc.createElement('h2');
    title.textContent = data.overlaps.length ? `Overlaps (${data.overlaps.length})` : 'No overlaps';
    const list = doc.createElement('ol');
    for (const o of data.overlaps) {
      const li = doc.createElement('li');
      if (o.id === selected) li.className = 'selected';
      const zoom = doc.createElement('button');
      zoom.type = 'button';
      zoom.className = 'zoom';
      zoom.dataset.overlap = String(o.id);
      const [a, b] = o.lanes.map((l) => data.lanes[l]?.label ?? '?');
      const head = doc.createElement('span');
      head.textContent = `${o.role} · ${a} ∩ ${b}`;
      const dur = doc.createElement('span');
      dur.className = 'duration';
      dur.textContent = formatDuration(o.end - o.start);
      const when = doc.createElement('span');
      when.className = 'when';
      when.textContent = formatFull(o.start);
      zoom.append(head, dur, when);
      if (o.clockUncertaintyMs !== undefined) {
        // Seed 000 checks NTP before trusting an overlap: one shorter than the clocks' disagreement may not be real.
        const clock = doc.createElement('span');
        clock.className = o.uncertain ? 'clock uncertain' : 'clock';
        clock.textContent = `${o.uncertain ? '⚠ uncertain: ' : ''}clocks ±${Math.round(o.clockUncertaintyMs)} ms (NTP)`;
        zoom.append(clock);
      }
      zoom.title = 'Zoom to this overlap';
      zoom.addEventListener('click', () => this.onZoom(o.id));
      const open = doc.createElement('button');
      open.type = 'button';
      open.className = 'open';
      open.textContent = 'Open';
      open.title = 'Open both nodes\u2019 lines side by side';
      open.addEventListener('click', () => this.onOpen(o.id));
      li.append(zoom, open);
      list.append(li);
    }
    this.el.replaceChildren(title, list);
  }
}
