/**
 * What the use cases answer. The CLI prints these and the language server sends them as they are
 * (src/shared/protocol.ts names them as its request results). Times travel as wall-clock microseconds plus
 * a label already written the way the caller asked (`ServiceContext.label`).
 */
import type { Decoded } from '../core/decode/decodeValue';
import type { NumberSummary } from '../core/workflows/numericStats';
import type { RoleInfo } from '../core/rules/roleRules';

export type { RoleInfo };

/** A line in a bundle file. `line` is 1-based, as the logs' users count. */
export interface SourceLocation {
  uri: string;
  /** Path relative to the bundle root. */
  file: string;
  line: number;
}

export interface IntervalInfo {
  role: string;
  node: string;
  /** `172.20.131.241` for address folders, else the folder name. */
  nodeLabel: string;
  start: number;
  end: number;
  startLabel: string;
  endLabel: string;
  seconds: number;
  startSource: SourceLocation;
  endSource: SourceLocation;
  endReason: string;
  /** The end reason in words that follow "ended by" (`describeEndReason`): the end message, "the process exiting (restarted later)", "the end of the logs (still holding it then)". */
  endReasonText: string;
  startText: string;
  endText?: string;
  epoch?: number;
  /** The node's clock stepped back during the term; it is split at the step (see core leaderIntervals). */
  clockStepped?: true;
  /** With several bundles open: the root of the one this term is in (node names repeat across bundles). */
  bundle?: string;
  /** The meta service's election seq of this leadership, when logged. */
  electionSeq?: number;
  /** How the epoch is known: the quorum line, its own txn log files, or its followers' (core zkEpochs). */
  epochBy?: 'quorum' | 'txnLog' | 'followersTxnLog';
  /** When the epoch is not known exactly: what the followers' sync zxids say it is at least. */
  epochAtLeast?: number;
  /** ZooKeeper phases as logged (discovery, synchronization, broadcast); broadcast is when it could serve. */
  phases?: PhaseInfo[];
}

export interface PhaseInfo {
  phase: 'discovery' | 'synchronization' | 'broadcast';
  time: number;
  timeLabel: string;
  source: SourceLocation;
  text: string;
}

/** A node that stopped writing while it otherwise writes steadily (a pause, a GC stall, a freeze). */
export interface SilenceInfo {
  node: string;
  nodeLabel: string;
  program: string;
  from: number;
  to: number;
  fromLabel: string;
  toLabel: string;
  seconds: number;
  /** How often the process usually writes (the spacing most of its lines keep), in ms. */
  usualSpacingMs: number;
  /** The last line before the silence and the first after it. */
  before: SourceLocation;
  after: SourceLocation;
}

/** An injected fault near an overlap: active during it, or the nearest one before it. */
export interface FaultNearby {
  tool: string;
  detail: string;
  target?: string;
  /** The node the fault hit (its target address, else the host the command ran on). */
  node?: string;
  nodeLabel?: string;
  start: number;
  end: number;
  startLabel: string;
  endLabel: string;
  /** No restore was logged: the fault lasts until the logs end. */
  open: boolean;
  source: SourceLocation;
  text: string;
  relation: 'during' | 'before';
  /** For `before`: how long before the overlap's start the fault was lifted (or began, when still active). */
  secondsBefore?: number;
  /** "iptables DROP on 10.0.131.243, 12 s before" */
  words: string;
}

export interface OverlapInfo {
  role: string;
  nodes: [string, string];
  nodeLabels: [string, string];
  start: number;
  end: number;
  startLabel: string;
  endLabel: string;
  seconds: number;
  intervals: [IntervalInfo, IntervalInfo];
  /** Configured clock offset between the two nodes, in ms, when any is set. */
  clockOffsetMs?: number;
  /** How far apart the two nodes' clocks may be by their NTP measurements (ms), when measured. */
  clockUncertaintyMs?: number;
  /** The overlap is no longer than that uncertainty: it may not be real. */
  uncertain?: boolean;
  /** With several bundles open: the root of the one this overlap is in. */
  bundle?: string;
  /**
   * ZooKeeper: when both leaders were in broadcast (could serve clients) at once — `seconds: 0` without
   * start/end when the phases show they never were; absent when the phases are not known.
   */
  bothServing?: { start: number; end: number; startLabel: string; endLabel: string; seconds: number } | { seconds: 0 };
  /** Silences of either side that touch the overlap (from a minute before it to its end). */
  silences: SilenceInfo[];
  /** Faults active during the overlap, and the nearest one before it. */
  faults: FaultNearby[];
  /** The side whose leadership is older (it should have stepped down), why, and the lines that show it. */
  stale?: {
    node: string;
    nodeLabel: string;
    why: string;
    by: 'epoch' | 'electionSeq' | 'start';
    /** Each line with its time (corrected by its node's clock offset). */
    evidence: { node: string; location: SourceLocation; text: string; time: number; timeLabel: string }[];
  };
}

/** How many intervals on how many nodes were compared: "none found" means little without it. */
export interface Examined {
  intervals: number;
  nodes: number;
}

export interface LeadersResult {
  roles: string[];
  intervals: IntervalInfo[];
  /** What the answer does not cover (a bundle folder that is gone). */
  warnings: string[];
}

export interface OverlapsResult {
  roles: string[];
  overlaps: OverlapInfo[];
  examined: Examined;
  /** What the answer does not cover (a bundle folder that is gone). */
  warnings: string[];
}

export interface NodeSummary {
  name: string;
  label: string;
  kind: 'node' | 'source';
  /** The address the folder name spells, when it spells one. */
  folderAddress?: string;
  addresses: string[];
  myids: string[];
  files: number;
  start?: number;
  end?: number;
  startLabel?: string;
  endLabel?: string;
}

export interface BundleSummary {
  root: string;
  rootUri: string;
  files: number;
  indexedFiles: number;
  bytes: number;
  lines: number;
  formats: Record<string, number>;
  start?: number;
  end?: number;
  startLabel?: string;
  endLabel?: string;
  nodes: NodeSummary[];
  processes: number;
  events: Record<string, number>;
  leaderIntervals: Record<string, number>;
  skipped: { file: string; reason: string }[];
  duplicates: { file: string; of: string; reason?: string }[];
  notes: { file?: string; note: string }[];
  /** Where the bundle root was found and how its nodes were recognised ("bundle root cluster-logs-…/ (5 node folders named by address)"). */
  layout?: string;
  /** What makes answers about nodes doubtful (several machines in one node, another bundle beside this one). */
  warnings: string[];
}

/** The counts the editor's status bar shows once indexing is done. */
export interface IndexCounts {
  nodes: number;
  files: number;
  leaderIntervals: number;
  /** The roles the rules define, with the labels views show (`zk` → "ZooKeeper leader"). */
  roles: RoleInfo[];
  /** Bundle folders that are gone, with why. */
  gone: string[];
  /** Each bundle's root and how its nodes were recognised, and what makes its answers doubtful. */
  layouts: string[];
  warnings: string[];
}

export interface DecodeResult {
  decoded?: Decoded;
  /** The readings in words, with the bundle's own answers (the epoch's leader, the session's creator). */
  markdown: string;
}

/** A file a search could not read (deleted or made unreadable since indexing); the search went on without it. */
export interface UnreadableFile {
  file: string;
  message: string;
}

/** One line found by a workflow, ready to show and to open. */
export interface FoundLine {
  location: SourceLocation;
  node: string;
  nodeLabel: string;
  /** Time label (corrected by the node's clock offset), when the line has one. */
  timeLabel?: string;
  time?: number;
  text: string;
}

export type ClockOffsetSummary = NumberSummary & { maxAbs: number };

export interface NodeClockOffsets {
  node: string;
  label: string;
  /** What NTP/chrony measured (seconds), when the node's logs say. */
  measured?: ClockOffsetSummary;
  /** The correction the user configured (ms). */
  configuredMs?: number;
}

export interface ClockOffsetsResult {
  nodes: NodeClockOffsets[];
}

export interface SessionEventInfo extends FoundLine {
  what: string;
  /**
   * For a server's expiry or closeSession: whether it took effect — false when the server that logged it was
   * a deposed leader (another already led a newer epoch); absent when the logs cannot tell.
   */
  effective?: boolean;
  /** Why it did not take effect (or what confirms it did). */
  why?: string;
}

/** Everything about one overlap an incident ticket needs, each line one click from its source. */
export interface OverlapReport {
  overlap: OverlapInfo;
  /** Both nodes' ZooKeeper states and role lines from before the earlier term began to after the overlap. */
  states: FoundLine[];
  /** Session expiries and closes logged around the overlap, judged. */
  sessions: SessionEventInfo[];
  /** What makes the report doubtful (a clock offset larger than the overlap, layout warnings). */
  warnings: string[];
}

export interface ExplainResult {
  roles: string[];
  reports: OverlapReport[];
  examined: Examined;
  warnings: string[];
}

export interface SessionLifecycleInfo {
  /** `0x…` for a ZooKeeper session, a uuid for a meta session, "meta" for every meta session line. */
  id: string;
  kind: 'zookeeper' | 'meta';
  /** The server whose myid is the session id's top byte, and the node it maps to when the bundle says. */
  /** `claimedBy`: the nodes that all claim the myid (then `node` is absent: which one cannot be told). */
  createdBy?: { myid: number; node?: string; nodeLabel?: string; claimedBy?: string[] };
  events: SessionEventInfo[];
}

export interface FileWindow {
  lines: string[];
  totalLines?: number;
}

/** An archive unpacked for the editor: where, or why not. */
export interface UnpackedArchive {
  /** The archive's file name. */
  name: string;
  /** The extraction folder (in the cache), to open as a workspace folder. */
  extractedTo?: string;
  /** An earlier extraction was reused. */
  reused?: boolean;
  /** Entries refused (outside the archive, links, devices, over a cap) and where unpacking stopped. */
  notes: string[];
  /** Why it could not be unpacked (not an archive, a disk error). */
  problem?: string;
}

export type * from './mergeResults';
export type * from './searchResults';
