import { nodeLabel, type BundleQueries } from '../core/bundleQueries';
import type { RoleInterval } from '../core/leaderIntervals';
import type { ClockOffsets, RoleOverlap } from '../core/overlaps';
import { timelineModel } from '../core/timelineModel';
import type { TimelineData } from '../shared/webviewProtocol';
import { describeEndReason, type RoleRule } from '../core/rules/roleRules';
import { formatHuman, formatInZone, isValidZone, secondsBetween, type Micros } from '../core/time';
import type { IntervalInfo, OverlapInfo, SourceLocation } from '../shared/protocol';
import { fileUri, type BundleState } from './bundleStore';

function uncertainty(us: number | undefined, overlapUs: number): { clockUncertaintyMs?: number; uncertain?: boolean } {
  return us === undefined ? {} : { clockUncertaintyMs: us / 1000, uncertain: overlapUs <= us };
}

/** Formats times in the configured zone: "2023-03-14 05:12:24.461460" (+ offset when a zone is set). */
export function timeLabeler(zone: string): (t: Micros) => string {
  if (!zone || !isValidZone(zone)) return formatHuman;
  return (t) => formatInZone(t, zone).replace('T', ' ');
}

/** Turns core results into protocol messages: URIs, labels and formatted times. */
export class Presenter {
  constructor(readonly label: (t: Micros) => string, private readonly rules: readonly RoleRule[]) {}

  source(bundle: BundleState, ref: { file: string; line: number }): SourceLocation {
    return { uri: fileUri(bundle, ref.file), file: ref.file, line: ref.line };
  }

  nodeName(q: BundleQueries, name: string): string {
    return nodeLabel(q.node(name), name);
  }

  interval(bundle: BundleState, q: BundleQueries, iv: RoleInterval): IntervalInfo {
    return {
      role: iv.role, node: iv.node, nodeLabel: this.nodeName(q, iv.node),
      start: iv.start, end: iv.end, startLabel: this.label(iv.start), endLabel: this.label(iv.end),
      seconds: secondsBetween(iv.start, iv.end),
      startSource: this.source(bundle, iv.startSource), endSource: this.source(bundle, iv.endSource),
      endReason: iv.endReason, endReasonText: describeEndReason(iv.endReason, this.rules), startText: iv.startText, endText: iv.endText, epoch: iv.epoch,
    };
  }

  /** The timeline panel's data: the core model with files as URIs and lanes labelled with their aliases. */
  timeline(bundle: BundleState, q: BundleQueries, offsets: ClockOffsets, zone: string): TimelineData {
    const m = timelineModel(q, offsets);
    const files: TimelineData['files'] = [];
    const fileIndex = new Map<string, number>();
    const ref = (path: string) => {
      let i = fileIndex.get(path);
      if (i === undefined) {
        files.push({ uri: fileUri(bundle, path), path });
        fileIndex.set(path, (i = files.length - 1));
      }
      return i;
    };
    return {
      bundle: bundle.root, zone, start: m.start, end: m.end, files, errors: m.errors,
      lanes: m.lanes.map((l) => {
        const node = q.node(l.id);
        const aliases = [...(node?.myids.length ? [`myid ${node.myids.join(', ')}`] : []), ...(node?.addresses.filter((a) => a !== node.folderAddress) ?? [])];
        return { id: l.id, label: this.nodeName(q, l.id), detail: aliases.join(' · '), kind: l.kind, tracks: l.tracks };
      }),
      items: m.items.map((it) => ({ ...it, file: ref(it.file), endFile: it.endFile !== undefined ? ref(it.endFile) : undefined })),
      overlaps: m.overlaps.map((o) => ({
        ...o, seconds: secondsBetween(o.start, o.end),
        ...uncertainty(q.clockUncertainty(m.lanes[o.lanes[0]].id, m.lanes[o.lanes[1]].id), o.end - o.start),
      })),
    };
  }

  overlap(bundle: BundleState, q: BundleQueries, o: RoleOverlap, offsetsMs: Record<string, number>): OverlapInfo {
    const a = offsetsMs[o.nodes[0].replace(/\/.*$/, '')];
    const b = offsetsMs[o.nodes[1].replace(/\/.*$/, '')];
    return {
      role: o.role, nodes: o.nodes, nodeLabels: [this.nodeName(q, o.nodes[0]), this.nodeName(q, o.nodes[1])],
      start: o.start, end: o.end, startLabel: this.label(o.start), endLabel: this.label(o.end),
      seconds: secondsBetween(o.start, o.end),
      intervals: [this.interval(bundle, q, o.intervals[0]), this.interval(bundle, q, o.intervals[1])],
      clockOffsetMs: a !== undefined || b !== undefined ? Math.abs((a ?? 0) - (b ?? 0)) : undefined,
      ...uncertainty(q.clockUncertainty(o.nodes[0], o.nodes[1]), o.end - o.start),
    };
  }
}
