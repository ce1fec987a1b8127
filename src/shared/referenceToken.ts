import { freshRegex, HEX, IPV4_PORT, PID, UUID, word } from '../core/identifiers';

// What "Find All References" and "Trace Across Nodes" follow: ids investigators trace (seed 000's `pid: 65380`, uuids, zxids,
// session ids, addresses), else the word under the cursor. Sources: each call builds its own RegExps.
const REFERENCE_PATTERNS: readonly string[] = [`\\b${PID}`, word(UUID), word(HEX), word(IPV4_PORT), '\\/[\\w./-]+', '[\\w$.-]{3,}'];

/** The identifier under the cursor that Find All References searches the bundle for. */
export function referenceTokenAt(line: string, character: number): string | undefined {
  for (const source of REFERENCE_PATTERNS) {
    const re = freshRegex(source, 'g');
    for (let m = re.exec(line); m; m = re.exec(line)) {
      if (character >= m.index && character <= m.index + m[0].length) return m[0];
      if (m.index > character) break;
    }
  }
  return undefined;
}
