/** Bytes gathered before a write: large enough that writes are few, small enough that memory stays flat. */
const FLUSH_CHARS = 1 << 20;

/**
 * Writes `JSON.stringify(value, null, 2)` — the same characters — in pieces of about a megabyte. A trace of a
 * phrase on every line of a bundle is a hundred megabytes of JSON: held as one string (and its parts) it
 * tripled the process's memory; written as it goes, memory is what the answer itself holds.
 */
export function writePrettyJson(value: unknown, write: (chunk: string) => void): void {
  const out = new Chunks(write);
  if (emit(jsonValue(value, ''), '', out) === undefined) throw new TypeError('nothing to write: the value has no JSON form');
  out.flush();
}

/** Text gathered by concatenation (V8 joins the pieces once, when it is written). */
class Chunks {
  private text = '';
  constructor(private readonly write: (chunk: string) => void) {}
  push(s: string): void {
    this.text += s;
    if (this.text.length >= FLUSH_CHARS) this.flush();
  }
  flush(): void {
    if (this.text.length > 0) this.write(this.text);
    this.text = '';
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
 * Writes one value (toJSON already applied) at `indent`; returns undefined, writing nothing, for one JSON has
 * no form for. Containers are walked here, member by member; only primitives go to JSON.stringify.
 */
function emit(v: unknown, indent: string, out: Chunks): true | undefined {
  if (omitted(v)) return undefined;
  if (v === null || typeof v !== 'object') {
    out.push(JSON.stringify(v));
    return true;
  }
  const inner = `${indent}  `;
  if (Array.isArray(v)) {
    if (v.length === 0) return (out.push('[]'), true);
    out.push('[\n');
    for (let i = 0; i < v.length; i++) {
      out.push(inner);
      if (emit(jsonValue(v[i], String(i)), inner, out) === undefined) out.push('null');
      out.push(i + 1 < v.length ? ',\n' : '\n');
    }
    out.push(`${indent}]`);
    return true;
  }
  let first = true;
  for (const k of Object.keys(v)) {
    const x = jsonValue((v as Record<string, unknown>)[k], k);
    if (omitted(x)) continue;
    out.push(`${first ? '{\n' : ',\n'}${inner}${JSON.stringify(k)}: `);
    first = false;
    emit(x, inner, out);
  }
  out.push(first ? '{}' : `\n${indent}}`);
  return true;
}
