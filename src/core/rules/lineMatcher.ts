import type { FormatId, LogFormat } from '../formats/types';
import type { EventPayload, SourceKind } from '../model';
import { EVENT_RULES, type EventRule } from './eventRules';
import type { RoleRule } from './roleRules';

interface CompiledPattern {
  role: string;
  edge: 'start' | 'end';
  id: string;
  keyword: string;
  atStart: boolean;
  regex?: RegExp;
  formats?: FormatId[];
}

/** What a candidate search needs to know about a format. */
export type HitFormat = Pick<LogFormat, 'errorLineSource' | 'errorHit' | 'messageAnchor'>;

/** The rules that can fire in files of one format, and the search that finds their candidate lines. */
export class FormatMatcher {
  /** Literals found anywhere in a line. */
  readonly keywords: string[];
  /** Literals a message begins with, by the anchor they follow ('' = the format's message anchor). */
  readonly starts: Map<string, string[]>;
  private readonly regexCache = new Map<string, RegExp>();

  constructor(
    private readonly eventRules: readonly EventRule[],
    private readonly rolePatterns: readonly CompiledPattern[],
  ) {
    const anywhere = new Set<string>();
    const starts = new Map<string, Set<string>>();
    const addStart = (anchor: string, k: string) => {
      let set = starts.get(anchor);
      if (!set) starts.set(anchor, (set = new Set()));
      set.add(k);
    };
    for (const r of eventRules) {
      if (r.prefilter === false) continue;
      for (const k of r.keywords ?? []) anywhere.add(k);
      for (const k of r.starts ?? []) addStart(r.anchor ?? '', k);
    }
    for (const p of rolePatterns) {
      if (p.atStart) addStart('', p.keyword);
      else anywhere.add(p.keyword);
    }
    const a = [...anywhere];
    // A keyword containing another finds nothing more; a start beginning with another neither.
    this.keywords = a.filter((k) => !a.some((o) => o !== k && k.includes(o)));
    this.starts = new Map(
      [...starts].map(([anchor, set]) => {
        const st = [...set];
        return [anchor, st.filter((k) => !st.some((o) => o !== k && k.startsWith(o)))];
      }),
    );
  }

  /** Every start literal, whatever its anchor. */
  get allStarts(): string[] {
    return [...this.starts.values()].flat();
  }

  /** Events found in one line (CR already stripped). Most lines yield none. */
  match(line: string): EventPayload[] {
    const out: EventPayload[] = [];
    for (const rule of this.eventRules) {
      if (!(rule.keywords ?? []).some((k) => line.includes(k)) && !(rule.starts ?? []).some((k) => line.includes(k))) continue;
      const m = rule.regex.exec(line);
      if (!m) continue;
      const ev = rule.build(m, line);
      // The C and Java client rules read the same words; plain text runs both over one line.
      if (ev && !out.some((o) => JSON.stringify(o) === JSON.stringify(ev))) out.push(ev);
    }
    for (const p of this.rolePatterns) {
      if (!line.includes(p.keyword)) continue;
      if (p.regex && !p.regex.test(line)) continue;
      out.push({ kind: 'role', role: p.role, edge: p.edge, rule: p.id });
    }
    return out;
  }

  /**
   * One global regex that finds every candidate line in a chunk: the start of an error entry, a message
   * that begins with a known start (after the format's anchor), or a keyword anywhere. A match may begin
   * with the newline before its line (glog's error search does). One instance per format, reused:
   * V8 compiles a regex to machine code only after it has run, so a fresh one per file would scan
   * mostly interpreted.
   */
  hitRegex(format: HitFormat): RegExp {
    const key = `${format.errorHit ?? format.errorLineSource}\u0000${format.messageAnchor ?? ''}`;
    let re = this.regexCache.get(key);
    if (!re) {
      const branches: string[] = [format.errorHit ?? format.errorLineSource];
      const anywhere = [...this.keywords];
      for (const [anchor, starts] of this.starts) {
        const a = anchor || format.messageAnchor;
        // Without an anchor to follow, a start is just a keyword.
        if (a) branches.push(`${a}${literalTrie(starts)}`);
        else anywhere.push(...starts);
      }
      if (anywhere.length) branches.push(literalTrie(anywhere));
      re = new RegExp(branches.join('|'), format.errorHit ? 'g' : 'gm');
      this.regexCache.set(key, re);
    }
    return re;
  }
}

/**
 * All rules compiled for one indexing run. Files get the matcher of their format: a glog file is not
 * searched for ZooKeeper's messages. Plain text gets every rule, since anything can be in it.
 */
export class LineMatcher {
  private readonly rolePatterns: CompiledPattern[];
  private readonly byFormat = new Map<string, FormatMatcher>();
  private readonly all: FormatMatcher;

  constructor(
    roleRules: readonly RoleRule[],
    private readonly eventRules: readonly EventRule[] = EVENT_RULES,
  ) {
    this.rolePatterns = [];
    for (const r of roleRules) {
      for (const [edge, list] of [
        ['start', r.starts],
        ['end', r.ends],
      ] as const) {
        for (const p of list) {
          this.rolePatterns.push({
            role: r.role,
            edge,
            id: p.id,
            keyword: p.keyword,
            atStart: p.atStart === true,
            regex: p.regex ? new RegExp(p.regex) : undefined,
            formats: r.formats,
          });
        }
      }
    }
    this.all = new FormatMatcher(eventRules, this.rolePatterns);
  }

  forFormat(format: FormatId, source?: SourceKind): FormatMatcher {
    return this.forFormats([format], source);
  }

  /**
   * The rules of any of these formats (Hadoop's files, whatever their layout, also get log4j's), and
   * of the file's kind of source (only NTP logs are searched for clock offsets).
   */
  forFormats(formats: readonly FormatId[], source?: SourceKind): FormatMatcher {
    const key = `${[...formats].sort().join('+')}|${source ?? ''}`;
    let m = this.byFormat.get(key);
    if (!m) {
      const plain = formats.includes('plain');
      const applies = (fs?: FormatId[]) => plain || !fs || fs.some((f) => formats.includes(f));
      const fromSource = (r: EventRule) => !r.sources || (source !== undefined && r.sources.includes(source));
      m = new FormatMatcher(
        this.eventRules.filter((r) => applies(r.formats) && fromSource(r)),
        this.rolePatterns.filter((p) => applies(p.formats)),
      );
      this.byFormat.set(key, m);
    }
    return m;
  }

  /** Every rule, whatever the format (plain text). */
  match(line: string): EventPayload[] {
    return this.all.match(line);
  }

  /** Every literal any rule searches for (the benchmark hands them to ripgrep). */
  get keywords(): string[] {
    return [...this.all.keywords, ...this.all.allStarts];
  }
}

const escapeRegex = (k: string) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Literals as one regex with their common prefixes factored out (`L(?:OOKING|EAD(?:ING|ER …))`): V8
 * tries fewer alternatives at each position.
 */
export function literalTrie(words: readonly string[]): string {
  interface Node {
    end: boolean;
    next: Map<string, Node>;
  }
  const root: Node = { end: false, next: new Map() };
  for (const w of words) {
    let n = root;
    for (const c of w) {
      let child = n.next.get(c);
      if (!child) n.next.set(c, (child = { end: false, next: new Map() }));
      n = child;
    }
    n.end = true;
  }
  const build = (n: Node): string => {
    // Follow single-child chains as one literal run.
    const alts = [...n.next].map(([c, child]) => {
      let text = escapeRegex(c);
      let cur = child;
      while (!cur.end && cur.next.size === 1) {
        const [[c2, n2]] = [...cur.next];
        text += escapeRegex(c2);
        cur = n2;
      }
      return text + build(cur);
    });
    if (alts.length === 0) return '';
    const body = alts.length === 1 ? alts[0] : `(?:${alts.join('|')})`;
    return n.end ? `(?:${body})?` : body;
  };
  return build(root) || '(?!)';
}
