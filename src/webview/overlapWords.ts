import type { TimelineOverlapInfo } from '../shared/webviewProtocol';
import { formatDuration } from './timeline/ticks';

/** One line of what is known about an overlap, with the class that styles it. */
export interface OverlapFact {
  text: string;
  className: string;
}

/**
 * What explains an overlap, in the list and the tooltip alike: whether the clocks may account for it, which
 * side is stale and why (`stale: 172.20.131.242 — election seq 381 < 416`), and how long both leaders served.
 */
export function overlapFacts(o: TimelineOverlapInfo): OverlapFact[] {
  const out: OverlapFact[] = [];
  if (o.clockUncertaintyMs !== undefined) {
    // Seed 000 checks NTP before trusting an overlap: one shorter than the clocks' disagreement may not be real.
    out.push({
      text: `${o.uncertain ? '⚠ uncertain: ' : ''}clocks ±${Math.round(o.clockUncertaintyMs)} ms (NTP)`,
      className: o.uncertain ? 'clock uncertain' : 'clock',
    });
  }
  if (o.stale)
    out.push({ text: `stale: ${o.stale.nodeLabel} — ${o.stale.why}`, className: o.stale.by === 'start' ? 'stale byClocks' : 'stale' });
  if (o.bothServing) {
    out.push(
      o.bothServing.seconds > 0 && o.bothServing.start !== undefined && o.bothServing.end !== undefined
        ? { text: `both serving ${formatDuration(o.bothServing.end - o.bothServing.start)}`, className: 'serving both' }
        : { text: 'never both serving: one leader had not reached broadcast', className: 'serving' },
    );
  }
  return out;
}
