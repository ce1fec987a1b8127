import type { BundleQueries } from './bundleQueries';
import type { LogEvent } from './model';
import { faultIntervals } from './faultIntervals';
import type { ClockOffsets } from './overlaps';
import type { Micros } from './time';
import { zkStateBands } from './zkStateBands';

/** Tracks inside a lane, top to bottom. Roles other than the built-in three get their own track too. */
export type TrackId = string;

export type ItemStyle =
  | 'leader' | 'zk-leading' | 'zk-following' | 'zk-looking' | 'zk-observing' | 'fault' | 'restart' | 'sessionExpired' | 'sessionTrouble' | 'election';

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
  lanes: [number, number];
  start: Micros;
  end: Micros;
  items: [number, number];
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

const TRACK_ORDER = ['meta', 'zk', 'namenode'];

/**
 * Everything the timeline panel draws, for one bundle: lanes per node, leader intervals per role,
 * ZooKeeper state bands, faults (on the node that owns the cut address), restarts, session expiries and
 * elections as markers, error counts per minute, and the overlaps between leader intervals.
 */
export function timelineModel(q: BundleQueries, offsets: ClockOffsets = {}): TimelineModel {
  const lanes: TimelineLane[] = [];
  const laneIndex = new Map<string, number>();
  const laneOf = (id: string): number => {
    let i = laneIndex.get(id);
    if (i === undefined) {
      const kind = q.node(id)?.kind ?? 'node';
      lanes.push({ id, kind, tracks: [] });
      laneIndex.set(id, (i = lanes.length - 1));
    }
    return i;
  };
  const items: TimelineItem[] = [];
  const shift = (lane: string) => offsets[lane.replace(/\/.*$/, '')] ?? 0;
  const add = (laneId: string, item: Omit<TimelineItem, 'id' | 'lane'>) => {
    const lane = laneOf(laneId);
    const d = shift(laneId);
    items.push({ ...item, start: item.start + d, end: item.end + d, id: items.length, lane });
    if (!lanes[lane].tracks.includes(item.track)) lanes[lane].tracks.push(item.track);
    return items.length - 1;
  };
  for (const n of q.bundle.nodes) laneOf(n.name);

  const itemOfInterval = new Map<object, number>();
  for (const role of q.roles) {
    if (role === 'zk') continue; // drawn as state bands below
    for (const iv of q.intervals(role)) {
      itemOfInterval.set(iv, add(iv.node, {
        track: role, style: 'leader', start: iv.start, end: iv.end, marker: false,
        label: `${role} leader`, text: iv.startText, file: iv.startSource.file, line: iv.startSource.line,
        endFile: iv.endSource.file, endLine: iv.endSource.line, endText: iv.endText,
      }));
    }
  }
  for (const b of zkStateBands(q.bundle)) {
    add(b.node, {
      track: 'zk', style: `zk-${b.state}`, start: b.start, end: b.end, marker: false,
      label: b.epoch !== undefined ? `${b.state} · epoch ${b.epoch}` : b.state, text: b.text, file: b.file, line: b.line,
    });
  }
  for (const f of faultIntervals(q.bundle)) {
    const lane = f.node ?? q.bundle.files.find((x) => x.path === f.file)?.node ?? '';
    add(lane, {
      track: 'faults', style: 'fault', start: f.start, end: f.end, marker: false,
      label: `${f.tool}${f.target ? ` ${f.target}` : ''}${f.open ? ' (not restored)' : ''}`, text: f.text, file: f.file, line: f.line,
      endFile: f.endFile, endLine: f.endLine, endText: f.endText,
    });
  }
  q.bundle.files.forEach((f) => {
    let lastBanner = -Infinity;
    for (const e of f.events) {
      let style: ItemStyle | undefined;
      let label = '';
      if (e.kind === 'processStart' && e.how === 'banner') {
        // "Reading configuration from:" then "Starting quorum peer": one start-up, one marker.
        const same = e.time - lastBanner < 5_000_000;
        lastBanner = e.time;
        if (same) continue;
      }
      if (e.kind === 'processStart') [style, label] = ['restart', `${e.program} started${e.pid !== undefined ? ` (pid ${e.pid})` : ''}`];
      else if (e.kind === 'session' && (e.action === 'expired' || e.action === 'clientExpired')) [style, label] = ['sessionExpired', `session ${e.sessionId} expired`];
      else if (e.kind === 'metaSession') [style, label] = metaSessionMarker(e);
      else if (e.kind === 'metaElection' && e.what === 'leader') [style, label] = ['election', `meta election won (seq ${e.seq})`];
      if (!style) continue;
      const lane = e.peer && lanes.some((l) => l.id === `${f.node}/myid=${e.peer}`) ? `${f.node}/myid=${e.peer}` : f.node;
      add(lane, { track: 'markers', style, start: e.time, end: e.time, marker: true, label, text: e.text, file: f.path, line: e.line });
    }
  });

  const errors: number[][] = lanes.map(() => []);
  const perLane = lanes.map(() => new Map<number, number>());
  for (const f of q.bundle.files) {
    if (f.skipped || f.duplicateOf || f.errorsPerMinute.length === 0) continue;
    const lane = laneOf(f.node);
    const d = shift(f.node);
    for (const [m, n] of f.errorsPerMinute) perLane[lane].set(m + d, (perLane[lane].get(m + d) ?? 0) + n);
  }
  perLane.forEach((m, i) => {
    if (m.size === 0) return;
    errors[i] = [...m.entries()].sort((a, b) => a[0] - b[0]).flat();
    if (!lanes[i].tracks.includes('errors')) lanes[i].tracks.push('errors');
  });
  for (const l of lanes) l.tracks.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));

  const overlaps: TimelineOverlap[] = [];
  // ZooKeeper leadership is drawn as a "leading" band: an overlap points at the bands that cover it.
  const leadingBand = (lane: number, at: Micros) =>
    items.findIndex((it) => it.lane === lane && it.style === 'zk-leading' && it.start <= at && at < it.end);
  for (const role of q.roles) {
    for (const o of q.overlaps(role, offsets)) {
      const [a, b] = o.intervals;
      const la = laneOf(a.node);
      const lb = laneOf(b.node);
      const ia = role === 'zk' ? leadingBand(la, o.start) : itemOfInterval.get(a) ?? -1;
      const ib = role === 'zk' ? leadingBand(lb, o.start) : itemOfInterval.get(b) ?? -1;
      overlaps.push({ id: overlaps.length, role, lanes: [la, lb], start: o.start, end: o.end, items: [ia, ib] });
    }
  }
  overlaps.sort((x, y) => x.start - y.start);
  overlaps.forEach((o, i) => (o.id = i));

  let start = Infinity;
  let end = -Infinity;
  for (const it of items) {
    start = Math.min(start, it.start);
    end = Math.max(end, it.end);
  }
  for (const row of errors) for (let i = 0; i < row.length; i += 2) {
    start = Math.min(start, row[i]);
    end = Math.max(end, row[i] + 60_000_000);
  }
  if (!Number.isFinite(start)) [start, end] = [0, 1];
  const used = lanes.map((l) => l.tracks.length > 0);
  return compactLanes({ start, end, lanes, items, overlaps, errors }, used);
}

function rank(track: string): number {
  const i = TRACK_ORDER.indexOf(track);
  if (i >= 0) return i;
  return track === 'faults' ? 10 : track === 'markers' ? 11 : track === 'errors' ? 12 : 5;
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

const META_TROUBLE: Record<string, string> = {
  keepaliveFailure: 'meta session keepalive failure', jeopardy: 'meta follower session in jeopardy',
  reconnect: 'meta follower session reconnect', expiredByDelayedRpc: 'meta session expired by a delayed RPC [BUG]',
};

/** Meta lease sessions: expiries in red; keepalive failures, jeopardy and reconnects as warnings. */
function metaSessionMarker(e: Extract<LogEvent, { kind: 'metaSession' }>): [ItemStyle, string] {
  if (e.action === 'expired' || e.action === 'accessExpired') {
    return ['sessionExpired', `${e.action === 'accessExpired' ? 'access ' : ''}meta session ${e.uuid ?? ''} expired`.replace(/\s+$/, '')];
  }
  return ['sessionTrouble', META_TROUBLE[e.action] ?? e.action];
}
