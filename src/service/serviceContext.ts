import type { RoleRule } from '../core/rules/roleRules';
import type { ClockOffsets } from '../core/overlaps';
import { formatHuman, formatInZone, isValidZone, type Micros } from '../core/time';
import type { BundleHandle } from './bundleHandle';

/**
 * What every use case runs against: the workspace's bundles (all of them — multi-root is decided here, once),
 * the role rules in force, the user's clock corrections and how times are written in answers.
 */
export interface ServiceContext {
  bundles: readonly BundleHandle[];
  rules: readonly RoleRule[];
  /** Per-node clock corrections in milliseconds (setting `quorumLens.clockOffsets`, CLI `--offset`). */
  clockOffsetsMs: Readonly<Record<string, number>>;
  /** Time labels in answers: ISO (CLI) or "2023-03-14 05:12:24.461460" in the chosen zone (editor). */
  label: (t: Micros) => string;
  /** What every answer must say about the workspace (a bundle folder that is gone): a "no" must not hide it. */
  warnings?: readonly string[];
}

/** The role ids the rules define (`meta`, `zk`, `namenode`, and the user's own). */
export function rolesOf(ctx: Pick<ServiceContext, 'rules'>): string[] {
  return ctx.rules.map((r) => r.role);
}

/** Clock corrections as the core takes them: microseconds per node. */
export function offsetsUs(ctx: Pick<ServiceContext, 'clockOffsetsMs'>): ClockOffsets {
  return Object.fromEntries(Object.entries(ctx.clockOffsetsMs).map(([k, v]) => [k, Math.round(v * 1000)]));
}

/** Input a use case cannot answer (unknown role, a regex without a capture group, …): a usage error, never a crash. */
export class InputError extends Error {}

/** How a long search is stopped and how it reports files searched. */
export interface SearchControl {
  signal?: AbortSignal;
  onProgress?(done: number, total: number): void;
}

/** The editor's time labels: "2023-03-14 05:12:24.461460", with the zone's offset when one is set. */
export function editorTimeLabel(zone: string): (t: Micros) => string {
  if (!zone || !isValidZone(zone)) return formatHuman;
  return (t) => formatInZone(t, zone).replace('T', ' ');
}
