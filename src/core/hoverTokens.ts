import { GLOG_PREFIX } from './formats/glog';
import { ISO_TIME } from './formats/plain';
import { ERRNO, freshRegex, HEX64, IPV4_PORT, RETCODE, SESSION_DECIMAL, UUID, word } from './identifiers';

/** What kind of thing sits under the cursor in a log line, and where. */
export type TokenKind = 'hex' | 'sessionDecimal' | 'retcode' | 'errno' | 'address' | 'glogPrefix' | 'isoTime' | 'uuid';

export interface Token {
  kind: TokenKind;
  text: string;
  start: number;
  end: number;
}

// Order matters: the first pattern whose match covers the cursor wins. Sources, not RegExps: each call
// builds its own, so no `lastIndex` is shared.
const PATTERNS: readonly (readonly [TokenKind, string, string])[] = [
  ['glogPrefix', `^${GLOG_PREFIX}`, 'g'],
  ['isoTime', `\\b${ISO_TIME}`, 'g'],
  ['retcode', `\\b${RETCODE}`, 'g'],
  ['errno', `\\b${ERRNO}`, 'g'],
  ['hex', word(HEX64), 'g'],
  ['sessionDecimal', word(SESSION_DECIMAL), 'gi'],
  ['uuid', word(UUID), 'g'],
  ['address', word(IPV4_PORT), 'g'],
];

/** The token covering `character` (0-based) in `line`, if any. */
export function tokenAt(line: string, character: number): Token | undefined {
  for (const [kind, source, flags] of PATTERNS) {
    const re = freshRegex(source, flags);
    for (let m = re.exec(line); m; m = re.exec(line)) {
      let start = m.index;
      let text = m[0];
      if (kind === 'sessionDecimal') {
        text = m[2];
        start = m.index + m[0].length - m[2].length;
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
