import * as path from 'node:path';
import { formatById } from '../core/formats';
import type { FileIndex } from '../core/model';
import { chunks, type ReadBounds } from './readChunks';
import { plural } from '../core/plural';

/**
 * ZooKeeper's start script sends the server's console to `zookeeper.out`; with log4j's CONSOLE appender on,
 * that repeats what `zookeeper.log` (and its rotations) hold. A `<name>.out` whose every entry is found, in
 * order, in the `<name>.log*` files beside it is a copy of them; lines only it has (the JVM's own messages,
 * undated) are left out with it and counted in a note. One that repeats only part is indexed, with a note.
 * Reads only bundles that hold such a pair; a `.out` with no `.log` beside it is an ordinary log.
 */
export async function markConsoleCopies(files: FileIndex[], root: string): Promise<void> {
  const live = files.filter((f) => !f.skipped && !f.duplicateOf && f.lines > 0);
  for (const out of live) {
    const m = /^(.+)\.out$/.exec(path.posix.basename(out.path));
    if (!m) continue;
    const dir = path.posix.dirname(out.path);
    const logName = new RegExp(`^${m[1].replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.log(?:\\.[\\w-]+)?(?:\\.gz)?$`);
    const logs = live
      .filter((f) => f !== out && path.posix.dirname(f.path) === dir && logName.test(path.posix.basename(f.path)))
      .sort((a, b) => (a.firstTime ?? 0) - (b.firstTime ?? 0) || b.path.localeCompare(a.path));
    if (logs.length > 0) await compare(out, logs, root);
  }
}

/** A line of a file: its bytes (no line break) and number. */
interface Line {
  file: FileIndex;
  no: number;
  text: Buffer;
}

async function compare(out: FileIndex, logs: FileIndex[], root: string): Promise<void> {
  const entry = formatById(out.format).entryStart;
  const dated = (l: Line) => entry.test(l.text.toString('latin1'));
  const outLines = linesOf([out], root);
  // Align on the first entry of the `.out`: what comes before it is console output of its own.
  let own = 0;
  let o = await outLines.next();
  while (!o.done && !dated(o.value)) [own, o] = [own + 1, await outLines.next()];
  if (o.done) return;
  // Files that end before it cannot hold it.
  const from = out.firstTime ?? -Infinity;
  const logLines = linesOf(
    logs.filter((f) => (f.lastTime ?? Infinity) >= from),
    root,
  );
  let l = await logLines.next();
  while (!l.done && !l.value.text.equals(o.value.text)) l = await logLines.next();
  if (l.done) return;
  const start = l.value;
  let repeated = 0;
  let differs: Line | undefined;
  try {
    while (!o.done) {
      if (!l.done && l.value.text.equals(o.value.text)) {
        repeated++;
        [o, l] = [await outLines.next(), await logLines.next()];
      } else if (!dated(o.value)) {
        // Console output between entries (a stack trace printed to stderr): the `.out`'s own.
        own++;
        o = await outLines.next();
      } else {
        differs = o.value;
        break;
      }
    }
  } finally {
    await outLines.return(undefined);
    await logLines.return(undefined);
  }
  const name = start.file.path.slice(start.file.path.lastIndexOf('/') + 1);
  if (differs) {
    out.notes.push(
      `repeats ${plural(repeated, 'line')} of ${name} (from its line ${start.no}), then differs at line ${differs.no}: indexed whole, so those lines are counted twice`,
    );
    return;
  }
  out.duplicateOf = start.file.path;
  out.copyReason = `console copy of ${name} (from its line ${start.no})`;
  if (own > 0)
    out.notes.push(`${plural(own, 'line')} of its own (console output not in the log) ${own === 1 ? 'is' : 'are'} left out with it`);
}

/** The lines of files one after another, as the index counts them. A line is valid until the next is asked for. */
async function* linesOf(files: FileIndex[], root: string): AsyncGenerator<Line> {
  for (const file of files) {
    const bounds: ReadBounds = { maxBytes: file.size, root };
    let no = 0;
    let carry: Buffer | undefined;
    for await (const chunk of chunks(path.join(root, ...file.path.split('/')), file.gzip, 0, bounds)) {
      let from = 0;
      for (let nl = chunk.indexOf(10); nl >= 0; nl = chunk.indexOf(10, from)) {
        const text = carry ? Buffer.concat([carry, chunk.subarray(from, nl)]) : chunk.subarray(from, nl);
        yield { file, no: ++no, text: text[text.length - 1] === 13 ? text.subarray(0, -1) : text };
        carry = undefined;
        from = nl + 1;
      }
      // The rest is the start of a line that goes on in the next chunk, which may reuse this buffer.
      if (from < chunk.length) carry = Buffer.concat(carry ? [carry, chunk.subarray(from)] : [chunk.subarray(from)]);
    }
    if (carry) yield { file, no: no + 1, text: carry };
  }
}
