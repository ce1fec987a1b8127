import * as path from 'node:path';
import { GLOG_SEVERITIES, glogStreamOf, type GlogStream } from '../core/formats/glog';
import type { FileIndex } from '../core/model';
import { formatIso, type Micros } from '../core/time';
import { markConsoleCopies } from './consoleCopies';
import type { WalkedFile } from './walk';

/** A glog file of another severity is created by its first line, seconds after the INFO file of its run. */
const SAME_RUN_SLACK: Micros = 60_000_000;

/**
 * Marks the files that repeat another (`duplicateOf`, with `copyReason` naming it), so that every line is
 * indexed, counted and searched once: paths that reach a file through a link (the walk keeps the file's own
 * path), files of identical size and head (a `prog.INFO` copied instead of linked), glog's WARNING, ERROR
 * and FATAL files, which repeat lines of the INFO file of the same program and pid, and a `zookeeper.out`
 * that repeats `zookeeper.log`. `walked[i]` is how `files[i]` was found.
 */
export async function markCopies(files: FileIndex[], walked: readonly WalkedFile[], root: string): Promise<void> {
  markLinks(files, walked);
  markSeverityCopies(files, walked);
  markSameContent(files);
  await markConsoleCopies(files, root);
  pointAtIndexed(files);
}

/** How a copy names what it repeats: by name in the same folder, else by path. */
function nameFor(copy: string, of: string): string {
  return path.posix.dirname(copy) === path.posix.dirname(of) ? path.posix.basename(of) : of;
}

function markLinks(files: FileIndex[], walked: readonly WalkedFile[]): void {
  files.forEach((f, i) => {
    const w = walked[i];
    if (!w?.sameAs) return;
    f.duplicateOf = w.sameAs;
    f.copyReason = w.link === 'folder' ? `the same file as ${w.sameAs}, through a linked folder` : `link to ${nameFor(f.path, w.sameAs)}`;
  });
}

/**
 * The glog stream of a file: from its own name, or for glog's link name (`zbs-metad.INFO`, kept as a copy
 * or reached only through the link) from the name of the file it resolves to, else with the pid the scan found.
 */
function streamOf(f: FileIndex, w: WalkedFile | undefined): GlogStream | undefined {
  const own = glogStreamOf(path.posix.basename(f.path));
  if (own && !own.link) return own;
  const target = w ? glogStreamOf(path.basename(w.absPath)) : undefined;
  if (target && !target.link) return target;
  return own && { ...own, pid: f.pid };
}

/** Which of two files of the same content is kept: a glog file of the lowest severity, then any named so, then an alias. */
function rank(f: FileIndex): number {
  const s = glogStreamOf(path.posix.basename(f.path));
  return !s || s.link ? GLOG_SEVERITIES.length : GLOG_SEVERITIES.indexOf(s.severity);
}

/**
 * Files of one node with the same size and head (`caffe.INFO` copied, not linked) are one content: all but
 * one are copies. When that content is itself a copy of lines elsewhere (a severity file's), all are.
 */
function markSameContent(files: FileIndex[]): void {
  const groups = new Map<string, FileIndex[]>();
  for (const f of [...files].sort((a, b) => rank(a) - rank(b) || a.path.localeCompare(b.path))) {
    if (f.skipped || !f.fingerprint || f.size === 0) continue;
    // Only within a node: two nodes can legitimately write byte-identical short files.
    const key = `${f.node}|${f.fingerprint}:${f.lines}`;
    const group = groups.get(key) ?? [];
    group.push(f);
    groups.set(key, group);
  }
  const byPath = new Map(files.map((f) => [f.path, f]));
  /** The file a copy's chain of copies ends at. */
  const rootOf = (f: FileIndex) => {
    const seen = new Set([f.path]);
    let g = f;
    for (let n = byPath.get(g.duplicateOf ?? ''); n && !seen.has(n.path); n = byPath.get(g.duplicateOf ?? '')) {
      seen.add(n.path);
      g = n;
    }
    return g;
  };
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    const members = new Set(group);
    const kept = group.find((f) => f.duplicateOf && !members.has(rootOf(f))) ?? group.find((f) => !f.duplicateOf);
    for (const f of group) {
      if (f === kept || f.duplicateOf || !kept) continue;
      f.duplicateOf = kept.path;
      f.copyReason = `same content as ${nameFor(f.path, kept.path)}`;
    }
  }
}

/**
 * glog writes each line to the file of its severity and of every lower one: a WARNING/ERROR/FATAL file is a
 * copy of lines of the INFO file(s) of the same folder, program and pid (the INFO file holding its start
 * when the run rotated). Without such an INFO file it is the only copy of its lines, and indexed.
 */
function markSeverityCopies(files: FileIndex[], walked: readonly WalkedFile[]): void {
  const streams = files.map((f, i) => (f.skipped ? undefined : streamOf(f, walked[i])));
  const infos = new Map<string, { f: FileIndex; program: string }[]>();
  const key = (f: FileIndex, pid: number) => `${path.posix.dirname(f.path)}|${pid}`;
  files.forEach((f, i) => {
    const s = streams[i];
    if (f.duplicateOf || s?.severity !== 'INFO' || s.pid === undefined) return;
    const list = infos.get(key(f, s.pid)) ?? [];
    list.push({ f, program: s.program });
    infos.set(key(f, s.pid), list);
  });
  files.forEach((f, i) => {
    const s = streams[i];
    if (f.duplicateOf || !s || s.severity === 'INFO' || s.pid === undefined) return;
    const all = infos.get(key(f, s.pid)) ?? [];
    const same = all.filter((x) => x.program === s.program);
    // A prefix that differs from the INFO file's (`<host>.<user>.log.ERROR.…`) still matches when the pid leaves no doubt.
    const run = (same.length > 0 ? same : new Set(all.map((x) => x.program)).size === 1 ? all : []).map((x) => x.f);
    if (run.length === 0) {
      f.notes.push(`glog ${s.severity} file with no INFO file of pid ${s.pid} beside it: indexed, as the only copy of its lines`);
      return;
    }
    const startOf = (g: FileIndex) => g.created ?? g.firstTime ?? 0;
    run.sort((a, b) => startOf(a) - startOf(b) || a.path.localeCompare(b.path));
    const created = startOf(f);
    const info = run.filter((g) => startOf(g) <= created + SAME_RUN_SLACK).pop() ?? run[0];
    f.duplicateOf = info.path;
    f.copyReason = `severity copy of ${nameFor(f.path, info.path)}`;
    // The same lines carry the same times: one before the INFO files' first is in none of them.
    const covered = Math.min(...run.map((g) => g.firstTime ?? Infinity));
    if (f.firstTime !== undefined && f.firstTime < covered)
      f.notes.push(
        `its lines before ${formatIso(covered)} are in no INFO file of pid ${s.pid} in the bundle (rotated away?): left out with the copy`,
      );
  });
}

/** Points every copy at the file that was indexed, not at another copy, and says so in its reason. */
function pointAtIndexed(files: FileIndex[]): void {
  const byPath = new Map(files.map((f) => [f.path, f]));
  for (const f of files) {
    const seen = new Set<string>([f.path]);
    for (let next = f.duplicateOf ? byPath.get(f.duplicateOf) : undefined; next?.duplicateOf && !seen.has(next.path);) {
      seen.add(next.path);
      f.copyReason = `${f.copyReason ?? `a copy of ${next.path}`}, ${next.copyReason ?? `a copy of ${next.duplicateOf}`}`;
      f.duplicateOf = next.duplicateOf;
      next = byPath.get(next.duplicateOf);
    }
  }
}
