import { decodeSessionId } from '../decode/sessionId';
import type { BundleIndex, EventTally, LogEvent, SessionAction } from '../model';
import { isWhole, UUID } from '../identifiers';
import { UNNAMED_SESSION } from '../rules/eventRules';
import { actorId } from '../actor';
import { judgeExpiry, type ExpiryVerdict } from '../expiryVerdict';
import type { RoleInterval } from '../leaderIntervals';
import type { ClockOffsets } from '../overlaps';

export interface LifecycleEvent {
  file: number;
  line: number;
  time: number;
  /** "committed", "expired (timeout 4000 ms)", "[SESSION EXPIRED]", … */
  what: string;
  text: string;
  /**
   * Set on a row that stands for lines counted past the file's event budget: how many, and where the last
   * one is (`line`/`time` are the first one's).
   */
  count?: number;
  lastLine?: number;
  lastTime?: number;
  /** A server's expiry or closeSession, judged against the leader terms: did it take effect? */
  verdict?: ExpiryVerdict;
  /** ZooKeeper session lines: what happened and on which side. */
  action?: SessionAction;
  side?: 'server' | 'client';
}

/** The ZooKeeper leader terms (and clock corrections) a server's expiries are judged against. */
export interface ExpiryJudge {
  zkTerms: readonly RoleInterval[];
  offsets?: ClockOffsets;
}

export interface SessionLifecycle {
  /** The session id as the index spells it (`0x…` lower case, a uuid), or "meta" for every meta session line. */
  id: string;
  kind: 'zookeeper' | 'meta';
  /** A ZooKeeper session id names the server that created it in its top byte. */
  creatorMyid?: number;
  events: LifecycleEvent[];
}

const ZK_WORDS: Record<string, string> = {
  established: 'established',
  committed: 'committed (global session)',
  revalidated: 'revalidated (client moved here)',
  invalid: '"Invalid session … probably expired"',
  expired: 'expired by the leader',
  closeSubmitted: 'closeSession submitted',
  closed: 'closed',
  clientExpired: 'client saw "session expired"',
};
const META_WORDS: Record<string, string> = {
  expired: '[SESSION EXPIRED]',
  accessExpired: '[ACCESS SESSION EXPIRED]',
  expiredByDelayedRpc: '[BUG] expired by a delayed RPC',
  keepaliveFailure: '[SESSION KEEPALIVE FAILURE]',
  jeopardy: '[FOLLOWER SESSION JEOPARDY]',
  reconnect: '[FOLLOWER SESSION RECONNECT]',
};

/**
 * Everything the bundle says about one session, in time order: a ZooKeeper session id (hex or kazoo's
 * decimal) — created, committed, revalidated on another server, expired (by which leader, timeout),
 * closed — or a meta service session uuid — expiry, and the "[BUG] … delayed RPC" line that follows it.
 * "meta" lists every meta session line: the follower side (keepalive failure, jeopardy, reconnect) names
 * no uuid, so this is how a user sees them across nodes.
 */
export function sessionLifecycle(bundle: BundleIndex, id: string, judge?: ExpiryJudge): SessionLifecycle {
  const everyMeta = id.trim().toLowerCase() === 'meta';
  const uuid = isWhole(UUID, id.trim(), 'i') ? id.trim().toLowerCase() : undefined;
  const decoded = uuid || everyMeta ? undefined : decodeSessionId(id);
  const zk = decoded?.sessionId;
  const events: LifecycleEvent[] = [];
  bundle.files.forEach((f, file) => {
    const refs = sessionRefs(f.events);
    const mine = zk ? [...(refs.zk.get(zk) ?? []), ...(refs.unnamed.get(zk) ?? [])].sort((a, b) => a - b) : [];
    for (const i of mine) {
      const e = f.events[i] as ZkSessionEvent;

      const judged = judge && e.side === 'server' && (e.action === 'expired' || e.action === 'closeSubmitted');
      const verdict = judged ? judgeExpiry(actorId(f.node, e.peer), e.time, judge.zkTerms, judge.offsets) : undefined;
      events.push({ file, line: e.line, time: e.time, what: zkSessionWords(e), text: e.text, verdict, action: e.action, side: e.side });
    }
    // Lines past the file's event budget were counted, not kept: one row per counted action. A copy's
    // events are dropped at assembly; so are its counts here.
    const tallies = f.duplicateOf ? [] : (f.eventTallies ?? []);
    for (const t of tallies) {
      if (t.kind !== 'session' || !zk || (t.id !== zk && t.id !== '*')) continue;
      events.push(tallyRow(file, t, ZK_WORDS[t.action] ?? t.action));
    }
    if (!uuid && !everyMeta) return;
    for (const t of tallies) {
      if (t.kind !== 'metaSession' || !(everyMeta || t.id === uuid || t.id === '*')) continue;
      const whose = everyMeta && t.id && t.id !== '*' ? ` ${t.id}` : '';
      events.push(tallyRow(file, t, `${META_WORDS[t.action] ?? t.action}${whose}`));
    }
    let lastExpiryOfThis = -1;
    for (const i of refs.meta) {
      const e = f.events[i] as MetaSessionEvent;
      // "[BUG]: session expired caused by delayed RPC" names no uuid: it belongs to the expiry just above.
      const mine = everyMeta || e.uuid === uuid || (e.action === 'expiredByDelayedRpc' && lastExpiryOfThis === i - 1);
      if (e.uuid === uuid) lastExpiryOfThis = i;
      const whose = everyMeta && e.uuid ? ` ${e.uuid}` : '';
      if (mine) events.push({ file, line: e.line, time: e.time, what: `${META_WORDS[e.action] ?? e.action}${whose}`, text: e.text });
    }
  });
  events.sort((a, b) => a.time - b.time || a.file - b.file || a.line - b.line);
  if (uuid || everyMeta) return { id: uuid ?? 'meta', kind: 'meta', events };
  confirmByClient(events);
  return { id: zk ?? id, kind: 'zookeeper', creatorMyid: decoded?.myid, events };
}

/**
 * What the client said next settles the servers' expiries before it: seeing the expiry confirms the effective
 * ones (the deposed leader's earlier bogus one is not what it saw — unless no expiry was judged effective);
 * closing the session itself shows the expiries before it never happened.
 */
function confirmByClient(events: LifecycleEvent[]): void {
  let pending: LifecycleEvent[] = [];
  for (const e of events) {
    if (e.verdict) pending.push(e);
    if (e.side !== 'client' || (e.action !== 'clientExpired' && e.action !== 'closed') || pending.length === 0) continue;
    const effective = pending.filter((x) => x.verdict?.effective);
    const settled = e.action === 'clientExpired' && effective.length > 0 ? effective : pending;
    for (const x of settled) if (x.verdict) x.verdict = { ...x.verdict, client: { action: e.action, time: e.time } };
    pending = [];
  }
}

/** A ZooKeeper session line in the extension's words: "expired by the leader (timeout 4000 ms)". */
export function zkSessionWords(e: { action: string; timeoutMs?: number }): string {
  const timeout = e.timeoutMs !== undefined ? ` (timeout ${e.timeoutMs} ms)` : '';
  return `${ZK_WORDS[e.action] ?? e.action}${timeout}`;
}

/** A counted action as one row: "revalidated … 19500 times in lines 200402–8000001 (…counted, not kept)". */
function tallyRow(file: number, t: EventTally, words: string): LifecycleEvent {
  const whose = t.id === '*' ? ' by sessions not told apart (past the count cap; this one or others)' : '';
  const where = t.count === 1 ? `line ${t.first.line}` : `${t.count} times in lines ${t.first.line}–${t.last.line}`;
  return {
    file,
    line: t.first.line,
    time: t.first.time,
    what: `${words}${whose}: ${where} (summarised past the file's event budget: counted, not kept)`,
    text: t.text,
    count: t.count,
    lastLine: t.last.line,
    lastTime: t.last.time,
  };
}

type ZkSessionEvent = Extract<LogEvent, { kind: 'session' }>;
type MetaSessionEvent = Extract<LogEvent, { kind: 'metaSession' }>;

/** Where a file's session events sit (indexes into its events), by ZooKeeper session id; meta ones in order. */
interface SessionRefs {
  zk: Map<string, number[]>;
  /** Client lines that name no session (kazoo's session end), by the session their logger created last. */
  unnamed: Map<string, number[]>;
  meta: number[];
}

/** Which client logged a line: kazoo's logger name (`kazoo.client`, `kazoo.client.B`), else the whole file. */
function clientOf(text: string): string {
  return /\bkazoo\.client[\w.]*/.exec(text)?.[0] ?? '';
}

// Built once per file's event list (hovers ask for every session id under the pointer); a rescanned file
// gets a new list, so nothing stale is kept.
const refsCache = new WeakMap<readonly LogEvent[], SessionRefs>();

function sessionRefs(events: readonly LogEvent[]): SessionRefs {
  let refs = refsCache.get(events);
  if (refs) return refs;
  refs = { zk: new Map(), unnamed: new Map(), meta: [] };
  const created = new Map<string, string>();
  events.forEach((e, i) => {
    if (e.kind === 'metaSession') refs.meta.push(i);
    else if (e.kind === 'session' && e.sessionId === UNNAMED_SESSION) {
      const owner = created.get(clientOf(e.text));
      if (owner === undefined) return;
      const list = refs.unnamed.get(owner);
      if (list) list.push(i);
      else refs.unnamed.set(owner, [i]);
    } else if (e.kind === 'session') {
      if (e.side === 'client' && e.action === 'established') created.set(clientOf(e.text), e.sessionId);
      const list = refs.zk.get(e.sessionId);
      if (list) list.push(i);
      else refs.zk.set(e.sessionId, [i]);
    }
  });
  refsCache.set(events, refs);
  return refs;
}
