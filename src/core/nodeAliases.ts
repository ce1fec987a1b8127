import { addressFromFolderName } from './bundleLayout';
import { withoutPort } from './identifiers';
import type { FileIndex, NodeInfo } from './model';
import { isUsefulAddress } from './rules/eventRules';

/**
 * Nodes and the names they go by, learned from the logs: the folder address; addresses and myids the
 * node's own services announce (ZooKeeper's QuorumPeer thread, the meta status line, the meta quorum's
 * join value); and the data address a fault was injected on (`-s 10.0.131.242 … host=172.20.131.242`).
 */
export function buildNodes(files: readonly FileIndex[], kinds: ReadonlyMap<string, 'node' | 'source'>): NodeInfo[] {
  const nodes = new Map<string, { info: NodeInfo; addresses: Set<string>; myids: Set<string> }>();
  const get = (name: string) => {
    let n = nodes.get(name);
    if (!n) {
      const folderAddress = addressFromFolderName(name);
      n = {
        info: { name, folderAddress, addresses: [], myids: [], kind: kinds.get(name) ?? 'node' },
        addresses: new Set(folderAddress ? [folderAddress] : []),
        myids: new Set(),
      };
      nodes.set(name, n);
    }
    return n;
  };
  for (const name of kinds.keys()) get(name);
  for (const f of files) {
    if (f.skipped || f.duplicateOf) continue;
    const n = get(f.node);
    for (const e of f.events) {
      if (e.kind !== 'alias') continue;
      if (e.myid !== undefined) n.myids.add(e.myid);
      if (isUsefulAddress(e.address)) n.addresses.add(e.address);
    }
  }
  // Fault injections name the host they ran on and the address they cut: both belong to one node.
  const byAddress = addressIndex([...nodes.values()].map((n) => ({ name: n.info.name, addresses: n.addresses })));
  for (const f of files) {
    for (const e of f.events) {
      if (e.kind !== 'fault' || !e.host || !e.target) continue;
      const owner = byAddress.get(e.host);
      if (owner && !byAddress.has(e.target)) {
        nodes.get(owner)?.addresses.add(e.target);
        byAddress.set(e.target, owner);
      }
    }
  }
  return [...nodes.values()]
    .map((n) => ({ ...n.info, addresses: [...n.addresses].sort(compareAddresses), myids: [...n.myids].sort((a, b) => +a - +b) }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

function addressIndex(nodes: readonly { name: string; addresses: Iterable<string> }[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const n of nodes) for (const a of n.addresses) if (!map.has(a)) map.set(a, n.name);
  return map;
}

function compareAddresses(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 4; i++) if (pa[i] !== pb[i]) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}

/**
 * Resolves an address (`10.0.131.242`, `10.0.131.242:2181`) or a ZooKeeper myid to the node it belongs to.
 * A myid several nodes claim (two clusters in one bundle, a copied zoo.cfg) resolves to none: naming the
 * first would be a guess. `myidHolders` names them all.
 */
export function nodeResolver(nodes: readonly NodeInfo[]): {
  byAddress(a: string): string | undefined;
  byMyid(id: string): string | undefined;
  myidHolders(id: string): string[];
} {
  const addresses = addressIndex(nodes);
  const myids = new Map<string, string[]>();
  for (const n of nodes) for (const id of n.myids) myids.set(id, [...(myids.get(id) ?? []), n.name]);
  return {
    byAddress: (a) => addresses.get(withoutPort(a)),
    byMyid: (id) => {
      const holders = myids.get(id);
      return holders?.length === 1 ? holders[0] : undefined;
    },
    myidHolders: (id) => myids.get(id) ?? [],
  };
}

/**
 * Nodes whose files announce the identities of several machines: more than one ZooKeeper myid, or more
 * than one meta address of their own. Their logs were put in one folder (a flat bundle), so their leader
 * terms share one lane and an overlap between two of those machines cannot be seen. Said in words, for
 * every answer that depends on nodes: a quiet "no overlaps" there would be a lie.
 */
export function identityProblems(files: readonly FileIndex[], nodes: readonly NodeInfo[]): string[] {
  const metaAddresses = new Map<string, Set<string>>();
  for (const f of files) {
    if (f.skipped || f.duplicateOf) continue;
    for (const e of f.events) {
      if (e.kind !== 'alias' || e.via !== 'meta status' || !e.address) continue;
      let set = metaAddresses.get(f.node);
      if (!set) metaAddresses.set(f.node, (set = new Set()));
      set.add(withoutPort(e.address));
    }
  }
  const out: string[] = [];
  for (const n of nodes) {
    if (n.kind !== 'node') continue;
    const meta = [...(metaAddresses.get(n.name) ?? [])].sort(compareAddresses);
    const parts: string[] = [];
    if (n.myids.length > 1) parts.push(`${n.myids.length} ZooKeeper myids (${n.myids.join(', ')})`);
    if (meta.length > 1) parts.push(`${meta.length} meta addresses (${meta.join(', ')})`);
    if (parts.length === 0) continue;
    out.push(
      `node ${n.name}: its files announce ${parts.join(' and ')} — the logs of several machines in one node; ` +
        'their leader terms share one lane, so overlaps between them are NOT found (put each machine in its own folder)',
    );
  }
  return out;
}
