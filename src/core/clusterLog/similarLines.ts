import { formatById, parseLine } from '../formats';
import { FORMAT_IDS } from '../formats/types';

/** Any year will do: only where the message starts matters here, not the time. */
const ANY_YEAR = { yearFor: () => 2000 };

const NUMBER = { find: /^\d+(?:[.,]\d+)*/, pattern: '\\d+(?:[.,]\\d+)*' };

/**
 * The variable parts of a message, most specific first: each becomes a pattern that matches any value of
 * its kind, the rest stays literal. Only classes and quantifiers: the result runs on the linear-time engine.
 */
const VARIABLE: readonly { find: RegExp; pattern: string }[] = [
  { find: /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/, pattern: '[0-9a-fA-F-]{36}' },
  { find: /^\d{1,3}(?:\.\d{1,3}){3}/, pattern: '\\d+\\.\\d+\\.\\d+\\.\\d+' },
  { find: /^0[xX][0-9a-fA-F]+/, pattern: '0[xX][0-9a-fA-F]+' },
  // A hex id with letters and digits (`7f70a7ded700`, a 32-digit hash), not a word.
  { find: /^(?=[0-9a-fA-F]*\d)(?=[0-9a-fA-F]*[a-fA-F])[0-9a-fA-F]{6,}(?![\w])/, pattern: '[0-9a-fA-F]+' },
  NUMBER,
];

/** Where the message of a line starts: after the prefix of the first format that reads it, else 0. */
export function messageStart(line: string): number {
  for (const id of FORMAT_IDS) {
    if (id === 'plain') continue;
    const parsed = parseLine(formatById(id), line, ANY_YEAR);
    if (parsed) return parsed.messageStart;
  }
  return 0;
}

/**
 * lnav's "hide lines like this": a regex matching this line's message with its variable parts (numbers, hex,
 * ids, uuids, addresses) generalised, up to the line's end — so `Processing srvr command from /127.0.0.1:39170`
 * hides every such line of every client and port, and a line that only starts the same way stays.
 * Undefined when the message has nothing literal left to tell lines apart.
 */
export function similarLinesRegex(line: string): string | undefined {
  const message = line.slice(messageStart(line)).trimEnd();
  let out = '';
  let literal = 0;
  for (let i = 0; i < message.length;) {
    // A variable part only where a word starts: `v2` or `md5` stay words.
    const atWordStart = i === 0 || !/\w/.test(message[i - 1]);
    const rest = message.slice(i);
    const v = atWordStart ? VARIABLE.find((x) => x.find.test(rest)) : undefined;
    if (v) {
      const m = v.find.exec(rest);
      // A number may carry a unit (`4000ms`); anything else must end where a word ends.
      if (m && m[0].length > 0 && (v === NUMBER || !/\w/.test(rest[m[0].length] ?? ''))) {
        out += v.pattern;
        i += m[0].length;
        continue;
      }
    }
    const c = message[i];
    if (/\w/.test(c)) literal++;
    out += c.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
    i++;
  }
  return literal >= 3 ? `${out}$` : undefined;
}

/** A text as a regex that matches exactly it (Trace Across Nodes filters the view to the literal identifier). */
export function literalRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
