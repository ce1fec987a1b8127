/**
 * Who holds a role: a node (machine), or one peer of a ZooKeeper quorum run inside one process on it
 * (tests start five `QuorumPeer[myid=N]` in one JVM). Written `node` or `node/myid=N`; built and read only here.
 */
export interface Actor {
  node: string;
  /** The peer's myid, for an in-process quorum. */
  peer?: string;
}

const SEPARATOR = '/myid=';

/** The actor id of a node, or of one peer on it (an empty myid, as `[myid:]` prints, is no peer). */
export function actorId(node: string, peer?: string): string {
  return peer ? `${node}${SEPARATOR}${peer}` : node;
}

export function parseActor(id: string): Actor {
  const at = id.indexOf(SEPARATOR);
  return at < 0 ? { node: id } : { node: id.slice(0, at), peer: id.slice(at + SEPARATOR.length) };
}

/** The machine an actor runs on: clock offsets, aliases and NTP readings are per machine. */
export function hostOf(id: string): string {
  return parseActor(id).node;
}

/** Does the actor run on that node? */
export function runsOn(id: string, node: string): boolean {
  return hostOf(id) === node;
}
