import type { UnreadableFile } from '../../service';

/** What a command prints: JSON for `--json`, else the human text (built only when asked for). */
export interface Output {
  json: unknown;
  human(): string;
  /** Files left out of the answer; named on stderr, where scripts look for warnings. */
  unreadable?: readonly UnreadableFile[];
}

/** `2023-03-14T05:12:24.461460` → `2023-03-14 05:12:24.461460`: tables read better without the T. */
export const spaced = (label: string | undefined): string => label?.replace('T', ' ') ?? '-';
