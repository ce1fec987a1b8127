import { decodeSessionId } from '../decode/sessionId';
import type { BundleIndex, LogEvent } from '../model';
import { isWhole, UUID } from '../identifiers';

export interface LifecycleEvent {
  file: number;
  line: number;
  time: number;
  /** "committed", "expired (timeout 4000 ms)", "[SESSION EXPIRED]", … */
  what: string;
  text: string;
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
export function sessionLifecycle(bundle: BundleIndex, id: string): SessionLifecycle {
  const everyMeta = id.trim().toLowerCase() === 'meta';
  const uuid = isWhole(UUID, id.trim(), 'i') ? id.trim().toLowerCase() : undefined;
  const decoded = uuid || everyMeta ? undefined : decodeSessionId(id);
  const zk = decoded?.sessionId;
  const events: LifecycleEvent[] = [];
  bundle.files.forEach((f, file) => {
    const refs = sessionRefs(f.events);
    for (const i of zk ? (refs.zk.get(zk) ?? []) : []) {
      const e = f.events[i] as ZkSessionEvent;
      const timeout = e.timeoutMs !== undefined ? ` (timeout ${e.timeoutMs} ms)` : '';
      events.push({ file, line: e.line, time: e.time, what: `${ZK_WORDS[e.action] ?? e.action}${timeout}`, text: e.text });
    }
    if (!uuid && !everyMeta) return;
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
  return { id: zk ?? id, kind: 'zookeeper', creatorMyid: decoded?.myid, events };
}

type ZkSessionEvent = Extract<LogEvent, { kind: 'session' }>;
type MetaSessionEvent = Extract<LogEvent, { kind: 'metaSession' }>;

/** Where a file's session events sit (indexes into its events), by ZooKeeper session id; meta ones in order. */
interface SessionRefs {
  zk: Map<string, number[]>;
  meta: number[];
}

// Built once per file's event list (hovers ask for every session id under the pointer); a rescanned file
// gets a new list, so nothing stale is kept.
const refsCache = new WeakMap<readonly LogEvent[], SessionRefs>();

function sessionRefs(events: readonly LogEvent[]): SessionRefs {
  let refs = refsCache.get(events);
  if (refs) return refs;
  refs = { zk: new Map(), meta: [] };
  events.forEach((e, i) => {
    if (e.kind === 'metaSession') refs.meta.push(i);
    else if (e.kind === 'session') {
      const list = refs.zk.get(e.sessionId);
      if (list) list.push(i);
      else refs.zk.set(e.sessionId, [i]);
    }
  });
  refsCache.set(events, refs);
  return refs;
}
