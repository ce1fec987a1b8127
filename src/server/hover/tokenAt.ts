/** What kind of thing sits under the cursor in a log line, and where. */
export type TokenKind = 'hex' | 'sessionDecimal' | 'retcode' | 'errno' | 'address' | 'glogPrefix' | 'isoTime' | 'uuid';

export interface Token {
  kind: TokenKind;
  text: string;
  start: number;
  end: number;
}

// Order matters: the first pattern whose match covers the cursor wins.
const PATTERNS: [TokenKind, RegExp][] = [
  ['glogPrefix', /^[IWEFC](?:\d{4}|\d{8}) \d\d:\d\d:\d\d\.\d{6} +\S+ [^\s:\]]+:\d+\]/g],
  ['isoTime', /\b\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(?:[,.]\d{1,9})?/g],
  ['retcode', /\bretcode=-?\d+/g],
  ['errno', /\berrno=\d+(?:\([^)]*\))?/g],
  ['hex', /\b0x[0-9a-fA-F]{1,16}\b/g],
  ['sessionDecimal', /\bsession_?id[:=]? ?(-?\d{10,20})\b/gi],
  ['uuid', /\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b/g],
  ['address', /\b\d{1,3}(?:\.\d{1,3}){3}(?::\d{1,5})?\b/g],
];

/** The token covering `character` (0-based) in `line`, if any. */
export function tokenAt(line: string, character: number): Token | undefined {
  for (const [kind, re] of PATTERNS) {
    re.lastIndex = 0;
    for (let m = re.exec(line); m; m = re.exec(line)) {
      let start = m.index;
      let text = m[0];
      if (kind === 'sessionDecimal') {
        text = m[1];
        start = m.index + m[0].length - m[1].length;
      }
      const end = start + text.length;
      if (character >= m.index && character <= m.index + m[0].length) return { kind, text, start, end };
      if (m.index > character) break;
    }
  }
  return undefined;
}

/** The few words before a token: "zxid=", "session", "leader" tell what a hex number is. */
export function contextBefore(line: string, start: number): string {
  return line.slice(Math.max(0, start - 40), start);
}
