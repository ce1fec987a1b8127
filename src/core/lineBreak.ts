/**
 * Where a line ends, as the editor counts it: `\r\n`, a lone `\r` or `\n`. Text is split with this
 * everywhere (the byte readers apply the same rule by rewriting lone CRs, see indexer/lineBreaks.ts),
 * so a line number means the same line in the editor, the index and every view.
 */
export const LINE_BREAK = /\r\n|\r|\n/;

export function splitLines(text: string): string[] {
  return text.split(LINE_BREAK);
}
