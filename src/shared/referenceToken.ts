// What "Find All References" and "Trace Across Nodes" follow: ids investigators trace (seed 000's `pid: 65380`, uuids, zxids,
// session ids, addresses), else the word under the cursor.
const REFERENCE_PATTERNS = [
  /\bpid: \d+/g,
  /\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b/g,
  /\b0x[0-9a-fA-F]+\b/g,
  /\b\d{1,3}(?:\.\d{1,3}){3}(?::\d{1,5})?\b/g,
  /\/[\w./-]+/g,
  /[\w$.-]{3,}/g,
];

/** The identifier under the cursor that Find All References searches the bundle for. */
export function referenceTokenAt(line: string, character: number): string | undefined {
  for (const re of REFERENCE_PATTERNS) {
    re.lastIndex = 0;
    for (let m = re.exec(line); m; m = re.exec(line)) {
      if (character >= m.index && character <= m.index + m[0].length) return m[0];
      if (m.index > character) break;
    }
  }
  return undefined;
}
