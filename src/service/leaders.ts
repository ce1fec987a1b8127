import { ROLE } from '../core/rules/roleRules';
import type { RoleInterval } from '../core/leaderIntervals';
import { overlapInfo } from './overlapInfo';
import { intervalInfo } from './present';
import type { Examined, IntervalInfo, LeadersResult, OverlapInfo, OverlapsResult } from './results';
import { InputError, offsetsUs, rolesOf, type ServiceContext } from './serviceContext';

/** `meta`, `zk`, … or `all`: the roles a question is about. Unknown roles are a usage error, said once here. */
export function resolveRoles(ctx: ServiceContext, role: string | undefined, fallback: string = ROLE.meta): string[] {
  const known = rolesOf(ctx);
  const wanted = role ?? fallback;
  if (wanted === 'all') return known;
  if (!known.includes(wanted)) throw new InputError(`unknown role "${wanted}" (one of ${known.join(', ')}, all)`);
  return [wanted];
}

/** Every leader interval of the roles, on every bundle, in start order. */
export function leaders(ctx: ServiceContext, params: { role?: string }): LeadersResult {
  const roles = resolveRoles(ctx, params.role);
  const intervals: IntervalInfo[] = [];
  for (const b of ctx.bundles) {
    for (const role of roles) for (const iv of b.queries.intervals(role)) intervals.push(intervalInfo(ctx, b, iv));
  }
  return { roles, intervals: intervals.sort((a, b) => a.start - b.start), warnings: answerWarnings(ctx) };
}

/** Two nodes holding the same role at once (split brain), with how much was compared to find them. */
export function overlaps(ctx: ServiceContext, params: { role?: string }): OverlapsResult {
  const roles = resolveRoles(ctx, params.role);
  const offsets = offsetsUs(ctx);
  const out: OverlapInfo[] = [];
  const examined: RoleInterval[][] = [];
  for (const b of ctx.bundles) {
    const list: RoleInterval[] = [];
    for (const role of roles) {
      list.push(...b.queries.intervals(role));
      for (const o of b.queries.overlaps(role, offsets)) out.push(overlapInfo(ctx, b, o));
    }
    examined.push(list);
  }
  return { roles, overlaps: out.sort((a, b) => a.start - b.start), examined: countExamined(examined), warnings: answerWarnings(ctx) };
}

/** Intervals and distinct nodes, bundle by bundle (a node name in two bundles is two nodes). */
function countExamined(perBundle: readonly RoleInterval[][]): Examined {
  let intervals = 0;
  let nodes = 0;
  for (const list of perBundle) {
    intervals += list.length;
    nodes += new Set(list.map((iv) => iv.node)).size;
  }
  return { intervals, nodes };
}

/**
 * What makes an answer about nodes doubtful, said with it: folders that are gone, and bundles whose
 * layout mixes machines (several myids in one node) or holds more than one bundle.
 */
export function answerWarnings(ctx: ServiceContext): string[] {
  const several = ctx.bundles.length > 1;
  const own = ctx.bundles.flatMap((b) => (b.index.warnings ?? []).map((w) => (several ? `${b.root}: ${w}` : w)));
  return [...(ctx.warnings ?? []), ...own];
}
