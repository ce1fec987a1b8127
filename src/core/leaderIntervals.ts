import type { BundleIndex, LogEvent, SourceRef } from './model';
import { eventsByActor, runOfEvent, runsByFile } from './processes';
import { ROLE } from './rules/roleRules';
import type { Micros } from './time';
import { inferEpochs } from './zkEpochs';

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
  /** ZooKeeper epoch of the leadership, when the logs tell it exactly (see `epochBy`). */
  epoch?: number;
  /**
   * How the epoch is known: the leader's quorum line, the txn log files (`log.<zxid>`) it opened, or those its
   * followers opened while it was the only leader (core zkEpochs).
   */
  epochBy?: 'quorum' | 'txnLog' | 'followersTxnLog';
  /**
   * What the logs bound the epoch by when they do not tell it: the epoch of the zxids the leader synced its
   * followers to (`Getting a diff from the leader 0x…`) — a new leader's epoch is at least theirs.
   */
  epochAtLeast?: number;
  /** The meta service's election sequence number of this leadership (`I am the leader now.  seq is 416`). */
  electionSeq?: number;
  /** The lines the epoch, its bound or the election seq were read from. */
  evidence?: Evidence[];
  /**
   * ZooKeeper phases of the term as logged (3.5.10+/3.6+ `Peer state changed: leading - broadcast`); without
   * phase lines, broadcast begins at the quorum line (`…; starting up`). Absent when the logs show neither.
   */
  phases?: Phase[];
  /**
   * The node's clock stepped back during the term (its end came out earlier than its start): the term is
   * split at the step into two intervals, both flagged, so neither has a negative length.
   */
  clockStepped?: true;
}

/** A line that proves something about a term: its epoch, a bound on it, its election seq. */
export interface Evidence {
  what: 'epoch' | 'epochAtLeast' | 'electionSeq';
  node: string;
  source: SourceRef;
  text: string;
  /** The line's time, on its node's clock. */
  time: Micros;
}

export type PhaseName = 'discovery' | 'synchronization' | 'broadcast';

export interface Phase {
  phase: PhaseName;
  time: Micros;
  source: SourceRef;
  text: string;
  /** Broadcast read from the quorum line (`…; starting up`) because no phase line was logged (yet). */
  fromQuorumLine?: true;
}

/** When a ZooKeeper term could serve clients: its first broadcast phase. */
export function servingFrom(iv: RoleInterval): Micros | undefined {
  return iv.phases?.find((p) => p.phase === 'broadcast')?.time;
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
      (e.kind === 'zxid' && (e.what === 'quorum' || e.what === 'txnLog')) ||
      (e.kind === 'zkState' && e.state === 'leading' && !!e.phase) ||
      (e.kind === 'metaElection' && e.what === 'leader'),
    (e) => e.kind === 'role',
  );
  for (const { actor, events } of groups) out.push(...intervalsOfGroup(bundle, byFile, events, role, actor));
  out.sort((a, b) => a.start - b.start || a.node.localeCompare(b.node));
  return role === ROLE.zookeeper ? inferEpochs(bundle, out) : out;
}

function ref(bundle: BundleIndex, e: LogEvent): SourceRef {
  return { file: bundle.files[e.file].path, line: e.line, offset: e.offset };
}

/** What is learnt about a term while it is open: carried onto its interval (or both halves of a split one). */
interface OpenTerm {
  e: LogEvent;
  run: ReturnType<typeof runOfEvent>;
  epoch?: number;
  epochBy?: RoleInterval['epochBy'];
  seq?: number;
  evidence: Evidence[];
  phases: Phase[];
}

function termFields(t: OpenTerm): Pick<RoleInterval, 'epoch' | 'epochBy' | 'electionSeq' | 'evidence' | 'phases'> {
  return {
    epoch: t.epoch,
    epochBy: t.epochBy,
    electionSeq: t.seq,
    ...(t.evidence.length > 0 && { evidence: t.evidence }),
    ...(t.phases.length > 0 && { phases: t.phases }),
  };
}

const PHASES: readonly string[] = ['discovery', 'synchronization', 'broadcast'] satisfies PhaseName[];

/** Reads an epoch, election seq or phase line into the open term; false when the event is none of these. */
function learn(bundle: BundleIndex, node: string, open: OpenTerm | undefined, e: LogEvent): boolean {
  const proof = (what: Evidence['what']): Evidence => ({ what, node, source: ref(bundle, e), text: e.text, time: e.time });
  if (e.kind === 'zxid') {
    // The quorum line states the epoch; a txn log file of its own names it too (a leader writes only its epoch's).
    if (open && (open.epoch === undefined || (open.epochBy === 'txnLog' && e.what === 'quorum'))) {
      open.epoch = e.epoch;
      open.epochBy = e.what === 'quorum' ? 'quorum' : 'txnLog';
      open.evidence = [...open.evidence.filter((x) => x.what !== 'epoch'), proof('epoch')];
    }
    if (open && e.what === 'quorum' && !open.phases.some((p) => p.phase === 'broadcast')) {
      // 3.4 and 3.5 before the phase lines: "starting up" is where broadcast begins (Leader.lead).
      open.phases.push({ phase: 'broadcast', time: e.time, source: ref(bundle, e), text: e.text, fromQuorumLine: true });
    }
    return true;
  }
  if (e.kind === 'zkState') {
    if (open && e.phase && PHASES.includes(e.phase)) {
      // A logged phase line wins over the broadcast read from the quorum line (3.6+ log both, in that order).
      const i = open.phases.findIndex((p) => p.phase === e.phase);
      const derived = i >= 0 && open.phases[i].fromQuorumLine;
      if (i < 0 || derived) {
        if (derived) open.phases.splice(i, 1);
        open.phases.push({ phase: e.phase as PhaseName, time: e.time, source: ref(bundle, e), text: e.text });
      }
    }
    return true;
  }
  if (e.kind === 'metaElection') {
    if (open && open.seq === undefined) {
      open.seq = e.seq;
      open.evidence.push(proof('electionSeq'));
    }
    return true;
  }
  return false;
}

function intervalsOfGroup(
  bundle: BundleIndex,
  byFile: ReturnType<typeof runsByFile>,
  events: LogEvent[],
  role: string,
  node: string,
): RoleInterval[] {
  const out: RoleInterval[] = [];
  let open: OpenTerm | undefined;
  // The election result is logged just before the role starts: kept until the start it belongs to.
  let election: { e: LogEvent & { kind: 'metaElection' }; run: ReturnType<typeof runOfEvent> } | undefined;
  let phaseLine: LogEvent | undefined;
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
      ...termFields(open),
    });
    open = undefined;
  };
  for (const e of events) {
    const run = runOfEvent(byFile.get(e.file), e);
    if (open && run !== open.run) closeAtRunEnd();
    if (e.kind === 'metaElection' && !open) {
      election = { e, run };
      continue;
    }
    // `Peer state changed: leading - discovery` both starts the term and names its phase, in either order.
    if (e.kind === 'zkState' && !open) {
      phaseLine = e;
      continue;
    }
    if (learn(bundle, node, open, e)) continue;
    if (e.kind !== 'role') continue;
    if (e.edge === 'start') {
      if (!open) {
        open = { e, run, evidence: [], phases: [] };
        if (election && election.run === run && e.time - election.e.time <= ELECTION_LEAD_US) learn(bundle, node, open, election.e);
        if (phaseLine && phaseLine.file === e.file && phaseLine.line === e.line) learn(bundle, node, open, phaseLine);
        election = undefined;
      }
    } else if (open && e.time < open.e.time) {
      out.push(...splitAtClockStep(bundle, open, e, role, node));
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
        ...termFields(open),
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
function splitAtClockStep(bundle: BundleIndex, term: OpenTerm, end: LogEvent, role: string, node: string): RoleInterval[] {
  const start = term.e;
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
  // Both halves are the one term: its epoch, seq and evidence hold for each.
  const base = {
    role,
    node,
    startRule: start.kind === 'role' ? start.rule : '',
    startText: start.text,
    ...termFields(term),
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
