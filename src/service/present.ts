import * as path from 'node:path';
import { nodeLabel } from '../core/bundleQueries';
import type { RoleInterval } from '../core/leaderIntervals';
import { describeEndReason } from '../core/rules/roleRules';
import { secondsBetween } from '../core/time';
import type { LineHit } from '../core/workflows/hitOrder';
import { fileUriOf, type BundleHandle } from './bundleHandle';
import type { FoundLine, IntervalInfo, SourceLocation } from './results';
import type { ServiceContext } from './serviceContext';

/** Core results made ready to show and to open: URIs, node labels, time labels. One home for each. */

export function sourceOf(b: BundleHandle, ref: { file: string; line: number }): SourceLocation {
  return { uri: uriOf(b, ref.file), file: ref.file, line: ref.line };
}

/** File URIs per bundle, made once per file: a trace of 250 000 lines would build each a quarter million times. */
const uris = new WeakMap<BundleHandle['index'], Map<string, string>>();
function uriOf(b: BundleHandle, file: string): string {
  let m = uris.get(b.index);
  if (!m) uris.set(b.index, (m = new Map<string, string>()));
  let uri = m.get(file);
  if (uri === undefined) m.set(file, (uri = fileUriOf(b, file)));
  return uri;
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
    epochBy: iv.epochBy,
    epochAtLeast: iv.epochAtLeast,
    electionSeq: iv.electionSeq,
    phases: iv.phases?.map((p) => ({
      phase: p.phase,
      time: p.time,
      timeLabel: ctx.label(p.time),
      source: sourceOf(b, p.source),
      text: p.text,
    })),
    clockStepped: iv.clockStepped,
    ...(ctx.bundles.length > 1 && { bundle: b.root }),
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
