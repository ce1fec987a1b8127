import type { BundleQueries } from './bundleQueries';
import type { ClockOffsets, RoleOverlap } from './overlaps';
import type { Micros } from './time';
import type { Phase, PhaseName, RoleInterval } from './leaderIntervals';
import { zkStateBands } from './zkStateBands';
import { hostOf } from './actor';
import type { ExpiryVerdict } from './expiryVerdict';
import { silences } from './silences';
import { leaderLabel, silenceLabel, silenceWords } from './eventLabels';
import { ROLE } from './rules/roleRules';
import { addFaults, addMarkers, type TimelineTracks } from './timelineMarkers';

/** Tracks inside a lane, top to bottom. Roles other than the built-in three get their own track too. */
export type TrackId = string;

export type ItemStyle =
  | 'leader'
  | 'zk-leading'
  | 'zk-following'
  | 'zk-looking'
  | 'zk-observing'
  | 'fault'
  | 'restart'
  | 'sessionExpired'
  /** A server's `Expiring session` logged by a deposed leader: never committed, drawn grey. */
  | 'sessionExpiredIneffective'
  | 'sessionTrouble'
  | 'election'
  /** A process that stopped writing (core silences): hatched. */
  | 'silence';

/** A phase of a ZooKeeper leader term inside a leading band, on the lane's (corrected) clock. */
export interface TimelinePhase {
  phase: PhaseName;
  time: Micros;
  file: string;
  line: number;
  text: string;
}

/** One thing drawn on the timeline: an interval (start < end) or a marker (start = end). */
export interface TimelineItem {
  id: number;
  lane: number;
  track: TrackId;
  style: ItemStyle;
  start: Micros;
  end: Micros;
  marker: boolean;
  label: string;
  text: string;
  file: string;
  line: number;
  endFile?: string;
  endLine?: number;
  endText?: string;
  /**
   * Leading bands: the term's phases in order; before the broadcast phase the leader does not serve
   * (drawn striped). Absent when the logs show no phase.
   */
  phases?: TimelinePhase[];
  /** Words the tooltip adds under the label (a silence's length against the usual pace). */
  detail?: string;
  /** Server-side session expiries: whether the expiry took effect (core expiryVerdict). */
  verdict?: ExpiryVerdict;
}

export interface TimelineLane {
  /** Node name, or `node/myid=N` for one peer of an in-process quorum. */
  id: string;
  kind: 'node' | 'source';
  tracks: TrackId[];
}

export interface TimelineOverlap {
  id: number;
  role: string;
  /** The two nodes as the core overlap names them (sorted): what Explain Overlap is asked about. */
  nodes: [string, string];
  lanes: [number, number];
  start: Micros;
  end: Micros;
  items: [number, number];
  /** The core overlap, for what the service derives from its terms (stale side, both serving). */
  overlap: RoleOverlap;
}

export interface TimelineModel {
  start: Micros;
  end: Micros;
  lanes: TimelineLane[];
  items: TimelineItem[];
  overlaps: TimelineOverlap[];
  /** Per lane: [minute, count, minute, count, …] of error entries. */
  errors: number[][];
}

const TRACK_ORDER: readonly string[] = [ROLE.meta, ROLE.zookeeper, ROLE.namenode];

/** Lanes and items as they are added; a lane appears the first time something lands on it. */
class TimelineBuilder implements TimelineTracks {
  readonly lanes: TimelineLane[] = [];
  readonly items: TimelineItem[] = [];
  private readonly laneIndex = new Map<string, number>();

  constructor(
    private readonly q: BundleQueries,
    private readonly offsets: ClockOffsets,
  ) {}

  laneOf(id: string): number {
    let i = this.laneIndex.get(id);
    if (i === undefined) {
      this.lanes.push({ id, kind: this.q.node(id)?.kind ?? 'node', tracks: [] });
      this.laneIndex.set(id, (i = this.lanes.length - 1));
    }
    return i;
  }

  /** A lane's clock correction: offsets are per machine, whichever peer the lane shows. */
  shift(laneId: string): Micros {
    return this.offsets[hostOf(laneId)] ?? 0;
  }

  /** `clockOf`: the node whose clock the item's times are on, when not the lane's (a fault runner's). */
  add(laneId: string, item: Omit<TimelineItem, 'id' | 'lane'>, clockOf: string = laneId): number {
    const lane = this.laneOf(laneId);
    const d = this.shift(clockOf);
    const phases = item.phases?.map((p) => ({ ...p, time: p.time + d }));
    this.items.push({ ...item, start: item.start + d, end: item.end + d, ...(phases && { phases }), id: this.items.length, lane });
    if (!this.lanes[lane].tracks.includes(item.track)) this.lanes[lane].tracks.push(item.track);
    return this.items.length - 1;
  }
}

/**
 * Everything the timeline panel draws, for one bundle: lanes per node, leader intervals per role,
 * ZooKeeper state bands (leading ones with their term's phases), silences, faults (on the node that owns
 * the cut address, on the runner's clock), restarts, session expiries (judged) and elections as markers,
 * error counts per minute, and the overlaps between leader intervals.
 */
export function timelineModel(q: BundleQueries, offsets: ClockOffsets = {}): TimelineModel {
  const t = new TimelineBuilder(q, offsets);
  for (const n of q.bundle.nodes) t.laneOf(n.name);
  const zkTerms = q.intervals(ROLE.zookeeper);
  const itemOfInterval = addLeaderIntervals(t, q);
  addZkBands(t, q, zkTerms);
  addSilences(t, q);
  addFaults(t, q);
  addMarkers(t, q, zkTerms, offsets);
  const errors = errorsPerLane(t, q);
  for (const l of t.lanes) l.tracks.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  const overlaps = overlapsOf(t, q, offsets, itemOfInterval);
  const [start, end] = timeRange(t.items, errors);
  const used = t.lanes.map((l) => l.tracks.length > 0);
  return compactLanes({ start, end, lanes: t.lanes, items: t.items, overlaps, errors }, used);
}

/** Leader intervals of every role but ZooKeeper's (drawn as state bands); returns each interval's item. */
function addLeaderIntervals(t: TimelineBuilder, q: BundleQueries): Map<object, number> {
  const itemOfInterval = new Map<object, number>();
  for (const role of q.roles) {
    if (role === ROLE.zookeeper) continue;
    for (const iv of q.intervals(role)) {
      itemOfInterval.set(
        iv,
        t.add(iv.node, {
          track: role,
          style: 'leader',
          start: iv.start,
          end: iv.end,
          marker: false,
          label: leaderLabel(role),
          text: iv.startText,
          file: iv.startSource.file,
          line: iv.startSource.line,
          endFile: iv.endSource.file,
          endLine: iv.endSource.line,
          endText: iv.endText,
        }),
      );
    }
  }
  return itemOfInterval;
}

function addZkBands(t: TimelineBuilder, q: BundleQueries, zkTerms: readonly RoleInterval[]): void {
  for (const b of zkStateBands(q.bundle, zkTerms)) {
    t.add(b.node, {
      track: ROLE.zookeeper,
      style: `zk-${b.state}`,
      start: b.start,
      end: b.end,
      marker: false,
      label: b.epoch !== undefined ? `${b.state} · epoch ${b.epoch}` : b.state,
      text: b.text,
      file: b.file,
      line: b.line,
      ...(b.phases && { phases: b.phases.map(phaseOf) }),
    });
  }
}

function phaseOf(p: Phase): TimelinePhase {
  return { phase: p.phase, time: p.time, file: p.source.file, line: p.source.line, text: p.text };
}

/** Silences as hatched gaps: from the last line before to the first line after, on the node's clock. */
function addSilences(t: TimelineBuilder, q: BundleQueries): void {
  for (const s of silences(q.bundle)) {
    t.add(s.node, {
      track: 'silences',
      style: 'silence',
      start: s.from,
      end: s.to,
      marker: false,
      label: silenceLabel(s),
      detail: silenceWords(s),
      text: '',
      file: s.fileBefore,
      line: s.lineBefore,
      endFile: s.file,
      endLine: s.line,
    });
  }
}

/** Per lane: [minute, count, minute, count, …] of error entries, minutes clock-corrected. */
function errorsPerLane(t: TimelineBuilder, q: BundleQueries): number[][] {
  const perLane = t.lanes.map(() => new Map<number, number>());
  for (const f of q.bundle.files) {
    if (f.skipped || f.duplicateOf || f.errorsPerMinute.length === 0) continue;
    const lane = t.laneOf(f.node);
    if (!perLane[lane]) perLane[lane] = new Map();
    const d = t.shift(f.node);
    for (const [m, n] of f.errorsPerMinute) perLane[lane].set(m + d, (perLane[lane].get(m + d) ?? 0) + n);
  }
  return perLane.map((m, i) => {
    if (m.size === 0) return [];
    if (!t.lanes[i].tracks.includes('errors')) t.lanes[i].tracks.push('errors');
    return [...m.entries()].sort((a, b) => a[0] - b[0]).flat();
  });
}

/** Overlaps point at the items they cover: an interval's item, or for ZooKeeper the "leading" band at the start. */
function overlapsOf(t: TimelineBuilder, q: BundleQueries, offsets: ClockOffsets, itemOfInterval: Map<object, number>): TimelineOverlap[] {
  const overlaps: TimelineOverlap[] = [];
  const leadingBand = (lane: number, at: Micros) =>
    t.items.findIndex((it) => it.lane === lane && it.style === 'zk-leading' && it.start <= at && at < it.end);
  for (const role of q.roles) {
    for (const o of q.overlaps(role, offsets)) {
      const [a, b] = o.intervals;
      const la = t.laneOf(a.node);
      const lb = t.laneOf(b.node);
      const ia = role === ROLE.zookeeper ? leadingBand(la, o.start) : (itemOfInterval.get(a) ?? -1);
      const ib = role === ROLE.zookeeper ? leadingBand(lb, o.start) : (itemOfInterval.get(b) ?? -1);
      overlaps.push({
        id: overlaps.length,
        role,
        nodes: o.nodes,
        lanes: [la, lb],
        start: o.start,
        end: o.end,
        items: [ia, ib],
        overlap: o,
      });
    }
  }
  overlaps.sort((x, y) => x.start - y.start);
  overlaps.forEach((o, i) => (o.id = i));
  return overlaps;
}

/** From the first item to the last, error minutes included; [0, 1] for an empty bundle. */
function timeRange(items: readonly TimelineItem[], errors: readonly number[][]): [Micros, Micros] {
  let start = Infinity;
  let end = -Infinity;
  for (const it of items) {
    start = Math.min(start, it.start);
    end = Math.max(end, it.end);
  }
  for (const row of errors) {
    for (let i = 0; i < row.length; i += 2) {
      start = Math.min(start, row[i]);
      end = Math.max(end, row[i] + 60_000_000);
    }
  }
  return Number.isFinite(start) ? [start, end] : [0, 1];
}

function rank(track: string): number {
  const i = TRACK_ORDER.indexOf(track);
  if (i >= 0) return i;
  return track === 'silences' ? 9 : track === 'faults' ? 10 : track === 'markers' ? 11 : track === 'errors' ? 12 : 5;
}

/** Drops lanes with nothing to draw and renumbers what refers to lanes. */
function compactLanes(m: TimelineModel, used: boolean[]): TimelineModel {
  const map = new Map<number, number>();
  const lanes = m.lanes.filter((_, i) => {
    if (!used[i]) return false;
    map.set(i, map.size);
    return true;
  });
  return {
    ...m,
    lanes,
    items: m.items.map((it) => ({ ...it, lane: map.get(it.lane) ?? 0 })),
    overlaps: m.overlaps.map((o) => ({ ...o, lanes: [map.get(o.lanes[0]) ?? 0, map.get(o.lanes[1]) ?? 0] as [number, number] })),
    errors: m.errors.filter((_, i) => used[i]),
  };
}
