import type { TimelineData, TimelineItemInfo, TimelineOverlapInfo } from '../shared/webviewProtocol';
import { formatDuration, formatFull } from './timeline/ticks';

export interface TooltipActions {
  openLine(uri: string, line: number): void;
  openOverlap(id: number): void;
}

/**
 * The hover card. Every piece of log text goes in through textContent: a line such as
 * `<img src=x onerror=alert(1)>` shows as those characters and does nothing.
 */
export class Tooltip {
  private readonly el: HTMLElement;
  private hideTimer: number | undefined;
  private pinned = false;

  constructor(
    doc: Document,
    private readonly actions: TooltipActions,
  ) {
    const el = doc.getElementById('tooltip');
    if (!el) throw new Error('no #tooltip');
    this.el = el;
    el.addEventListener('mouseenter', () => {
      this.pinned = true;
      window.clearTimeout(this.hideTimer);
    });
    el.addEventListener('mouseleave', () => {
      this.pinned = false;
      this.hideSoon();
    });
  }

  get visible(): boolean {
    return !this.el.hidden;
  }

  showItem(data: TimelineData, it: TimelineItemInfo, x: number, y: number): void {
    const doc = this.el.ownerDocument;
    const lane = data.lanes[it.lane];
    const parts: HTMLElement[] = [];
    parts.push(line(doc, 'strong', `${it.label} — ${lane?.label ?? ''}`));
    parts.push(
      line(
        doc,
        'div',
        it.marker ? formatFull(it.start) : `${formatFull(it.start)} → ${formatFull(it.end)} (${formatDuration(it.end - it.start)})`,
      ),
    );
    parts.push(line(doc, 'pre', it.text));
    const file = data.files[it.file];
    parts.push(this.button(doc, `Open ${file.path.split('/').pop() ?? ''}:${it.line}`, () => this.actions.openLine(file.uri, it.line)));
    if (it.endFile !== undefined && it.endLine !== undefined) {
      const end = data.files[it.endFile];
      if (it.endText) parts.push(line(doc, 'pre', it.endText));
      parts.push(
        this.button(doc, `Open end line ${end.path.split('/').pop() ?? ''}:${it.endLine}`, () =>
          this.actions.openLine(end.uri, it.endLine as number),
        ),
      );
    }
    parts.push(line(doc, 'div', file.path, 'path'));
    this.show(parts, x, y);
  }

  showOverlap(data: TimelineData, o: TimelineOverlapInfo, x: number, y: number): void {
    const doc = this.el.ownerDocument;
    const [a, b] = o.lanes.map((l) => data.lanes[l]?.label ?? '?');
    this.show(
      [
        line(doc, 'strong', `${o.role} overlap: ${a} ∩ ${b}`),
        line(doc, 'div', `${formatFull(o.start)} → ${formatFull(o.end)} (${formatDuration(o.end - o.start)})`),
        this.button(doc, 'Open both lines side by side', () => this.actions.openOverlap(o.id)),
      ],
      x,
      y,
    );
  }

  hideSoon(): void {
    window.clearTimeout(this.hideTimer);
    this.hideTimer = window.setTimeout(() => {
      if (!this.pinned) this.el.hidden = true;
    }, 250);
  }

  hide(): void {
    this.el.hidden = true;
  }

  private show(children: HTMLElement[], x: number, y: number): void {
    window.clearTimeout(this.hideTimer);
    this.el.replaceChildren(...children);
    this.el.hidden = false;
    const r = this.el.getBoundingClientRect();
    const vw = window.innerWidth;
    const vh = window.innerHeight;
    this.el.style.left = `${Math.max(4, Math.min(x + 14, vw - r.width - 4))}px`;
    this.el.style.top = `${Math.max(4, y + 18 + r.height > vh ? y - r.height - 10 : y + 18)}px`;
  }

  private button(doc: Document, text: string, onClick: () => void): HTMLElement {
    const b = doc.createElement('button');
    b.type = 'button';
    b.textContent = text;
    b.addEventListener('click', onClick);
    return b;
  }
}

function line(doc: Document, tag: string, text: string, className?: string): HTMLElement {
  const el = doc.createElement(tag);
  el.textContent = text;
  if (className) el.className = className;
  return el;
}
