import { timelineModel } from '../core/timelineModel';
import { secondsBetween } from '../core/time';
import type { TimelineData } from '../shared/webviewProtocol';
import { fileUriOf, type BundleHandle } from './bundleHandle';
import { clockUncertainty, nodeName } from './present';
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
      return { id: l.id, label: nodeName(ctx, b, l.id), detail: aliases.join(' · '), kind: l.kind, tracks: l.tracks };
    }),
    items: m.items.map((it) => ({ ...it, file: ref(it.file), endFile: it.endFile !== undefined ? ref(it.endFile) : undefined })),
    overlaps: m.overlaps.map((o) => ({
      ...o,
      seconds: secondsBetween(o.start, o.end),
      ...clockUncertainty(q.clockUncertainty(m.lanes[o.lanes[0]].id, m.lanes[o.lanes[1]].id), o.end - o.start),
    })),
  };
}
