/** Bytes gathered before a write: large enough that writes are few, small enough that memory stays flat. */
const FLUSH_CHARS = 1 << 20;

/** Array members stringified at once: a few hundred kilobytes of a trace's lines. */
const SLICE = 1000;

/**
 * `JSON.stringify(value, null, 2)` — the same characters — in pieces of about a megabyte. A trace of a phrase
 * on every line of a bundle is a hundred megabytes of JSON: held as one string, and again as the pipe's
 * queued copy, it doubled the process's memory; written piece by piece as the reader takes them (see
 * writeChunks), memory is what the answer itself holds.
 */
export function* prettyJsonChunks(value: unknown): Generator<string> {
  const out = new Chunks();
  if (!(yield* emit(jsonValue(value, ''), '', out))) throw new TypeError('nothing to write: the value has no JSON form');
  const rest = out.take();
  if (rest.length > 0) yield rest;
}

/** Text gathered by concatenation (V8 joins the pieces once, when it is taken). */
class Chunks {
  private text = '';
  push(s: string): void {
    this.text += s;
  }
  get full(): boolean {
    return this.text.length >= FLUSH_CHARS;
  }
  take(): string {
    const t = this.text;
    this.text = '';
    return t;
  }
}

/** JSON.stringify's first step: a value with toJSON stands for what it returns. */
function jsonValue(v: unknown, key: string): unknown {
  return v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function'
    ? (v as { toJSON(k: string): unknown }).toJSON(key)
    : v;
}

/** What JSON.stringify leaves out of an object (and writes as null in an array). */
function omitted(v: unknown): boolean {
  return v === undefined || typeof v === 'function' || typeof v === 'symbol';
}

/**
 * Writes one value (toJSON already applied) at `indent`; false, writing nothing, for one JSON has no form for.
 * An object is walked member by member; an array goes to JSON.stringify a slice of members at a time (its
 * native walk is twice as fast as one here), re-indented to its depth — newlines in its text are structural
 * only, a string's own are escaped — so a member's toJSON sees its index within the slice.
 */
function* emit(v: unknown, indent: string, out: Chunks): Generator<string, boolean> {
  if (omitted(v)) return false;
  if (v === null || typeof v !== 'object') return (out.push(JSON.stringify(v)), true);
  if (Array.isArray(v)) {
    if (v.length === 0) return (out.push('[]'), true);
    out.push('[\n');
    for (let i = 0; i < v.length; i += SLICE) {
      // "[\n  a,\n  b\n]": its members, each line moved in by this array's indent.
      const members = JSON.stringify(v.slice(i, i + SLICE), null, 2).slice(2, -2);
      out.push(indent === '' ? members : indent + members.replaceAll('\n', `\n${indent}`));
      out.push(i + SLICE < v.length ? ',\n' : '\n');
      if (out.full) yield out.take();
    }
    out.push(`${indent}]`);
    return true;
  }
  const inner = `${indent}  `;
  let first = true;
  for (const k of Object.keys(v)) {
    const x = jsonValue((v as Record<string, unknown>)[k], k);
    if (omitted(x)) continue;
    out.push(`${first ? '{\n' : ',\n'}${inner}${JSON.stringify(k)}: `);
    first = false;
    yield* emit(x, inner, out);
    if (out.full) yield out.take();
  }
  out.push(first ? '{}' : `\n${indent}}`);
  return true;
}

/**
 * Writes pieces to a stream as fast as its reader takes them: a pipe queues what it cannot take at once, so
 * each piece waits for the queue to drain rather than piling up behind it.
 */
export async function writeChunks(stream: NodeJS.WritableStream, chunks: Iterable<string>): Promise<void> {
  for (const c of chunks) if (!stream.write(c)) await new Promise<void>((resolve) => stream.once('drain', resolve));
}
