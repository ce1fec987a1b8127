import * as path from 'node:path';
import { hostOf } from '../core/actor';
import { nodeLabel } from '../core/bundleQueries';
import type { RoleInterval } from '../core/leaderIntervals';
import type { RoleOverlap } from '../core/overlaps';
import { describeEndReason } from '../core/rules/roleRules';
import { staleSide } from '../core/staleSide';
import { secondsBetween } from '../core/time';
import type { LineHit } from '../core/workflows/hitOrder';
import { fileUriOf, type BundleHandle } from './bundleHandle';
import type { FoundLine, IntervalInfo, OverlapInfo, SourceLocation } from './results';
import type { ServiceContext } from './serviceContext';

/** Core results made ready to show and to open: URIs, node labels, time labels. One home for each. */

export function sourceOf(b: BundleHandle, ref: { file: string; line: number }): SourceLocation {
  return { uri: fileUriOf(b, ref.file), file: ref.file, line: ref.line };
}

/**
 * `172.20.131.241` for an address folder, else the folder name; with several bundles open, prefixed by the
 * bundle's folder (`cluster-a:172.20.131.241`) so two bundles' nodes of the same name stay apart.
 */
export function nodeName(ctx: Pick<ServiceContext, 'bundles'>, b: BundleHandle, name: string): string {
  const label = nodeLabel(b.queries.node(name), name);
  return ctx.bundles.length > 1 ? `${path.basename(b.root)}:${label}` : label;
}

export function intervalInfo(ctx: ServiceContext, b: BundleHandle, iv: RoleInterval): IntervalInfo {
  return {
    role: iv.role,
    node: iv.node,
    nodeLabel: nodeName(ctx, b, iv.node),
    start: iv.start,
    end: iv.end,
    startLabel: ctx.label(iv.start),
    endLabel: ctx.label(iv.end),
    seconds: secondsBetween(iv.start, iv.end),
    startSource: sourceOf(b, iv.startSource),
    endSource: sourceOf(b, iv.endSource),
    endReason: iv.endReason,
    endReasonText: describeEndReason(iv.endReason, ctx.rules),
    startText: iv.startText,
    endText: iv.endText,
    epoch: iv.epoch,
    electionSeq: iv.electionSeq,
    clockStepped: iv.clockStepped,
    ...(ctx.bundles.length > 1 && { bundle: b.root }),
  };
}

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
      evidence: s.evidence.map((iv) => ({ node: iv.node, location: sourceOf(b, iv.startSource), text: iv.startText })),
    },
  };
}

/** A matched line of a bundle file, with its node and (corrected) time. */
export function foundLine(ctx: ServiceContext, b: BundleHandle, h: Pick<LineHit, 'file' | 'line' | 'text'>, time?: number): FoundLine {
  const f = b.index.files[h.file];
  return {
    location: sourceOf(b, { file: f.path, line: h.line }),
    node: f.node,
    nodeLabel: nodeName(ctx, b, f.node),
    time,
    timeLabel: time !== undefined ? ctx.label(time) : undefined,
    text: h.text,
  };
}
