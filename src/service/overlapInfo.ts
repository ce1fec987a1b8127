import { hostOf } from '../core/actor';
import type { RoleOverlap } from '../core/overlaps';
import { staleSide } from '../core/staleSide';
import { secondsBetween } from '../core/time';
import type { BundleHandle } from './bundleHandle';
import { bothServing, faultsNear, shiftOf, silencesNear } from './overlapFacts';
import { intervalInfo, nodeName, sourceOf } from './present';
import type { OverlapInfo } from './results';
import type { ServiceContext } from './serviceContext';

/** An overlap made ready to show: both terms, clocks, the stale side, serving, silences and faults near it. */

/** An overlap may be an artefact of clocks: its uncertainty is the two nodes' largest NTP offsets added up. */
export function clockUncertainty(us: number | undefined, overlapUs: number): { clockUncertaintyMs?: number; uncertain?: boolean } {
  return us === undefined ? {} : { clockUncertaintyMs: us / 1000, uncertain: overlapUs <= us };
}

export function overlapInfo(ctx: ServiceContext, b: BundleHandle, o: RoleOverlap): OverlapInfo {
  const a = ctx.clockOffsetsMs[hostOf(o.nodes[0])];
  const c = ctx.clockOffsetsMs[hostOf(o.nodes[1])];
  return {
    role: o.role,
    nodes: o.nodes,
    nodeLabels: [nodeName(ctx, b, o.nodes[0]), nodeName(ctx, b, o.nodes[1])],
    start: o.start,
    end: o.end,
    startLabel: ctx.label(o.start),
    endLabel: ctx.label(o.end),
    seconds: secondsBetween(o.start, o.end),
    intervals: [intervalInfo(ctx, b, o.intervals[0]), intervalInfo(ctx, b, o.intervals[1])],
    clockOffsetMs: a !== undefined || c !== undefined ? Math.abs((a ?? 0) - (c ?? 0)) : undefined,
    ...clockUncertainty(b.queries.clockUncertainty(o.nodes[0], o.nodes[1]), o.end - o.start),
    ...(ctx.bundles.length > 1 && { bundle: b.root }),
    ...staleInfo(ctx, b, o),
    bothServing: bothServing(ctx, o),
    silences: silencesNear(ctx, b, o),
    faults: faultsNear(ctx, b, o),
  };
}

/** The overlap's stale side (core staleSide) with its evidence as lines to open. */
function staleInfo(ctx: ServiceContext, b: BundleHandle, o: RoleOverlap): Pick<OverlapInfo, 'stale'> {
  const s = staleSide(o);
  if (!s) return {};
  return {
    stale: {
      node: s.node,
      nodeLabel: nodeName(ctx, b, s.node),
      why: s.why,
      by: s.by,
      evidence: s.evidence.map((e) => {
        const time = e.time + shiftOf(ctx, e.node);
        return { node: e.node, location: sourceOf(b, e.source), text: e.text, time, timeLabel: ctx.label(time) };
      }),
    },
  };
}
