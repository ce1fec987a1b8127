import { sessionLifecycle as lifecycleOf } from '../core/workflows/sessionLifecycle';
import { foundLine, nodeName } from './present';
import type { SessionLifecycleInfo } from './results';
import type { ServiceContext } from './serviceContext';

/**
 * A ZooKeeper session id's (hex or kazoo decimal) or a meta session uuid's lifecycle across every bundle, in
 * time order; `meta` gives every meta session event. The creator comes from the first bundle that knows its myid.
 */
export function sessionLifecycle(ctx: ServiceContext, params: { id: string }): SessionLifecycleInfo {
  let out: SessionLifecycleInfo | undefined;
  for (const b of ctx.bundles) {
    const life = lifecycleOf(b.index, params.id);
    out ??= { id: life.id, kind: life.kind, events: [] };
    if (life.creatorMyid !== undefined && !out.createdBy?.node) {
      const creator = b.queries.nodeOfMyid(life.creatorMyid);
      out.createdBy = { myid: life.creatorMyid, node: creator?.name, nodeLabel: creator ? nodeName(ctx, b, creator.name) : undefined };
    }
    for (const e of life.events) out.events.push({ ...foundLine(ctx, b, e, e.time), what: e.what });
  }
  if (!out) return { id: params.id, kind: 'zookeeper', events: [] };
  out.events.sort((a, c) => (a.time ?? 0) - (c.time ?? 0));
  return out;
}
