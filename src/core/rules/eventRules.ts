import { splitZxid, type ZxidParts } from '../decode/zxid';
import type { FormatId } from '../formats/types';
import { HEX_DIGITS, IPV4 } from '../identifiers';
import type { EventPayload, SessionAction, SourceKind, ZkPeerState } from '../model';

/**
 * Built-in event rules: each has literal keywords (cheap to find in a chunk of bytes) and a regex that
 * confirms the line and captures its fields. Wording follows the catalog of ZooKeeper, glog, Hadoop and
 * kazoo messages; matches are tolerant of the wording changes between versions.
 */
export interface EventRule {
  id: string;
  /** A line is looked at only when it contains one of these (coarse is fine: the regex decides). */
  keywords?: string[];
  /**
   * Or: how the message begins, right after the format's message anchor (`] - LOOKING`). Searched as
   * anchor + start in formats that have an anchor, as a keyword anywhere in the others.
   */
  starts?: string[];
  regex: RegExp;
  build(m: RegExpExecArray, line: string): EventPayload | undefined;
  /** Formats whose files can hold this message; all formats when absent. Plain text always gets every rule. */
  formats?: FormatId[];
  /** The regex source after which `starts` are looked for, when not the format's own message anchor. */
  anchor?: string;
  /** Kinds of source whose files can hold this message; all when absent. */
  sources?: SourceKind[];
  /**
   * False for rules whose lines are always found by other rules' keywords anyway (the QuorumPeer thread
   * name is on every state line): they do not widen the search, which is what the scan pays for.
   */
  prefilter?: boolean;
}

const ZK: FormatId[] = ['zookeeper', 'log4j'];
/** The ZooKeeper C client: alone, or wrapped in the glog lines of the service that embeds it. */
const C_CLIENT: FormatId[] = ['glog', 'zkclient'];
/** The Java client in applications' log4j, and kazoo. */
const JAVA_CLIENT: FormatId[] = ['log4j', 'python'];
/** What the C client prints before each message (zk_log.c: `%s@%s@%d: `). */
const ZOO_ANCHOR = 'ZOO_[A-Z]+@\\w+@\\d+: ';
const GLOG: FormatId[] = ['glog'];
const PY: FormatId[] = ['python'];

/** A hex id, its digits in the group. */
const HEX = `0x(${HEX_DIGITS})`;
const CLIENT_ESTABLISHED = new RegExp(
  `[Ss]ession establishment complete on server (\\S+?),? session[Ii]d ?= ?${HEX}, negotiated timeout ?= ?(\\d+)`,
);
const CLIENT_EXPIRED = new RegExp(`session(?:Id=| )${HEX} has expired`, 'i');

function zxidParts(hex: string): ZxidParts {
  return splitZxid(BigInt('0x' + hex));
}

/** The session id of a client line that names none (kazoo's session end): the lifecycle attributes it. */
export const UNNAMED_SESSION = '';

function sessionHex(hex: string): string {
  return '0x' + BigInt('0x' + hex).toString(16);
}

function session(
  action: SessionAction,
  id: string,
  side: 'server' | 'client',
  extra: { timeoutMs?: number; client?: string } = {},
): EventPayload {
  return { kind: 'session', action, sessionId: sessionHex(id), side, ...extra };
}

const IP = `(${IPV4})`;
const IPTABLES_TARGET = new RegExp(`\\s-[sd]\\s+${IP}`);
const TCSET_TARGET = new RegExp(`--src-network\\s+${IP}`);
const KILL_SIGNAL = /\b(?:kill|pkill|killall)\s+(?:-s\s+)?-?((?:SIG)?(?:STOP|CONT)|19|18)\b/i;

/** An address that names a host; wildcard and loopback addresses name nothing. */
export function isUsefulAddress(a: string | undefined): a is string {
  return !!a && a !== '0.0.0.0' && !a.startsWith('127.');
}

function faultFromCommand(command: string, host: string | undefined): EventPayload | undefined {
  const detail = command.trim();
  if (/\biptables\b/.test(command)) {
    const target = IPTABLES_TARGET.exec(command)?.[1];
    if (/\s-[AI]\s/.test(command) && /-j\s+(?:DROP|REJECT)/.test(command))
      return { kind: 'fault', action: 'inject', tool: 'iptables', target, host, detail };
    if (/\s-[DF]\b/.test(command)) return { kind: 'fault', action: 'restore', tool: 'iptables', target, host, detail };
    return undefined;
  }
  if (/\btcset\b/.test(command)) {
    const target = TCSET_TARGET.exec(command)?.[1];
    return { kind: 'fault', action: 'inject', tool: 'tc', target, host, detail };
  }
  if (/\btcdel\b/.test(command)) return { kind: 'fault', action: 'restore', tool: 'tc', host, detail };
  // A process frozen and thawed (`kill -STOP <pid>` … `kill -CONT <pid>`): the pause behind many split brains.
  const signal = KILL_SIGNAL.exec(command)?.[1]?.toUpperCase().replace(/^SIG/, '');
  if (signal === 'STOP' || signal === '19') return { kind: 'fault', action: 'inject', tool: 'sigstop', host, detail };
  if (signal === 'CONT' || signal === '18') return { kind: 'fault', action: 'restore', tool: 'sigstop', host, detail };
  return undefined;
}

export const EVENT_RULES: readonly EventRule[] = [
  // ZooKeeper peer states (QuorumPeer.run loop, all versions).
  {
    id: 'zk.state',
    formats: ZK,
    starts: ['LOOKING', 'FOLLOWING', 'LEADING', 'OBSERVING'],
    regex: /\] - (LOOKING|FOLLOWING|LEADING|OBSERVING)\s*$/,
    build: (m) => ({ kind: 'zkState', state: m[1].toLowerCase() as ZkPeerState }),
  },
  // 3.5.10 / 3.6+: "Peer state changed: following - synchronization - diff".
  {
    id: 'zk.peerStateChanged',
    formats: ZK,
    starts: ['Peer state changed: '],
    regex:
      /Peer state changed: (looking|following|leading|observing)(?: - (discovery|synchronization|broadcast|election))?(?: - (diff|snap|trunc))?/,
    build: (m) => ({ kind: 'zkState', state: m[1] as ZkPeerState, phase: m[2], sync: m[3] }),
  },
  {
    id: 'zk.electionTook',
    formats: ZK,
    starts: ['LEADING - LEADER ELECTION TOOK', 'FOLLOWING - LEADER ELECTION TOOK'],
    regex: /(LEADING|FOLLOWING) - LEADER ELECTION TOOK - (\d+)/,
    build: (m) => ({ kind: 'electionTook', ms: +m[2], as: m[1] === 'LEADING' ? 'leading' : 'following' }),
  },
  {
    id: 'zk.quorumOfSupporters',
    formats: ZK,
    starts: ['Have quorum of supporters'],
    // 3.4 `[ 1,2 ]`, 3.5.9+ `[[1, 2, 3]]`, with dynamic reconfig `[ [1, 2],[1, 2] ]`: the list may nest.
    regex: new RegExp(`Have quorum of supporters, sids: \\[[\\[\\]\\d, ]*\\]; starting up and setting last processed zxid: ${HEX}`),
    build: (m) => ({ kind: 'zxid', what: 'quorum', ...zxidParts(m[1]) }),
  },
  {
    id: 'zk.syncWithLeader',
    formats: ZK,
    starts: ['Getting a diff', 'Getting a snapshot', 'Truncating log'],
    regex: new RegExp(`(Getting a diff|Getting a snapshot|Truncating log to get in sync) (?:from|with) (?:the )?leader ${HEX}`),
    build: (m) => ({
      kind: 'zxid',
      what: m[1] === 'Getting a diff' ? 'diff' : m[1] === 'Getting a snapshot' ? 'snapshot' : 'trunc',
      ...zxidParts(m[2]),
    }),
  },
  // The first transaction of a txn log file names it (FileTxnLog: `log.<zxid>`): written in the epoch of the
  // leader the server is serving under — exact, where sync zxids only bound it from below.
  {
    id: 'zk.txnLogCreated',
    formats: ZK,
    starts: ['Creating new log file: '],
    regex: new RegExp(`Creating new log file: log\\.(${HEX_DIGITS})\\b`),
    build: (m) => ({ kind: 'zxid', what: 'txnLog', ...zxidParts(m[1]) }),
  },
  {
    id: 'zk.newElection',
    formats: ZK,
    starts: ['New election'],
    regex: new RegExp(`New election\\. My id = +\\d+, proposed zxid=${HEX}`),
    build: (m) => ({ kind: 'zxid', what: 'newElection', ...zxidParts(m[1]) }),
  },
  // The meta service's own election through ZooKeeper (quorum_cluster.cc).
  {
    id: 'meta.electedLeader',
    formats: GLOG,
    starts: ['[ROLE CHANGE] I am the leader now'],
    regex: /I am the leader now\.\s+seq is (\d+)/,
    build: (m) => ({ kind: 'metaElection', what: 'leader', seq: +m[1] }),
  },
  {
    id: 'meta.knowsLeader',
    formats: GLOG,
    starts: ['Leader is '],
    regex: /Leader is (\S+?)\.?\s+seq is (\d+)/,
    build: (m) => ({ kind: 'metaElection', what: 'follower', seq: +m[2], leader: m[1] }),
  },
  // ZooKeeper server session lifecycle.
  {
    id: 'zk.sessionCommitted',
    formats: ZK,
    starts: ['Committing global session', 'Adding global session'],
    regex: new RegExp(`(?:Committing|Adding) global session ${HEX}`),
    build: (m) => session('committed', m[1], 'server'),
  },
  {
    id: 'zk.sessionExpiring',
    formats: ZK,
    starts: ['Expiring session'],
    regex: new RegExp(`Expiring session ${HEX}, timeout of (\\d+) ?ms exceeded`),
    build: (m) => session('expired', m[1], 'server', { timeoutMs: +m[2] }),
  },
  {
    id: 'zk.closeSession',
    formats: ZK,
    starts: ['Submitting global closeSession', 'Submitting local closeSession'],
    regex: new RegExp(`Submitting (?:global|local) closeSession request for session ${HEX}`),
    build: (m) => session('closeSubmitted', m[1], 'server'),
  },
  {
    id: 'zk.invalidSession',
    formats: ZK,
    starts: ['Invalid session'],
    regex: new RegExp(`Invalid session ${HEX} for client (\\S+?),? probably expired`),
    build: (m) => session('invalid', m[1], 'server', { client: m[2] }),
  },
  {
    id: 'zk.revalidating',
    formats: ZK,
    starts: ['Revalidating client'],
    regex: new RegExp(`Revalidating client: ${HEX}`),
    build: (m) => session('revalidated', m[1], 'server'),
  },
  {
    id: 'zk.established',
    formats: ZK,
    starts: ['Established session'],
    regex: new RegExp(`Established session ${HEX} with negotiated timeout (\\d+) for client (\\S+)`),
    build: (m) => session('established', m[1], 'server', { timeoutMs: +m[2], client: m[3] }),
  },
  {
    id: 'zk.terminated',
    formats: ZK,
    starts: ['Processed session termination'],
    regex: new RegExp(`Processed session termination for sessionid: ${HEX}`),
    build: (m) => session('closed', m[1], 'server'),
  },
  // Client side. The C client (alone, or inside a glog line) prints `ZOO_INFO@func@line: message`: its
  // messages are found after that anchor. The Java client (log4j apps, Hadoop) and kazoo: anywhere.
  {
    id: 'client.c.established',
    formats: C_CLIENT,
    anchor: ZOO_ANCHOR,
    starts: ['session establishment complete'],
    regex: CLIENT_ESTABLISHED,
    build: (m) => session('established', m[2], 'client', { timeoutMs: +m[3], client: m[1] }),
  },
  {
    id: 'client.c.expired',
    formats: C_CLIENT,
    anchor: ZOO_ANCHOR,
    starts: ['Socket [', 'session expired', 'Session expired'],
    regex: CLIENT_EXPIRED,
    build: (m) => session('clientExpired', m[1], 'client'),
  },
  {
    id: 'client.java.established',
    formats: JAVA_CLIENT,
    keywords: ['ession establishment complete'],
    regex: CLIENT_ESTABLISHED,
    build: (m) => session('established', m[2], 'client', { timeoutMs: +m[3], client: m[1] }),
  },
  {
    id: 'client.java.expired',
    formats: JAVA_CLIENT,
    keywords: ['has expired'],
    regex: CLIENT_EXPIRED,
    build: (m) => session('clientExpired', m[1], 'client'),
  },
  {
    id: 'client.java.closed',
    formats: JAVA_CLIENT,
    keywords: ['Session: 0x'],
    regex: new RegExp(`Session: ${HEX} closed`),
    build: (m) => session('closed', m[1], 'client'),
  },
  // kazoo names its session (in decimal) only when it is created, at its BLATHER level; the end of a session is
  // logged without an id — the lifecycle gives it to the session the same logger created last (`UNNAMED_SESSION`).
  {
    id: 'client.kazoo.created',
    formats: PY,
    keywords: ['Session created, session_id: '],
    regex: /Session created, session_id: (\d+)\b/,
    build: (m) => ({ kind: 'session', action: 'established', sessionId: '0x' + BigInt(m[1]).toString(16), side: 'client' }),
  },
  {
    id: 'client.kazoo.ended',
    formats: PY,
    keywords: ['Zookeeper session lost', 'Zookeeper session closed'],
    regex: /Zookeeper session (?:lost|closed), state: (EXPIRED_SESSION|CLOSED|AUTH_FAILED)\b/,
    build: (m) => ({
      kind: 'session',
      action: m[1] === 'EXPIRED_SESSION' ? 'clientExpired' : 'closed',
      sessionId: UNNAMED_SESSION,
      side: 'client',
    }),
  },
  // The meta service's lease sessions (glog; session.cc, session_follower.cc, access_manager.cc).
  {
    id: 'meta.sessionExpired',
    formats: GLOG,
    starts: ['[SESSION EXPIRED]', '[ACCESS SESSION EXPIRED]'],
    regex: /\[(ACCESS )?SESSION EXPIRED\]:? (?:session_epoch \{ uuid: "([0-9a-fA-F-]+)" epoch: (\d+))?/,
    build: (m) => ({ kind: 'metaSession', action: m[1] ? 'accessExpired' : 'expired', uuid: m[2], epoch: m[3] ? +m[3] : undefined }),
  },
  {
    id: 'meta.sessionDelayedRpc',
    formats: GLOG,
    starts: ['[BUG]: session expired caused by delayed RPC'],
    regex: /\[BUG\]: session expired caused by delayed RPC/,
    build: () => ({ kind: 'metaSession', action: 'expiredByDelayedRpc' }),
  },
  {
    id: 'meta.sessionFollower',
    formats: GLOG,
    starts: ['[SESSION KEEPALIVE FAILURE]', '[FOLLOWER SESSION JEOPARDY]', '[FOLLOWER SESSION RECONNECT]'],
    regex: /\[(SESSION KEEPALIVE FAILURE|FOLLOWER SESSION JEOPARDY|FOLLOWER SESSION RECONNECT)\]/,
    build: (m) => ({
      kind: 'metaSession',
      action: m[1] === 'SESSION KEEPALIVE FAILURE' ? 'keepaliveFailure' : m[1] === 'FOLLOWER SESSION JEOPARDY' ? 'jeopardy' : 'reconnect',
    }),
  },
  // Fault injection recorded by the test runner.
  {
    id: 'fault.command',
    formats: PY,
    keywords: ['iptables', 'tcset', 'tcdel', 'kill '],
    regex: /Running: (.*?)(?: with conn: <Connection host=([^\s>]+)[^>]*>;?\s*$|;?\s*$)/,
    build: (m) => faultFromCommand(m[1], m[2]),
  },
  {
    id: 'fault.restore',
    formats: PY,
    keywords: ['RESTORE_'],
    regex: /\b(RESTORE_[A-Z_]+)/,
    build: (m) => ({
      kind: 'fault',
      action: 'restore',
      tool: m[1] === 'RESTORE_IPTABLES' ? 'iptables' : m[1].slice(8).toLowerCase(),
      detail: m[1],
    }),
  },
  // ZooKeeper server start-up.
  {
    id: 'zk.banner',
    formats: ZK,
    starts: ['Reading configuration from:', 'Starting quorum peer'],
    regex: /(?:QuorumPeerConfig@\d+\] - Reading configuration from:|\] - Starting quorum peer)/,
    build: () => ({ kind: 'processStart', program: 'zookeeper', how: 'banner' }),
  },
  // Clock offsets measured by ntpd / chronyd (seed 000 checks them before trusting an overlap).
  {
    id: 'ntp.offset',
    sources: ['ntp'],
    keywords: ['offset', 'adjusting local clock', 'time reset', 'clock wrong by', 'System time'],
    regex:
      /(?:\boffset:?|adjusting local clock by|time reset|clock wrong by|System time\s*:)\s*([+-]?\d+(?:\.\d+)?)\s*(ms|s|sec|seconds)?\b(?:\s*(slow|fast))?/i,
    build: (m) => {
      const v = (Number(m[1]) / (m[2]?.toLowerCase() === 'ms' ? 1000 : 1)) * (m[3]?.toLowerCase() === 'slow' ? -1 : 1);
      return Number.isFinite(v) ? { kind: 'clockOffset', seconds: v } : undefined;
    },
  },
  // Addresses a node's own services announce.
  {
    id: 'alias.quorumPeer',
    formats: ZK,
    keywords: ['QuorumPeer[myid='],
    prefilter: false,
    regex: new RegExp(`QuorumPeer\\[myid=(\\d+)\\](?:\\(plain=(?:[^)/]*/)?${IP}:\\d+\\)|/${IP}:\\d+)?`),
    build: (m) => {
      const address = m[2] ?? m[3];
      return { kind: 'alias', myid: m[1], address: isUsefulAddress(address) ? address : undefined, via: 'QuorumPeer thread' };
    },
  },
  {
    id: 'alias.metaAddr',
    formats: GLOG,
    starts: ['Meta status change to new status'],
    regex: new RegExp(`Meta status change to new status: \\w+ meta addr: ${IP}`),
    build: (m) => ({ kind: 'alias', address: m[1], via: 'meta status' }),
  },
  {
    id: 'alias.joined',
    formats: GLOG,
    starts: ['Joined by creating path'],
    regex: new RegExp(`Joined by creating path: \\S+ with value: ${IP}:\\d+`),
    build: (m) => ({ kind: 'alias', address: m[1], via: 'meta quorum join' }),
  },
];
