import type { EventKind, EventPayload, EventTally, FileIndex, LogEvent, TallyMark } from '../core/model';
import type { Micros } from '../core/time';

/** How many events one file may keep: memory and the saved index stay bounded whatever a file repeats. */

/**
 * Session and meta session events one file keeps one by one. Past it they are counted per session and action
 * (first and last line of each), so a file of millions of them costs a few counts; a note says so.
 */
export const EVENT_BUDGET = 200_000;
/**
 * Every other kind (role edges, peer states, zxids, elections, starts, faults, aliases, clock offsets) decides
 * answers and is kept up to this. A real log has a few thousand; past it (a crafted or runaway file) the rest
 * is dropped and a note says from which line answers about the file stop.
 */
export const DECISIVE_EVENT_CAP = 300_000;
/** Distinct (session, action) counts one file keeps; sessions past it are counted together under '*'. */
export const MAX_EVENT_TALLIES = 10_000;

const isRepetitive = (kind: EventKind) => kind === 'session' || kind === 'metaSession';

/**
 * Keeps one file's events within its budget: repetitive ones past `EVENT_BUDGET` are tallied per session and
 * action, the others past `DECISIVE_EVENT_CAP` dropped; `finish` records what was not kept and notes it.
 * Counts what the index already holds (a resumed scan), so the budget is the file's, not the scan's.
 */
export class EventBudget {
  private repetitive = 0;
  private decisive = 0;
  private tallied = 0;
  private dropped = 0;
  private droppedFrom: number | undefined;
  private pooled = false;
  private readonly unkept = new Map<EventKind, number>();
  private readonly tallies = new Map<string, EventTally>();

  constructor(private readonly index: FileIndex) {
    for (const e of index.events) {
      if (isRepetitive(e.kind)) this.repetitive++;
      else this.decisive++;
    }
  }

  /** Whether an event of this kind is kept whole (decided before the event is built: most past it are not). */
  keeps(kind: EventKind): boolean {
    return isRepetitive(kind) ? this.repetitive < EVENT_BUDGET : this.decisive < DECISIVE_EVENT_CAP;
  }

  keep(event: LogEvent): void {
    if (isRepetitive(event.kind)) this.repetitive++;
    else this.decisive++;
    this.index.events.push(event);
  }

  /** An event past the budget: tallied when repetitive, else dropped; counted either way. */
  count(payload: EventPayload, time: Micros, line: number, offset: number, peer: string | undefined, text: () => string): void {
    this.unkept.set(payload.kind, (this.unkept.get(payload.kind) ?? 0) + 1);
    if (payload.kind !== 'session' && payload.kind !== 'metaSession') {
      this.dropped++;
      this.droppedFrom ??= line;
      return;
    }
    this.tallied++;
    const side = payload.kind === 'session' ? payload.side : undefined;
    let id = payload.kind === 'session' ? payload.sessionId : (payload.uuid ?? '');
    const keyOf = () => `${payload.kind}|${payload.action}|${id}|${side ?? ''}|${peer ?? ''}`;
    let key = keyOf();
    let t = this.tallies.get(key);
    if (!t && this.tallies.size >= MAX_EVENT_TALLIES && id !== '*') {
      this.pooled = true;
      id = '*';
      key = keyOf();
      t = this.tallies.get(key);
    }
    if (t) {
      t.count++;
      const last: TallyMark = t.last;
      last.time = time;
      last.line = line;
      last.offset = offset;
      return;
    }
    t = {
      kind: payload.kind,
      action: payload.action,
      id: flat(id),
      count: 1,
      first: { time, line, offset },
      last: { time, line, offset },
      text: text(),
    };
    if (side) t.side = side;
    if (peer !== undefined) t.peer = peer;
    this.tallies.set(key, t);
  }

  finish(): void {
    if (this.unkept.size === 0) return;
    this.index.unkeptEvents = Object.fromEntries(this.unkept);
    if (this.tallies.size > 0) {
      this.index.eventTallies = [...this.tallies.values()];
      const pooled = this.pooled ? `; sessions past the first ${MAX_EVENT_TALLIES} counts are counted together as '*'` : '';
      this.index.notes.push(
        `${this.repetitive + this.tallied} session events: kept the first ${EVENT_BUDGET}, the rest counted per session and action ` +
          `(${this.tallies.size} counts with their first and last line${pooled})`,
      );
    }
    if (this.dropped > 0) {
      this.index.notes.push(
        `${this.decisive + this.dropped} role, state, election and other deciding events (a crafted or runaway log?): kept the first ` +
          `${DECISIVE_EVENT_CAP}, dropped the other ${this.dropped} from line ${this.droppedFrom ?? 0} on — leader terms, states and restarts from this file end there`,
      );
    }
  }
}

/** A copy of a string that does not keep the chunk it was cut from alive (V8 slices share their parent). */
function flat(s: string): string {
  if (s.length <= 12) return s; // V8 copies short slices anyway
  // Latin-1 keeps a one-byte string one byte per character; anything wider round-trips as UTF-16.
  const encoding = /[^\0-\xff]/.test(s) ? 'utf16le' : 'latin1';
  return Buffer.from(s, encoding).toString(encoding);
}

/**
 * The event, its payload's strings copied out of the chunk they were matched in (a kept event pins nothing).
 * `Object.assign` into one new object: object spread left each event twice as big (627 B against 315 B).
 */
export function detached(payload: EventPayload, where: Pick<LogEvent, 'time' | 'file' | 'line' | 'offset' | 'text' | 'peer'>): LogEvent {
  const out = Object.assign({}, payload, where) as Record<string, unknown>;
  for (const k in payload) if (typeof out[k] === 'string') out[k] = flat(out[k]);
  return out as LogEvent;
}
