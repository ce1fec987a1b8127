import type { BundleQueries } from './bundleQueries';
import { actorId } from './actor';
import { ineffectiveExpiryLabel, metaElectionLabel, processStartLabel, sessionExpiredLabel } from './eventLabels';
import { judgeExpiry } from './expiryVerdict';
import type { RoleInterval } from './leaderIntervals';
import type { LogEvent } from './model';
import type { ClockOffsets } from './overlaps';
import type { ItemStyle, TimelineItem } from './timelineModel';

/** What the marker and fault tracks add items to: the timeline's lanes, by node (or peer) id. */
export interface TimelineTracks {
  readonly lanes: readonly { id: string }[];
  /** `clockOf`: the node whose clock the item's times are on, when not the lane's (a fault runner's). */
  add(laneId: string, item: Omit<TimelineItem, 'id' | 'lane'>, clockOf?: string): number;
}

/** Faults from the test runner, on the node that owns the cut address, on the runner's clock. */
export function addFaults(t: TimelineTracks, q: BundleQueries): void {
  for (const f of q.faults()) {
    const lane = f.node ?? q.bundle.files.find((x) => x.path === f.file)?.node ?? '';
    t.add(
      lane,
      {
        track: 'faults',
        style: 'fault',
        start: f.start,
        end: f.end,
        marker: false,
        label: `${f.tool}${f.target ? ` ${f.target}` : ''}${f.open ? ' (not restored)' : ''}`,
        text: f.text,
        file: f.file,
        line: f.line,
        endFile: f.endFile,
        endLine: f.endLine,
        endText: f.endText,
      },
      f.clockNode,
    );
  }
}

/** Restarts (one per ZooKeeper start-up), session expiries (servers' judged) and troubles, meta elections won. */
export function addMarkers(t: TimelineTracks, q: BundleQueries, zkTerms: readonly RoleInterval[], offsets: ClockOffsets): void {
  for (const f of q.bundle.files) {
    let lastBanner = -Infinity;
    for (const e of f.events) {
      if (e.kind === 'processStart' && e.how === 'banner') {
        // "Reading configuration from:" then "Starting quorum peer": one start-up, one marker.
        const same = e.time - lastBanner < 5_000_000;
        lastBanner = e.time;
        if (same) continue;
      }
      const marker = markerOf(e);
      if (!marker) continue;
      const peerLane = e.peer ? actorId(f.node, e.peer) : undefined;
      const lane = peerLane && t.lanes.some((l) => l.id === peerLane) ? peerLane : f.node;
      // Only the current epoch's leader expires sessions: one logged by a deposed leader never took effect.
      const verdict =
        e.kind === 'session' && e.action === 'expired' && e.side === 'server'
          ? judgeExpiry(actorId(f.node, e.peer), e.time, zkTerms, offsets)
          : undefined;
      const ineffective = verdict?.effective === false && e.kind === 'session';
      t.add(lane, {
        track: 'markers',
        style: ineffective ? 'sessionExpiredIneffective' : marker[0],
        start: e.time,
        end: e.time,
        marker: true,
        label: ineffective ? ineffectiveExpiryLabel(e.sessionId) : marker[1],
        text: e.text,
        file: f.path,
        line: e.line,
        ...(verdict && { verdict }),
      });
    }
  }
}

function markerOf(e: LogEvent): [ItemStyle, string] | undefined {
  if (e.kind === 'processStart') return ['restart', processStartLabel(e)];
  if (e.kind === 'session' && (e.action === 'expired' || e.action === 'clientExpired'))
    return ['sessionExpired', sessionExpiredLabel(e.sessionId)];
  if (e.kind === 'metaSession') return metaSessionMarker(e);
  if (e.kind === 'metaElection' && e.what === 'leader') return ['election', metaElectionLabel(e)];
  return undefined;
}

const META_TROUBLE: Record<string, string> = {
  keepaliveFailure: 'meta session keepalive failure',
  jeopardy: 'meta follower session in jeopardy',
  reconnect: 'meta follower session reconnect',
  expiredByDelayedRpc: 'meta session expired by a delayed RPC [BUG]',
};

/** Meta lease sessions: expiries in red; keepalive failures, jeopardy and reconnects as warnings. */
function metaSessionMarker(e: Extract<LogEvent, { kind: 'metaSession' }>): [ItemStyle, string] {
  if (e.action === 'expired' || e.action === 'accessExpired') {
    return ['sessionExpired', `${e.action === 'accessExpired' ? 'access ' : ''}meta session ${e.uuid ?? ''} expired`.replace(/\s+$/, '')];
  }
  return ['sessionTrouble', META_TROUBLE[e.action] ?? e.action];
}
