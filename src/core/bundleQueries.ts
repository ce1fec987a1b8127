import { faultIntervals, type FaultInterval } from './faultIntervals';
import { leaderIntervals, type RoleInterval } from './leaderIntervals';
import type { BundleIndex, FileIndex, NodeInfo } from './model';
import { nodeResolver } from './nodeAliases';
import { findOverlaps, type ClockOffsets, type RoleOverlap } from './overlaps';
import { summarize, type NumberSummary } from './workflows/numericStats';
import { hostOf, runsOn } from './actor';
import { ROLE } from './rules/roleRules';

/**
 * Answers about one indexed bundle, computed once and kept: intervals per role, who led each ZooKeeper
 * epoch, each session's lifecycle, which node an address belongs to. Hovers read from here, never from files.
 */
export class BundleQueries {
  private readonly intervalCache = new Map<string, RoleInterval[]>();
  private readonly resolver: ReturnType<typeof nodeResolver>;
  private readonly byPath: Map<string, number>;
  private readonly nodesByName: Map<string, NodeInfo>;

  constructor(
    readonly bundle: BundleIndex,
    readonly roles: readonly string[],
  ) {
    this.resolver = nodeResolver(bundle.nodes);
    this.byPath = new Map(bundle.files.map((f, i) => [f.path, i]));
    this.nodesByName = new Map(bundle.nodes.map((n) => [n.name, n]));
  }

  intervals(role: string): RoleInterval[] {
    let list = this.intervalCache.get(role);
    if (!list) this.intervalCache.set(role, (list = leaderIntervals(this.bundle, role)));
    return list;
  }

  overlaps(role: string, offsets: ClockOffsets = {}): RoleOverlap[] {
    return findOverlaps(this.intervals(role), offsets);
  }

  /** Injected faults from their command to their restore (or the end of the logs). */
  faults(): FaultInterval[] {
    return (this.faultCache ??= faultIntervals(this.bundle));
  }

  private faultCache?: FaultInterval[];

  file(relPath: string): { file: FileIndex; index: number } | undefined {
    const index = this.byPath.get(relPath);
    return index === undefined ? undefined : { file: this.bundle.files[index], index };
  }

  node(name: string): NodeInfo | undefined {
    return this.nodesByName.get(hostOf(name));
  }

  nodeOfAddress(address: string): NodeInfo | undefined {
    const name = this.resolver.byAddress(address);
    return name ? this.nodesByName.get(name) : undefined;
  }

  nodeOfMyid(myid: number | string): NodeInfo | undefined {
    const name = this.resolver.byMyid(String(myid));
    return name ? this.nodesByName.get(name) : undefined;
  }

  /** Every node that claims a myid (more than one: `nodeOfMyid` names none). */
  nodesOfMyid(myid: number | string): NodeInfo[] {
    return this.resolver.myidHolders(String(myid)).flatMap((n) => this.nodesByName.get(n) ?? []);
  }

  /** The ZooKeeper leader term(s) of an epoch. */
  epochLeaders(epoch: number): RoleInterval[] {
    return this.intervals(ROLE.zookeeper).filter((iv) => iv.epoch === epoch);
  }

  /**
   * What NTP/chrony measured of each node's clock (seconds): seed 000's `datamash max min mean median`
   * over the offsets, per node. Nodes without measurements are absent.
   */
  clockOffsetStats(): Map<string, NumberSummary & { maxAbs: number }> {
    if (!this.offsetStats) {
      const values = new Map<string, number[]>();
      for (const f of this.bundle.files) {
        for (const e of f.events) {
          if (e.kind !== 'clockOffset') continue;
          let list = values.get(f.node);
          if (!list) values.set(f.node, (list = []));
          list.push(e.seconds);
        }
      }
      this.offsetStats = new Map();
      for (const [node, list] of values) {
        const s = summarize(list);
        if (s) this.offsetStats.set(node, { ...s, maxAbs: Math.max(Math.abs(s.min), Math.abs(s.max)) });
      }
    }
    return this.offsetStats;
  }

  /**
   * How far apart two nodes' clocks may be, by their NTP measurements (the sum of the largest offsets
   * each one saw), in microseconds; undefined when neither node has measurements.
   */
  clockUncertainty(a: string, b: string): number | undefined {
    const stats = this.clockOffsetStats();
    const x = stats.get(hostOf(a));
    const y = stats.get(hostOf(b));
    if (!x && !y) return undefined;
    return Math.round(((x?.maxAbs ?? 0) + (y?.maxAbs ?? 0)) * 1e6);
  }

  private offsetStats?: Map<string, NumberSummary & { maxAbs: number }>;

  /** Leader intervals per role held by a node (for address hovers and summaries). */
  rolesOfNode(name: string): { role: string; count: number }[] {
    return this.roles
      .map((role) => ({ role, count: this.intervals(role).filter((iv) => runsOn(iv.node, name)).length }))
      .filter((r) => r.count > 0);
  }
}

/** `172_20_131_241` → `172.20.131.241`; other names stay as they are. */
export function nodeLabel(node: NodeInfo | undefined, name: string): string {
  if (!node?.folderAddress) return name;
  return name.replace(node.name, node.folderAddress);
}
