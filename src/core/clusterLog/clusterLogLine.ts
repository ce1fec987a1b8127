import { breakUrls, terminalText } from '../inertText';

/** What one line of the merged cluster log shows: the Cluster Log view and `quorum-lens merge` print it alike. */
export interface ClusterLogLineParts {
  /** The corrected time as labelled (`2023-03-14 01:35:51.703000`, ISO with a `T` is spaced). */
  timeLabel: string;
  /** The node column's text: the node's short name (see shortNodeNames). */
  node: string;
  /** The original line, as the file has it. */
  text: string;
  /** Shown at a time that is not its own (a clock step, a stray line): marked `*`. */
  placed?: boolean;
}

/** The column separator; the grammar scopes the prefix by it (`syntaxes/quorum-log.tmLanguage.json`, cluster-prefix). */
export const COLUMN_BAR = '│';

/**
 * One line, `time │ node │ original line`, the node padded to `nodeWidth` so the columns align. Log text is
 * hostile: its controls are made visible (a tab becomes a space, an ESC or CR shows as ␛ ␍), its URLs inert.
 */
export function clusterLogLine(p: ClusterLogLineParts, nodeWidth: number): string {
  const time = p.timeLabel.replace('T', ' ');
  return `${time}${p.placed ? '*' : ' '}${COLUMN_BAR} ${breakUrls(terminalText(p.node)).padEnd(nodeWidth)} ${COLUMN_BAR} ${breakUrls(terminalText(p.text))}`;
}

/** Where the original line starts in a rendered line (after the second bar), or -1 when it is no cluster log line. */
export function originalTextStart(rendered: string): number {
  const first = rendered.indexOf(` ${COLUMN_BAR} `);
  const at = first < 0 ? -1 : rendered.indexOf(` ${COLUMN_BAR} `, first + 3);
  return at < 0 ? -1 : at + 3;
}

/**
 * Short node names for the column: the fewest trailing parts (`.`/`_`-separated) of every label that still
 * tell the nodes apart — `172.20.131.241` → `241` beside `…242`; a label the others share a tail with keeps more.
 */
export function shortNodeNames(labels: readonly string[]): Map<string, string> {
  const unique = [...new Set(labels)];
  const parts = unique.map((l) => l.split(/(?=[._])/));
  const longest = Math.max(1, ...parts.map((p) => p.length));
  for (let k = 1; k <= longest; k++) {
    const tails = parts.map((p) => p.slice(-k).join('').replace(/^[._]/, ''));
    if (new Set(tails).size === tails.length) return new Map(unique.map((l, i) => [l, tails[i]]));
  }
  return new Map(unique.map((l) => [l, l]));
}

/** The node column's width: the longest short name, so every page of one view aligns alike. */
export function nodeColumnWidth(names: Iterable<string>): number {
  let w = 1;
  for (const n of names) w = Math.max(w, terminalText(n).length);
  return w;
}
