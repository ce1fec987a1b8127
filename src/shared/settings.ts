import type { RoleRule } from '../core/rules/roleRules';

/** The `quorumLens.*` settings the server reads (section `quorumLens`). */
export interface QuorumLensSettings {
  /** IANA zone the logs were written in; empty means "show the wall clock as written". */
  timeZone: string;
  /** Per-node clock corrections in milliseconds, added to that node's times before comparing nodes. */
  clockOffsets: Record<string, number>;
  /** Extra role rules (same shape as the built-in ones); a rule for an existing role replaces it. */
  roleRules: RoleRule[];
}

export const DEFAULT_SETTINGS: QuorumLensSettings = { timeZone: '', clockOffsets: {}, roleRules: [] };

/** Settings as they arrive from the client, made safe to use. */
export function normalizeSettings(raw: unknown): QuorumLensSettings {
  const r = (raw ?? {}) as Partial<QuorumLensSettings>;
  const offsets: Record<string, number> = {};
  if (r.clockOffsets && typeof r.clockOffsets === 'object') {
    for (const [k, v] of Object.entries(r.clockOffsets)) if (typeof v === 'number' && Number.isFinite(v)) offsets[k] = v;
  }
  return {
    timeZone: typeof r.timeZone === 'string' ? r.timeZone.trim() : '',
    clockOffsets: offsets,
    roleRules: Array.isArray(r.roleRules) ? r.roleRules : [],
  };
}
