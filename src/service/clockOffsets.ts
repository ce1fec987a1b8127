import { addressFromFolderName } from '../core/bundleLayout';
import { withoutPort } from '../core/identifiers';
import type { NodeInfo } from '../core/model';
import { nodeResolver } from '../core/nodeAliases';
import { nodeName } from './present';
import type { ClockOffsetsResult, NodeClockOffsets } from './results';
import type { ServiceContext } from './serviceContext';

/** What NTP/chrony measured of each node's clock, next to the correction the user configured. */
export function clockOffsets(ctx: ServiceContext): ClockOffsetsResult {
  const nodes: NodeClockOffsets[] = [];
  for (const b of ctx.bundles) {
    const measured = b.queries.clockOffsetStats();
    for (const n of b.index.nodes) {
      if (n.kind !== 'node') continue;
      nodes.push({
        node: n.name,
        label: nodeName(ctx, b, n.name),
        measured: measured.get(n.name),
        configuredMs: ctx.clockOffsetsMs[n.name],
      });
    }
  }
  return { nodes };
}

/**
 * Clock offsets as the user named the nodes — a node folder, an address it goes by (`172.20.131.243`,
 * `10.0.131.243`) or its folder spelling — keyed by node. A name that is no node is returned in
 * `unknown`, with the nodes it could have been: an offset that silently applies to nothing would make
 * every time comparison quietly wrong.
 */
export function resolveClockOffsets(ctx: Pick<ServiceContext, 'bundles' | 'clockOffsetsMs'>): {
  offsetsMs: Record<string, number>;
  unknown: string[];
  nodes: string[];
} {
  const offsetsMs: Record<string, number> = {};
  const unknown: string[] = [];
  const nodes = [...new Set(ctx.bundles.flatMap((b) => b.index.nodes.filter((n) => n.kind === 'node').map((n) => n.name)))].sort();
  for (const [name, ms] of Object.entries(ctx.clockOffsetsMs)) {
    const node = ctx.bundles.map((b) => nodeNamed(b.index.nodes, name)).find((n) => n !== undefined);
    if (node === undefined) unknown.push(name);
    else offsetsMs[node] = ms;
  }
  return { offsetsMs, unknown, nodes };
}

/** The node a user's name stands for: its folder name, an address of its, or an address written as a folder. */
function nodeNamed(nodes: readonly NodeInfo[], name: string): string | undefined {
  if (nodes.some((n) => n.name === name && n.kind === 'node')) return name;
  const address = addressFromFolderName(name) ?? withoutPort(name);
  return nodeResolver(nodes.filter((n) => n.kind === 'node')).byAddress(address);
}
