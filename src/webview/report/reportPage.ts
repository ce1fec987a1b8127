// (The root tsconfig compiles this folder too, without the DOM library: the reference brings it in.)
import { visibleControls } from '../../core/inertText';
import type {
  FaultNearby,
  IntervalInfo,
  OverlapInfo,
  OverlapReport,
  SessionEventInfo,
  SilenceInfo,
  SourceLocation,
} from '../../service/results';
import type { HostToReport, OverlapKey, ReportState, ReportToHost } from '../../shared/reportProtocol';

export interface VsCodeApi {
  postMessage(message: ReportToHost): void;
  getState(): unknown;
  setState(state: unknown): void;
}

/** A line of the report: where it is, when, on which node, and its text when the report has it. */
interface ReportLine {
  location: SourceLocation;
  time?: string;
  node: string;
  text?: string;
  /** What the line is to the report ("start", "broadcast", "during", "expired …"). */
  tag?: string;
}

/**
 * The overlap report page, built from the structured report with DOM calls and `textContent` only: a log
 * line such as `<img src=x onerror=alert(1)>` shows as those characters and does nothing. Every line is a
 * button (click, Enter or Space) that asks the host to open it beside the panel.
 */
export class ReportPage {
  private key: OverlapKey | undefined;
  private readonly main: HTMLElement;
  private readonly status: HTMLElement;
  private scrollTimer: number | undefined;

  constructor(
    private readonly doc: Document,
    private readonly vscode: VsCodeApi,
  ) {
    this.main = byId(doc, 'report');
    this.status = byId(doc, 'status');
    byId(doc, 'copyMarkdown').addEventListener('click', () => this.vscode.postMessage({ type: 'copy', format: 'markdown' }));
    byId(doc, 'copyJson').addEventListener('click', () => this.vscode.postMessage({ type: 'copy', format: 'json' }));
    doc.defaultView?.addEventListener('scroll', () => {
      window.clearTimeout(this.scrollTimer);
      this.scrollTimer = window.setTimeout(() => this.saveState(), 150);
    });
  }

  /** Tells the host the page listens: it answers with the report. */
  ready(): void {
    this.vscode.postMessage({ type: 'ready' });
  }

  onMessage(m: HostToReport): void {
    switch (m.type) {
      case 'status':
        this.status.textContent = m.message;
        return;
      case 'problem':
        this.status.textContent = '';
        this.main.replaceChildren(this.el('p', 'problem', m.message));
        return;
      case 'report': {
        const saved = this.vscode.getState() as ReportState | undefined;
        const sameOverlap = saved && JSON.stringify(saved.key) === JSON.stringify(m.key);
        this.key = m.key;
        this.status.textContent = '';
        this.render(m.report);
        this.saveState();
        if (sameOverlap && saved.scrollY) window.scrollTo(0, saved.scrollY);
        return;
      }
    }
  }

  private saveState(): void {
    if (!this.key) return;
    const state: ReportState = { key: this.key, scrollY: window.scrollY };
    this.vscode.setState(state);
  }

  private render(r: OverlapReport): void {
    const o = r.overlap;
    const parts: HTMLElement[] = [];
    parts.push(this.el('h1', undefined, `${o.role} leader overlap: ${o.nodeLabels[0]} ∩ ${o.nodeLabels[1]}`));
    parts.push(
      this.el('p', 'when', `${duration(o.seconds)} · ${spaced(o.startLabel)} → ${spaced(o.endLabel)}${o.bundle ? ` · ${o.bundle}` : ''}`),
    );
    parts.push(this.summary(r));
    if (r.warnings.length) {
      const w = this.el('div', 'warnings');
      w.setAttribute('role', 'alert');
      for (const text of r.warnings) w.append(this.el('p', undefined, `⚠ ${text}`));
      parts.push(w);
    }
    parts.push(this.section('Terms', [this.terms(o)]));
    parts.push(this.section('Stale side evidence', this.evidence(r)));
    parts.push(
      this.section(
        'Silences',
        this.orNone(
          o.silences.map((s) => this.silence(s)),
          'No silence found on either node.',
        ),
      ),
    );
    parts.push(
      this.section(
        'Faults',
        this.orNone(
          o.faults.map((f) => this.fault(f)),
          'No fault injection logged before or during it.',
        ),
      ),
    );
    parts.push(
      this.section(
        'ZooKeeper states around it',
        this.orNone(
          [
            this.lines(
              r.states.map((l) => ({ ...l, time: l.timeLabel, node: l.nodeLabel, tag: relation(o, l.time) })),
              'states',
            ),
          ],
          'No ZooKeeper state or role line logged on either node around it.',
          r.states.length,
        ),
      ),
    );
    parts.push(
      this.section(
        'Sessions',
        this.orNone(
          r.sessions.map((s) => this.session(s)),
          'No session expiry or close logged around it.',
        ),
      ),
    );
    parts.push(this.section('Clock', this.clock(o)));
    this.main.replaceChildren(...parts);
  }

  private summary(r: OverlapReport): HTMLElement {
    const o = r.overlap;
    const dl = this.el('dl', 'summary');
    const row = (term: string, value: string, className?: string) => {
      dl.append(this.el('dt', undefined, term), this.el('dd', className, value));
    };
    row('Stale side', o.stale ? `${o.stale.nodeLabel} — ${o.stale.why}` : 'the logs do not tell', o.stale ? 'stale' : undefined);
    const serving = o.bothServing;
    if (serving) row('Both serving', 'start' in serving ? `${duration(serving.seconds)} in broadcast at once` : 'never both in broadcast');
    else if (o.role === 'zk') row('Both serving', 'not known: the phases were not logged');
    row('Nearest fault', o.faults[0]?.words ?? 'none logged before or during it');
    const longest = o.silences.reduce<SilenceInfo | undefined>((a, b) => (!a || b.seconds > a.seconds ? b : a), undefined);
    row(
      'Silences',
      longest
        ? `${longest.nodeLabel} (${longest.program}) wrote nothing for ${duration(longest.seconds)}${o.silences.length > 1 ? ` (${o.silences.length} in all)` : ''}`
        : 'none found',
    );
    const not = r.sessions.filter((s) => s.effective === false).length;
    row(
      'Session expiries',
      r.sessions.length ? `${r.sessions.length} logged around it, ${not} did not take effect` : 'none logged around it',
      not ? 'ineffective' : undefined,
    );
    row('Clock', clockWords(o), o.uncertain ? 'uncertain' : undefined);
    return dl;
  }

  private terms(o: OverlapInfo): HTMLElement {
    const grid = this.el('div', 'terms');
    for (const iv of o.intervals) {
      const card = this.el('div', o.stale?.node === iv.node ? 'term stale' : 'term');
      const head = this.el('h3', undefined, iv.nodeLabel);
      if (o.stale?.node === iv.node) head.append(' ', this.el('span', 'badge', 'stale'));
      card.append(head, this.el('p', 'facts', termFacts(iv)));
      // A phase logged on the start line (3.5+ "leading - discovery") is named with the start, not repeated.
      const phases = iv.phases ?? [];
      const atStart = phases.filter((p) => sameLine(p.source, iv.startSource)).map((p) => p.phase);
      const lines: ReportLine[] = [
        { location: iv.startSource, time: iv.startLabel, node: iv.nodeLabel, text: iv.startText, tag: ['start', ...atStart].join(' · ') },
      ];
      for (const p of phases)
        if (!sameLine(p.source, iv.startSource))
          lines.push({ location: p.source, time: p.timeLabel, node: iv.nodeLabel, text: p.text, tag: p.phase });
      lines.push({ location: iv.endSource, time: iv.endLabel, node: iv.nodeLabel, text: iv.endText, tag: 'end' });
      card.append(this.lines(lines, 'term-lines'));
      grid.append(card);
    }
    return grid;
  }

  private evidence(r: OverlapReport): HTMLElement[] {
    const o = r.overlap;
    if (!o.stale) return [this.el('p', 'none', 'The logs do not tell which side is stale.')];
    const label = (node: string) => o.nodeLabels[o.nodes.indexOf(node)] ?? node;
    return [
      this.el('p', undefined, `${o.stale.nodeLabel} is the stale side: ${o.stale.why}.`),
      this.lines(
        o.stale.evidence.map((e) => ({ location: e.location, time: e.timeLabel, node: label(e.node), text: e.text })),
        'evidence',
      ),
    ];
  }

  private silence(s: SilenceInfo): HTMLElement {
    const box = this.el('div', 'item');
    box.append(
      this.el(
        'p',
        undefined,
        `${s.nodeLabel} (${s.program}) wrote nothing for ${duration(s.seconds)}, ${spaced(s.fromLabel)} → ${spaced(s.toLabel)} (usually a line every ${s.usualSpacingMs} ms)`,
      ),
      this.lines(
        [
          { location: s.before, time: s.fromLabel, node: s.nodeLabel, tag: 'last before' },
          { location: s.after, time: s.toLabel, node: s.nodeLabel, tag: 'first after' },
        ],
        'silence-lines',
      ),
    );
    return box;
  }

  private fault(f: FaultNearby): HTMLElement {
    const box = this.el('div', 'item');
    box.append(
      this.el('p', undefined, `${f.words} (${spaced(f.startLabel)} → ${f.open ? 'never restored' : spaced(f.endLabel)})`),
      this.lines([{ location: f.source, time: f.startLabel, node: f.nodeLabel ?? f.node ?? '', text: f.text, tag: f.tool }], 'fault-lines'),
    );
    return box;
  }

  private session(s: SessionEventInfo): HTMLElement {
    const box = this.el('div', s.effective === false ? 'item ineffective' : 'item');
    const head = this.el('p', undefined, s.what);
    if (s.effective !== undefined) head.append(' ', this.el('span', 'badge', s.effective ? 'took effect' : 'did not take effect'));
    box.append(head);
    if (s.why) box.append(this.el('p', 'why', s.why));
    box.append(this.lines([{ location: s.location, time: s.timeLabel, node: s.nodeLabel, text: s.text }], 'session-lines'));
    return box;
  }

  private clock(o: OverlapInfo): HTMLElement[] {
    const out = [
      this.el(
        'p',
        undefined,
        o.clockOffsetMs !== undefined
          ? `Configured clock offset between the two nodes: ${o.clockOffsetMs} ms, applied before comparing.`
          : 'No clock offset configured for either node: the times are as logged.',
      ),
      this.el(
        'p',
        o.uncertain ? 'uncertain' : undefined,
        o.clockUncertaintyMs === undefined
          ? "Neither node's logs measured its clock (NTP/chrony)."
          : `The two nodes' largest measured offsets add up to ${Math.round(o.clockUncertaintyMs)} ms; the overlap lasts ${duration(o.seconds)}${o.uncertain ? ': it may not be real.' : '.'}`,
      ),
    ];
    for (const iv of o.intervals)
      if (iv.clockStepped) out.push(this.el('p', undefined, `The clock of ${iv.nodeLabel} stepped back during its term.`));
    return out;
  }

  /** A list of lines, each one opening its source beside the panel. */
  private lines(lines: ReportLine[], className: string): HTMLElement {
    const list = this.el('ol', `lines ${className}`);
    for (const l of lines) {
      const li = this.el('li', 'line');
      li.tabIndex = 0;
      li.setAttribute('role', 'button');
      const where = `${l.location.file}:${l.location.line}`;
      li.title = `Open ${visibleControls(where)} beside`;
      const top = this.el('div', 'meta');
      if (l.tag) top.append(this.el('span', `tag tag-${l.tag.split(' ').pop() ?? ''}`, l.tag));
      top.append(
        this.el('span', 'time', l.time ? spaced(l.time) : 'time not known'),
        this.el('span', 'node', l.node),
        this.el('span', 'src', where),
      );
      li.append(top);
      if (l.text !== undefined) li.append(this.el('div', 'text', l.text));
      const open = () => this.vscode.postMessage({ type: 'openLine', uri: l.location.uri, line: l.location.line });
      li.addEventListener('click', open);
      li.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          open();
        }
      });
      list.append(li);
    }
    return list;
  }

  private section(title: string, body: HTMLElement[]): HTMLElement {
    const s = this.el('section');
    s.append(this.el('h2', undefined, title), ...body);
    return s;
  }

  private orNone(items: HTMLElement[], none: string, count = items.length): HTMLElement[] {
    return count ? items : [this.el('p', 'none', none)];
  }

  /** An element with text from anywhere (log lines included): always `textContent`, controls made visible. */
  private el(tag: string, className?: string, text?: string): HTMLElement {
    const e = this.doc.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined) e.textContent = visibleControls(text);
    return e;
  }
}

const lineKey = (l: SourceLocation) => `${l.uri}#${l.line}`;
const sameLine = (a: SourceLocation, b: SourceLocation) => lineKey(a) === lineKey(b);

function byId(doc: Document, id: string): HTMLElement {
  const e = doc.getElementById(id);
  if (!e) throw new Error(`no #${id}`);
  return e;
}

function termFacts(iv: IntervalInfo): string {
  const facts = [`${spaced(iv.startLabel)} → ${spaced(iv.endLabel)}`, duration(iv.seconds)];
  if (iv.epoch !== undefined) facts.push(`epoch ${iv.epoch}${iv.epochBy ? ` (${EPOCH_BY[iv.epochBy]})` : ''}`);
  else if (iv.epochAtLeast !== undefined) facts.push(`epoch at least ${iv.epochAtLeast}${iv.epochBy ? ` (${EPOCH_BY[iv.epochBy]})` : ''}`);
  if (iv.electionSeq !== undefined) facts.push(`election seq ${iv.electionSeq}`);
  facts.push(`ended by ${iv.endReasonText}`);
  return facts.join(' · ');
}

const EPOCH_BY: Record<NonNullable<IntervalInfo['epochBy']>, string> = {
  quorum: 'quorum line',
  txnLog: 'own txn logs',
  followersTxnLog: "followers' txn logs",
};

function clockWords(o: OverlapInfo): string {
  if (o.clockUncertaintyMs === undefined) return 'not measured (no NTP/chrony offsets)';
  const ms = Math.round(o.clockUncertaintyMs);
  return o.uncertain ? `uncertain: no longer than the clocks may differ (±${ms} ms)` : `clocks within ±${ms} ms (NTP)`;
}

function relation(o: OverlapInfo, t: number | undefined): string {
  if (t === undefined) return 'undated';
  return t < o.start ? 'before' : t <= o.end ? 'during' : 'after';
}

const spaced = (label: string): string => label.replace('T', ' ');

function duration(seconds: number): string {
  return seconds < 100 ? `${seconds} s` : `${seconds} s (${(seconds / 60).toFixed(1)} min)`;
}
