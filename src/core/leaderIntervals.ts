import type { BundleIndex, LogEvent, SourceRef } from './model';
import { eventsByActor, runOfEvent, runsByFile } from './processes';
import type { Micros } from './time';

/** A span during which one node (or one ZooKeeper peer of it) held a role. */
export interface RoleInterval {
  role: string;
  /** Node name; `node/myid=N` when one file holds several ZooKeeper peers. */
  node: string;
  start: Micros;
  end: Micros;
  startSource: SourceRef;
  endSource: SourceRef;
  /** The end rule's id (`meta.stoppingServices`, `zk.LOOKING`), or `processExit` / `logEnd`. */
  endReason: string;
  startRule: string;
  startText: string;
  endText?: string;
  /** ZooKeeper epoch of the leadership, when the log printed it. */
  epoch?: number;
  /** The meta service's election sequence number of this leadership (`I am the leader now.  seq is 416`). */
  electionSeq?: number;
  /**
   * The node's clock stepped back during the term (its end came out earlier than its start): the term is
   * split at the step into two intervals, both flagged, so neither has a negative length.
   */
  clockStepped?: true;
}

/** The end reason (and start rule) of the halves of a term split where the clock stepped back. */
export const CLOCK_STEP_BACK = 'clockStepBack';

/** How long before a role start its election result may be logged and still be that term's. */
const ELECTION_LEAD_US = 60_000_000;

/** A step back of more than this between two samples is the clock, not threads interleaving. */
const STEP_BACK_US = 500_000;

/**
 * Leader (role) intervals from the index. Within each run of a program on a node, a start event opens
 * an interval and the next end event closes it; an interval still open when its process run ends closes
 * at the run's last line (`processExit` when the program was restarted later, `logEnd` when the logs stop).
 */
export function leaderIntervals(bundle: BundleIndex, role: string): RoleInterval[] {
  const out: RoleInterval[] = [];
  const byFile = runsByFile(bundle.processes);
  const groups = eventsByActor(
    bundle.files,
    (e) =>
      (e.kind === 'role' && e.role === role) ||
      (e.kind === 'zxid' && e.what === 'quorum') ||
      (e.kind === 'metaElection' && e.what === 'leader'),
    (e) => e.kind === 'role',
  );
  for (const { actor, events } of groups) out.push(...intervalsOfGroup(bundle, byFile, events, role, actor));
  return out.sort((a, b) => a.start - b.start || a.node.localeCompare(b.node));
}

function ref(bundle: BundleIndex, e: LogEvent): SourceRef {
  return { file: bundle.files[e.file].path, line: e.line, offset: e.offset };
}

function intervalsOfGroup(
  bundle: BundleIndex,
  byFile: ReturnType<typeof runsByFile>,
  events: LogEvent[],
  role: string,
  node: string,
): RoleInterval[] {
  const out: RoleInterval[] = [];
  let open: { e: LogEvent; run: ReturnType<typeof runOfEvent>; epoch?: number; seq?: number } | undefined;
  // The election result is logged just before the role starts: kept until the start it belongs to.
  let election: { seq: number; time: number; run: ReturnType<typeof runOfEvent> } | undefined;
  const closeAtRunEnd = () => {
    if (!open) return;
    const run = open.run;
    const laterRun = run
      ? bundle.processes.some(
          (r) => r !== run && r.node === run.node && r.program === run.program && (r.start ?? -Infinity) > (run.start ?? -Infinity),
        )
      : false;
    const end = run?.end ?? open.e.time;
    out.push({
      role,
      node,
      start: open.e.time,
      end: Math.max(end, open.e.time),
      startSource: ref(bundle, open.e),
      endSource: run?.endSource ?? ref(bundle, open.e),
      endReason: laterRun ? 'processExit' : 'logEnd',
      startRule: open.e.kind === 'role' ? open.e.rule : '',
      startText: open.e.text,
      epoch: open.epoch,
      electionSeq: open.seq,
    });
    open = undefined;
  };
  for (const e of events) {
    const run = runOfEvent(byFile.get(e.file), e);
    if (open && run !== open.run) closeAtRunEnd();
    if (e.kind === 'zxid') {
      if (open && open.epoch === undefined) open.epoch = e.epoch;
      continue;
    }
    if (e.kind === 'metaElection') {
      if (open && open.seq === undefined) open.seq = e.seq;
      else if (!open) election = { seq: e.seq, time: e.time, run };
      continue;
    }
    if (e.kind !== 'role') continue;
    if (e.edge === 'start') {
      if (!open) {
        const recent = election && election.run === run && e.time - election.time <= ELECTION_LEAD_US;
        open = { e, run, seq: recent ? election?.seq : undefined };
        election = undefined;
      }
    } else if (open && e.time < open.e.time) {
      out.push(...splitAtClockStep(bundle, open.e, e, role, node, open.epoch));
      open = undefined;
    } else if (open) {
      out.push({
        role,
        node,
        start: open.e.time,
        end: e.time,
        startSource: ref(bundle, open.e),
        endSource: ref(bundle, e),
        endReason: e.rule,
        startRule: open.e.kind === 'role' ? open.e.rule : '',
        startText: open.e.text,
        endText: e.text,
        epoch: open.epoch,
        electionSeq: open.seq,
      });
      open = undefined;
    }
  }
  closeAtRunEnd();
  return out;
}

/**
 * A term whose end line is dated before its start line: the clock stepped back in between. The file's
 * checkpoints (times sampled every 64 KiB) say where; without one in between, both halves have no length.
 */
function splitAtClockStep(bundle: BundleIndex, start: LogEvent, end: LogEvent, role: string, node: string, epoch?: number): RoleInterval[] {
  let before = start.time;
  let after = end.time;
  if (start.file === end.file) {
    let highest = start.time;
    for (const [line, , time] of bundle.files[start.file].checkpoints) {
      if (line <= start.line || line >= end.line) continue;
      if (time < highest - STEP_BACK_US) {
        before = highest;
        after = Math.min(time, end.time);
        break;
      }
      highest = Math.max(highest, time);
    }
  }
  const base = {
    role,
    node,
    startRule: start.kind === 'role' ? start.rule : '',
    startText: start.text,
    epoch,
    clockStepped: true as const,
  };
  return [
    { ...base, start: start.time, end: before, startSource: ref(bundle, start), endSource: ref(bundle, start), endReason: CLOCK_STEP_BACK },
    {
      ...base,
      start: after,
      end: end.time,
      startSource: ref(bundle, start),
      endSource: ref(bundle, end),
      endReason: end.kind === 'role' ? end.rule : '',
      endText: end.text,
    },
  ];
}
