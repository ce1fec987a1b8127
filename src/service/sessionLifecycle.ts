import { verdictWords } from '../core/expiryVerdict';
import { ROLE } from '../core/rules/roleRules';
import { sessionLifecycle as lifecycleOf } from '../core/workflows/sessionLifecycle';
import { foundLine, nodeName } from './present';
import type { SessionLifecycleInfo } from './results';
import { offsetsUs, type ServiceContext } from './serviceContext';

/**
 * A ZooKeeper session id's (hex or kazoo decimal) or a meta session uuid's lifecycle across every bundle, in
 * time order; `meta` gives every meta session event. The creator comes from the first bundle that knows its myid.
 */
export function sessionLifecycle(ctx: ServiceContext, params: { id: string }): SessionLifecycleInfo {
  let out: SessionLifecycleInfo | undefined;
  for (const b of ctx.bundles) {
    const life = lifecycleOf(b.index, params.id, { zkTerms: zkTerms(ctx, b), offsets: offsetsUs(ctx) });
    out ??= { id: life.id, kind: life.kind, events: [] };
    if (life.creatorMyid !== undefined && !out.createdBy?.node) {
      const creator = b.queries.nodeOfMyid(life.creatorMyid);
      out.createdBy = { myid: life.creatorMyid, node: creator?.name, nodeLabel: creator ? nodeName(ctx, b, creator.name) : undefined };
      const claimants = b.queries.nodesOfMyid(life.creatorMyid);
      if (!creator && claimants.length > 1) out.createdBy.claimedBy = claimants.map((n) => nodeName(ctx, b, n.name));
    }
    for (const e of life.events) {
      const v = e.verdict;
      const verdict = v && { effective: v.effective, why: verdictWords(v, (n) => nodeName(ctx, b, n)) };
      out.events.push({ ...foundLine(ctx, b, e, e.time), what: e.what, ...verdict });
    }
  }
  if (!out) return { id: params.id, kind: 'zookeeper', events: [] };
  out.events.sort((a, c) => (a.time ?? 0) - (c.time ?? 0));
  return out;
}

/** The ZooKeeper leader terms expiries are judged against; none when the rules in force drop the role. */
function zkTerms(ctx: ServiceContext, b: Parameters<typeof nodeName>[1]) {
  return ctx.rules.some((r) => r.role === ROLE.zookeeper) ? b.queries.intervals(ROLE.zookeeper) : [];
}
