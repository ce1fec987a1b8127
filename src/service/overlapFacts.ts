import { hostOf } from '../core/actor';
import type { FaultInterval } from '../core/faultIntervals';
import { servingFrom, type RoleInterval } from '../core/leaderIntervals';
import type { RoleOverlap } from '../core/overlaps';
import { ROLE } from '../core/rules/roleRules';
import { secondsBetween, type Micros } from '../core/time';
import type { BundleHandle } from './bundleHandle';
import { nodeName, sourceOf } from './present';
import { silences, silencesTouching } from '../core/silences';
import type { FaultNearby, OverlapInfo, SilenceInfo } from './results';
import { offsetsUs, type ServiceContext } from './serviceContext';

/** What surrounds an overlap and explains it: whether both could serve, the faults near it. */

/** A node's clock correction in µs: every time compared across nodes goes through it. */
export function shiftOf(ctx: ServiceContext, node: string): Micros {
  return offsetsUs(ctx)[hostOf(node)] ?? 0;
}

/**
 * ZooKeeper only: the part of the overlap in which both leaders were in broadcast. A term whose phases were
 * logged but never reached broadcast never served; a term with no phase line at all leaves it unknown.
 */
export function bothServing(ctx: ServiceContext, o: RoleOverlap): OverlapInfo['bothServing'] {
  if (o.role !== ROLE.zookeeper) return undefined;
  const from = (iv: RoleInterval): Micros | null | undefined => {
    const t = servingFrom(iv);
    if (t !== undefined) return t + shiftOf(ctx, iv.node);
    return iv.phases ? null : undefined;
  };
  const a = from(o.intervals[0]);
  const b = from(o.intervals[1]);
  if (a === null || b === null) return { seconds: 0 };
  if (a === undefined || b === undefined) return undefined;
  const start = Math.max(a, b, o.start);
  if (!(start < o.end)) return { seconds: 0 };
  return { start, end: o.end, startLabel: ctx.label(start), endLabel: ctx.label(o.end), seconds: secondsBetween(start, o.end) };
}

/** The faults active during the overlap, then the nearest one that began before it, on the runner's clock. */
export function faultsNear(ctx: ServiceContext, b: BundleHandle, o: RoleOverlap): FaultNearby[] {
  const shifted = b.queries.faults().map((f) => {
    const d = shiftOf(ctx, f.clockNode);
    return { f, start: f.start + d, end: f.end + d };
  });
  const during = shifted.filter((x) => x.start < o.end && (x.end > o.start || (x.f.open && x.end >= o.start)));
  const before = shifted
    .filter((x) => x.start < o.start && !during.includes(x))
    .reduce<(typeof shifted)[number] | undefined>((best, x) => (!best || x.start > best.start ? x : best), undefined);
  const out = during.map((x) => faultInfo(ctx, b, x.f, x.start, x.end, 'during', [o.start, o.end]));
  if (before) out.push(faultInfo(ctx, b, before.f, before.start, before.end, 'before', [o.start, o.end]));
  return out;
}

function faultInfo(
  ctx: ServiceContext,
  b: BundleHandle,
  f: FaultInterval,
  start: Micros,
  end: Micros,
  relation: FaultNearby['relation'],
  [overlapStart, overlapEnd]: [Micros, Micros],
): FaultNearby {
  const nodeLabel = f.node ? nodeName(ctx, b, f.node) : undefined;
  const what = faultWords(f, nodeLabel);
  const secondsBefore = relation === 'before' ? secondsBetween(start, overlapStart) : undefined;
  const lifted = relation === 'before' && !f.open ? `, lifted ${distance(secondsBetween(end, overlapStart))} before` : '';
  const words =
    relation === 'before'
      ? `${what}, ${distance(secondsBefore ?? 0)} before${lifted}`
      : `${what}, active during the overlap${f.open ? ' (never restored)' : end < overlapEnd ? `, lifted ${distance(secondsBetween(overlapStart, end))} into it` : ''}`;
  return {
    tool: f.tool,
    detail: f.detail,
    target: f.target,
    node: f.node,
    nodeLabel,
    start,
    end,
    startLabel: ctx.label(start),
    endLabel: ctx.label(end),
    open: f.open,
    source: sourceOf(b, f),
    text: f.text,
    relation,
    ...(secondsBefore !== undefined && { secondsBefore }),
    words,
  };
}

/** "iptables DROP on 10.0.131.243", "SIGSTOP on 127.0.0.11", "tc on 10.0.131.245". */
function faultWords(f: FaultInterval, nodeLabel: string | undefined): string {
  const verb =
    f.tool === 'iptables' ? `iptables ${/\bREJECT\b/.test(f.detail) ? 'REJECT' : 'DROP'}` : f.tool === 'sigstop' ? 'SIGSTOP' : f.tool;
  const on = f.target ?? nodeLabel ?? f.host;
  return on ? `${verb} on ${on}` : verb;
}

/** 12 s, 3.4 s, 2 min 5 s: a distance in words a ticket reader takes in at a glance. */
function distance(seconds: number): string {
  if (seconds < 10) return `${Math.round(seconds * 10) / 10} s`;
  if (seconds < 120) return `${Math.round(seconds)} s`;
  const m = Math.floor(seconds / 60);
  return `${m} min ${Math.round(seconds - m * 60)} s`;
}

/** Silences that end this long before an overlap still explain it: the pause that deposed a leader comes first. */
const SILENCE_LEAD_US = 60_000_000;

/** Silences of either side touching the overlap (or the minute before it), in corrected time. */
export function silencesNear(ctx: ServiceContext, b: BundleHandle, o: RoleOverlap): SilenceInfo[] {
  const all = silences(b.index);
  const out: SilenceInfo[] = [];
  for (const node of new Set(o.nodes.map(hostOf))) {
    const d = shiftOf(ctx, node);
    for (const s of silencesTouching(all, node, o.start - SILENCE_LEAD_US - d, o.end - d)) {
      out.push({
        node: s.node,
        nodeLabel: nodeName(ctx, b, s.node),
        program: s.program,
        from: s.from + d,
        to: s.to + d,
        fromLabel: ctx.label(s.from + d),
        toLabel: ctx.label(s.to + d),
        seconds: s.seconds,
        usualSpacingMs: s.usualSpacingMs,
        before: sourceOf(b, { file: s.fileBefore, line: s.lineBefore }),
        after: sourceOf(b, { file: s.file, line: s.line }),
      });
    }
  }
  return out.sort((x, y) => x.from - y.from);
}
