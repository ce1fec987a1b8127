import type { EventPayload } from '../model';
import { EVENT_RULES, type EventRule } from './eventRules';
import type { RoleRule } from './roleRules';

interface CompiledPattern {
  role: string;
  edge: 'start' | 'end';
  id: string;
  keyword: string;
  regex?: RegExp;
}

/**
 * All rules compiled for one indexing run: the literal keywords that make a line worth a closer look,
 * and the per-line matching that turns such a line into events.
 */
export class LineMatcher {
  readonly keywords: string[];
  private readonly rolePatterns: CompiledPattern[];
  private readonly eventRules: readonly EventRule[];

  constructor(roleRules: readonly RoleRule[], eventRules: readonly EventRule[] = EVENT_RULES) {
    this.eventRules = eventRules;
    this.rolePatterns = [];
    for (const r of roleRules) {
      for (const [edge, list] of [['start', r.starts], ['end', r.ends]] as const) {
        for (const p of list) {
          this.rolePatterns.push({ role: r.role, edge, id: p.id, keyword: p.keyword, regex: p.regex ? new RegExp(p.regex) : undefined });
        }
      }
    }
    const all = new Set<string>();
    for (const r of eventRules) for (const k of r.keywords) all.add(k);
    for (const p of this.rolePatterns) all.add(p.keyword);
    this.keywords = [...all];
  }

  /** Events found in one line (CR already stripped). Most lines yield none. */
  match(line: string): EventPayload[] {
    const out: EventPayload[] = [];
    for (const rule of this.eventRules) {
      if (!rule.keywords.some((k) => line.includes(k))) continue;
      const m = rule.regex.exec(line);
      if (!m) continue;
      const ev = rule.build(m, line);
      if (ev) out.push(ev);
    }
    for (const p of this.rolePatterns) {
      if (!line.includes(p.keyword)) continue;
      if (p.regex && !p.regex.test(line)) continue;
      out.push({ kind: 'role', role: p.role, edge: p.edge, rule: p.id });
    }
    return out;
  }

  /**
   * One global regex that finds every candidate line in a chunk: any keyword, or the start of an
   * error entry in the file's format.
   */
  hitRegex(errorLineSource: string): RegExp {
    const escaped = this.keywords.map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    return new RegExp(`${escaped.join('|')}|${errorLineSource}`, 'gm');
  }
}
