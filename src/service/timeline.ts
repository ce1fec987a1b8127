import { verdictWords } from '../core/expiryVerdict';
import { staleSide } from '../core/staleSide';
import { timelineModel, type TimelineOverlap } from '../core/timelineModel';
import { secondsBetween } from '../core/time';
import type { TimelineData, TimelineOverlapInfo } from '../shared/webviewProtocol';
import { fileUriOf, type BundleHandle } from './bundleHandle';
import { bothServing } from './overlapFacts';
import { clockUncertainty } from './overlapInfo';
import { nodeName } from './present';
import { offsetsUs, type ServiceContext } from './serviceContext';

/** What the timeline panel draws, one entry per bundle: the core model with files as URIs and lanes labelled. */
export function timelines(ctx: ServiceContext, zone: string): TimelineData[] {
  return ctx.bundles.map((b) => timeline(ctx, b, zone));
}

function timeline(ctx: ServiceContext, b: BundleHandle, zone: string): TimelineData {
  const q = b.queries;
  const m = timelineModel(q, offsetsUs(ctx));
  const files: TimelineData['files'] = [];
  const fileIndex = new Map<string, number>();
  const ref = (path: string) => {
    let i = fileIndex.get(path);
    if (i === undefined) {
      files.push({ uri: fileUriOf(b, path), path });
      fileIndex.set(path, (i = files.length - 1));
    }
    return i;
  };
  const label = (node: string) => nodeName(ctx, b, node);
  return {
    bundle: b.root,
    zone,
    start: m.start,
    end: m.end,
    files,
    errors: m.errors,
    warnings: [...(b.index.warnings ?? [])],
    lanes: m.lanes.map((l) => {
      const node = q.node(l.id);
      const aliases = [
        ...(node?.myids.length ? [`myid ${node.myids.join(', ')}`] : []),
        ...(node?.addresses.filter((a) => a !== node.folderAddress) ?? []),
      ];
      return { id: l.id, label: label(l.id), detail: aliases.join(' · '), kind: l.kind, tracks: l.tracks };
    }),
    items: m.items.map(({ verdict, phases, ...it }) => ({
      ...it,
      file: ref(it.file),
      endFile: it.endFile !== undefined ? ref(it.endFile) : undefined,
      ...(phases && { phases: phases.map((p) => ({ ...p, file: ref(p.file) })) }),
      // The verdict in the one wording every view uses, nodes named as the lanes are.
      ...(verdict && { detail: verdictWords(verdict, label) }),
    })),
    overlaps: m.overlaps.map((o) => overlapInfo(ctx, b, o, m.lanes[o.lanes[0]].id, m.lanes[o.lanes[1]].id)),
  };
}

/** An overlap as the panel lists it: its length, the clocks' doubt, the stale side, how long both served. */
function overlapInfo(ctx: ServiceContext, b: BundleHandle, o: TimelineOverlap, laneA: string, laneB: string): TimelineOverlapInfo {
  const { overlap, ...rest } = o;
  const stale = staleSide(overlap);
  const serving = bothServing(ctx, overlap);
  return {
    ...rest,
    seconds: secondsBetween(o.start, o.end),
    ...clockUncertainty(b.queries.clockUncertainty(laneA, laneB), o.end - o.start),
    ...(stale && { stale: { node: stale.node, nodeLabel: nodeName(ctx, b, stale.node), why: stale.why, by: stale.by } }),
    ...(serving && {
      bothServing: 'start' in serving ? { seconds: serving.seconds, start: serving.start, end: serving.end } : { seconds: 0 },
    }),
  };
}
