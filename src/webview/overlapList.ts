import type { TimelineData } from '../shared/webviewProtocol';
import { overlapFacts } from './overlapWords';
import { formatDuration, formatFull } from './timeline/ticks';

export interface OverlapListActions {
  /** Zooms the chart to the overlap. */
  zoom(id: number): void;
  /** Opens both nodes' lines side by side. */
  open(id: number): void;
  /** Asks the host for the overlap's report. */
  explain(id: number): void;
}

/**
 * The side list of overlaps: each one zooms the chart to it and names its stale side and how long both
 * served; "Open" opens both source lines, "Explain" the overlap's report.
 */
export class OverlapList {
  private readonly el: HTMLElement;

  constructor(
    doc: Document,
    private readonly actions: OverlapListActions,
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
      for (const f of overlapFacts(o)) {
        const span = doc.createElement('span');
        span.className = f.className;
        span.textContent = f.text;
        zoom.append(span);
      }
      zoom.title = 'Zoom to this overlap';
      zoom.addEventListener('click', () => this.actions.zoom(o.id));
      const actions = doc.createElement('div');
      actions.className = 'actions';
      actions.append(
        button(doc, 'open', 'Open', 'Open both nodes\u2019 lines side by side', () => this.actions.open(o.id)),
        button(doc, 'explain', 'Explain', 'Explain this overlap: both terms, the stale side, phases, silences, faults', () =>
          this.actions.explain(o.id),
        ),
      );
      for (const el of actions.children) (el as HTMLElement).dataset.overlap = String(o.id);
      li.append(zoom, actions);
      list.append(li);
    }
    this.el.replaceChildren(title, list);
  }
}

function button(doc: Document, className: string, text: string, title: string, onClick: () => void): HTMLButtonElement {
  const b = doc.createElement('button');
  b.type = 'button';
  b.className = className;
  b.textContent = text;
  b.title = title;
  b.addEventListener('click', onClick);
  return b;
}
