import type { TimelineItemInfo } from '../../shared/webviewProtocol';
import type { TrackIndex } from './trackIndex';

/**
 * The silence of the log an item was read from, at `at` (from the lane's silences track): a band of a
 * process that wrote nothing then, which the item's tooltip names.
 */
export function silenceUnder(
  silences: TrackIndex<TimelineItemInfo> | undefined,
  it: TimelineItemInfo,
  at: number,
): TimelineItemInfo | undefined {
  if (!silences || it.style === 'silence' || it.marker) return undefined;
  const [from, to] = silences.range(at, at);
  for (let i = from; i < to; i++) {
    const s = silences.items[i];
    if (s.start <= at && at <= s.end && (s.file === it.file || s.endFile === it.file)) return s;
  }
  return undefined;
}
