/**
 * The identifiers investigators follow through a bundle, spelled once. Exported as regex sources so each
 * caller builds its own RegExp (with its own flags and `lastIndex`) and can embed them in larger patterns.
 * The TextMate grammar spells the same patterns in JSON; test/unit/formatSamples.test.ts checks it
 * against these.
 */

/** Hex digits of an id printed without a prefix. */
export const HEX_DIGITS = '[0-9a-fA-F]+';

/** `0x100000175e`: zxids, session ids, pointers, thread ids. Any length. */
export const HEX = `0x${HEX_DIGITS}`;

/** A hex value that fits in 64 bits (zxid, session id). */
export const HEX64 = '0x[0-9a-fA-F]{1,16}';

/** `10.0.131.241` (no range check: logs print what the socket had). */
export const IPV4 = '\\d{1,3}(?:\\.\\d{1,3}){3}';

/** `10.0.131.241:2181`, the port optional. */
export const IPV4_PORT = `${IPV4}(?::\\d{1,5})?`;

/** `a1ee10af-a8b6-4d50-b11d-eb09642685ac`. */
export const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';

/**
 * A session id printed in hex after the words that say so (`Expiring session 0x…`, `sessionId=0x…`,
 * `Session: 0x…`): the words in group 1, the id in group 2.
 */
export const SESSION_HEX = `((?:global |local )?session(?:[Ii]d)?(?: =|=|:)? ?|Revalidating client: |sessionid:? ?|Session: )(${HEX64})`;

/**
 * A session id printed in decimal (kazoo's `session_id: 72…`, `sessionid:`): the key in group 1, the number
 * in group 2. Use case-insensitively: clients spell the key `sessionId`, `session_id`, `SessionID`.
 */
export const SESSION_DECIMAL = '(session_?id[:=]? ?)(-?\\d{10,20})';

/** `pid: 65380`, the test runner's name for a process it follows across nodes. */
export const PID = 'pid: \\d+';

/** The ZooKeeper C client's `retcode=-7`. */
export const RETCODE = 'retcode=-?\\d+';

/** `errno=110(Connection timed out)`, the printed meaning optional. */
export const ERRNO = 'errno=\\d+(?:\\([^)]*\\))?';

/** `source` between word boundaries, as identifiers are found inside free text. */
export function word(source: string): string {
  return `\\b${source}\\b`;
}

/** A fresh RegExp for `source`: callers that iterate with `g` never share `lastIndex`. */
export function freshRegex(source: string, flags = ''): RegExp {
  return new RegExp(source, flags);
}

/** True when the whole of `text` is one `source` (no surrounding text). */
export function isWhole(source: string, text: string, flags = ''): boolean {
  return new RegExp(`^(?:${source})$`, flags).test(text);
}

/** `10.0.131.242:2181` → `10.0.131.242`: an address names the host whatever the port. */
export function withoutPort(address: string): string {
  return address.replace(/:\d+$/, '');
}
