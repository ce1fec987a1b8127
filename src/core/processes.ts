import type { FileIndex, LogEvent, ProcessRun } from './model';
import { actorId } from './actor';

/** Files of one program on one node in the order they were written. */
export function streamOrder(files: readonly FileIndex[], members: number[]): number[] {
  const key = (i: number) => files[i].created ?? files[i].firstTime ?? Number.MAX_SAFE_INTEGER;
  return [...members].sort((a, b) => key(a) - key(b) || files[a].path.localeCompare(files[b].path));
}

/** Groups the bundle's files into streams: one per (node, program). Duplicates and skipped files are left out. */
export function streamsOf(files: readonly FileIndex[]): Map<string, number[]> {
  const streams = new Map<string, number[]>();
  files.forEach((f, i) => {
    if (f.skipped || f.duplicateOf) return;
    const key = `${f.node}\u0000${f.program}`;
    let list = streams.get(key);
    if (!list) streams.set(key, (list = []));
    list.push(i);
  });
  for (const [k, list] of streams) streams.set(k, streamOrder(files, list));
  return streams;
}

function newRun(f: FileIndex, fi: number, start: number | undefined, line: number, offset: number): ProcessRun {
  return {
    node: f.node,
    program: f.program,
    pid: f.pid,
    files: [fi],
    start,
    startSource: { file: f.path, line, offset },
    startOffset: offset,
    endOffset: Infinity,
  };
}

/**
 * Splits each stream into process runs: a new glog pid is a restart (rotated files of one pid are one
 * run); inside ZooKeeper logs, a start-up banner after earlier lines of the same run is a restart.
 * Banners within 5 s of each other are one start-up ("Reading configuration from:", "Starting quorum peer").
 */
export function findProcesses(files: readonly FileIndex[]): ProcessRun[] {
  const runs: ProcessRun[] = [];
  for (const order of streamsOf(files).values()) {
    let current: ProcessRun | undefined;
    let lastBanner = -Infinity;
    for (const fi of order) {
      const f = files[fi];
      if (!current || (f.pid !== undefined && current.pid !== f.pid)) {
        if (current) runs.push(current);
        current = newRun(f, fi, f.created ?? f.firstTime, 1, 0);
        lastBanner = -Infinity;
      } else {
        current.files.push(fi);
      }
      for (const e of f.events) {
        if (e.kind !== 'processStart' || e.how !== 'banner') continue;
        const sameStartUp = e.time - lastBanner < 5_000_000;
        lastBanner = e.time;
        if (sameStartUp) continue;
        const hasEarlierLines = current.files.length > 1 || (e.previousOffset !== undefined && e.previousOffset >= current.startOffset);
        if (!hasEarlierLines) {
          current.start = e.time;
          current.startSource = { file: f.path, line: e.line, offset: e.offset };
          continue;
        }
        current.endOffset = e.offset;
        if (e.previousTime !== undefined) current.end = e.previousTime;
        current.endSource = { file: f.path, line: e.previousLine ?? Math.max(1, e.line - 1), offset: e.previousOffset ?? e.offset };
        runs.push(current);
        current = newRun(f, fi, e.time, e.line, e.offset);
      }
      if (f.lastTime !== undefined) current.end = f.lastTime;
      current.endSource = { file: f.path, line: f.lines, offset: f.bytes };
    }
    if (current) runs.push(current);
  }
  return runs;
}

/** Finds the run that holds an event, given the runs that span the event's file. */
export function runOfEvent(candidates: readonly ProcessRun[] | undefined, e: LogEvent): ProcessRun | undefined {
  if (!candidates) return undefined;
  for (const r of candidates) {
    if (r.files[0] === e.file && e.offset < r.startOffset) continue;
    if (r.files[r.files.length - 1] === e.file && e.offset >= r.endOffset) continue;
    return r;
  }
  return undefined;
}

/** Index of runs by the files they span. */
export function runsByFile(runs: readonly ProcessRun[]): Map<number, ProcessRun[]> {
  const map = new Map<number, ProcessRun[]>();
  for (const r of runs) {
    for (const f of r.files) {
      let list = map.get(f);
      if (!list) map.set(f, (list = []));
      list.push(r);
    }
  }
  return map;
}

/**
 * The events of each stream that `keep` selects, grouped by actor: the node, or `node/myid=N` per
 * ZooKeeper peer when one stream holds several peers (in-process quorums). `defines` picks the events
 * that make a stream worth returning and whose peers count.
 */
export function eventsByActor(
  files: readonly FileIndex[],
  keep: (e: LogEvent) => boolean,
  defines: (e: LogEvent) => boolean,
): { actor: string; events: LogEvent[] }[] {
  const out: { actor: string; events: LogEvent[] }[] = [];
  for (const order of streamsOf(files).values()) {
    const events: LogEvent[] = [];
    for (const fi of order) for (const e of files[fi].events) if (keep(e)) events.push(e);
    if (!events.some(defines)) continue;
    const peers = new Set(events.filter((e) => defines(e) && e.peer !== undefined).map((e) => e.peer));
    const perPeer = peers.size > 1;
    const groups = new Map<string, LogEvent[]>();
    for (const e of events) {
      const key = perPeer ? (e.peer ?? '') : '';
      let g = groups.get(key);
      if (!g) groups.set(key, (g = []));
      g.push(e);
    }
    for (const [peer, group] of groups) {
      const node = files[group[0].file].node;
      out.push({ actor: actorId(node, peer), events: group });
    }
  }
  return out;
}
