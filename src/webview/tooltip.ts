import type { TimelineData, TimelineItemInfo, TimelineOverlapInfo } from '../shared/webviewProtocol';
import { overlapFacts } from './overlapWords';
import { phaseAt, phaseSegments, type PhaseSegment } from './timeline/phases';
import { formatDuration, formatFull } from './timeline/ticks';

export interface TooltipActions {
  openLine(uri: string, line: number): void;
  openOverlap(id: number): void;
  explainOverlap(id: number): void;
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

  /**
   * The card for an item; `at` is the time under the pointer (which phase of a leading band it is in), and
   * `silence` the silence of the item's log there, if any (a peer still "leading" that wrote nothing).
   */
  showItem(data: TimelineData, it: TimelineItemInfo, x: number, y: number, at = it.start, silence?: TimelineItemInfo): void {
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
    // Words the extension made (a silence's length, an expiry's verdict): text, like everything else.
    if (it.detail) parts.push(line(doc, 'div', it.detail, it.style === 'sessionExpiredIneffective' ? 'detail ineffective' : 'detail'));
    const file = data.files[it.file];
    const open = (f: number, l: number) => this.actions.openLine(data.files[f].uri, l);
    const name = (f: number, l: number) => `${data.files[f].path.split('/').pop() ?? ''}:${l}`;
    if (it.style === 'silence' && it.endFile !== undefined && it.endLine !== undefined) {
      const after = { file: it.endFile, line: it.endLine };
      parts.push(this.button(doc, `Open the first line after: ${name(after.file, after.line)}`, () => open(after.file, after.line)));
      parts.push(this.button(doc, `Open the last line before: ${name(it.file, it.line)}`, () => open(it.file, it.line)));
      parts.push(line(doc, 'div', data.files[after.file].path, 'path'));
      this.show(parts, x, y);
      return;
    }
    if (silence) parts.push(line(doc, 'div', `here: ${silence.label}, ${silence.detail ?? ''}`, 'silent'));
    const segments = phaseSegments(it);
    if (segments.length > 0) parts.push(...this.phaseLines(doc, it, segments, phaseAt(it, at), open));
    parts.push(line(doc, 'pre', it.text));
    parts.push(this.button(doc, `Open ${name(it.file, it.line)}`, () => open(it.file, it.line)));
    if (it.endFile !== undefined && it.endLine !== undefined) {
      const endFile = it.endFile;
      const endLine = it.endLine;
      if (it.endText) parts.push(line(doc, 'pre', it.endText));
      parts.push(this.button(doc, `Open end line ${name(endFile, endLine)}`, () => open(endFile, endLine)));
    }
    parts.push(line(doc, 'div', file.path, 'path'));
    this.show(parts, x, y);
  }

  /** A leading band's phases, the one under the pointer first, each with its time; its line one click away. */
  private phaseLines(
    doc: Document,
    it: TimelineItemInfo,
    segments: PhaseSegment[],
    here: PhaseSegment | undefined,
    open: (file: number, line: number) => void,
  ): HTMLElement[] {
    const out: HTMLElement[] = [];
    if (here) out.push(line(doc, 'div', `here: ${phaseWords(here)}`, here.serving ? 'phase' : 'phase preBroadcast'));
    const list = doc.createElement('ul');
    list.className = 'phases';
    for (const seg of segments) {
      list.append(
        line(doc, 'li', `${seg.phase ?? 'before broadcast'} from ${formatFull(seg.start)} (${formatDuration(seg.end - seg.start)})`),
      );
    }
    out.push(list);
    const mark = here?.mark;
    // The band's own line is shown below: a phase logged on it (`leading - discovery`) is not repeated.
    if (mark && !(mark.file === it.file && mark.line === it.line)) {
      out.push(line(doc, 'pre', mark.text));
      out.push(this.button(doc, `Open the ${mark.phase} line`, () => open(mark.file, mark.line)));
    }
    return out;
  }

  showOverlap(data: TimelineData, o: TimelineOverlapInfo, x: number, y: number): void {
    const doc = this.el.ownerDocument;
    const [a, b] = o.lanes.map((l) => data.lanes[l]?.label ?? '?');
    this.show(
      [
        line(doc, 'strong', `${o.role} overlap: ${a} ∩ ${b}`),
        line(doc, 'div', `${formatFull(o.start)} → ${formatFull(o.end)} (${formatDuration(o.end - o.start)})`),
        ...overlapFacts(o).map((f) => line(doc, 'div', f.text, f.className)),
        this.button(doc, 'Open both lines side by side', () => this.actions.openOverlap(o.id)),
        this.button(doc, 'Explain this overlap', () => this.actions.explainOverlap(o.id)),
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

/** `discovery (not serving yet)`, `broadcast (serving)`, `before broadcast (not serving yet)`. */
function phaseWords(seg: PhaseSegment): string {
  return `${seg.phase ?? 'before broadcast'} (${seg.serving ? 'serving' : 'not serving yet'})`;
}

function line(doc: Document, tag: string, text: string, className?: string): HTMLElement {
  const el = doc.createElement(tag);
  el.textContent = text;
  if (className) el.className = className;
  return el;
}
