/**
 * The longest run of plain text every match of a regex must contain (`GC pause ` in `GC pause .*, ([0-9.]+)
 * secs`), so a search can look for those bytes first and run the regex only on the lines that have them —
 * what makes a regex search run at memory speed instead of regex speed. Undefined when there is no such
 * run of at least `minLength` characters, or when the regex could match across a newline (then a line is
 * not the unit of matching and the caller must run the regex over whole chunks).
 */
export function requiredLiteral(source: string, minLength = 3): string | undefined {
  // Classes and escapes that match '\n' make a match able to span lines.
  if (/\[\^|\\[sSWDnrbB]|\\u000[aA]|\\x0[aA]/.test(source)) return undefined;
  let best = '';
  let run = '';
  let depth = 0;
  const endRun = () => {
    if (run.length > best.length) best = run;
    run = '';
  };
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      const next = source[i + 1];
      i++;
      if (next === undefined) return undefined;
      // An escaped punctuation character is itself; any other escape (\d, \w, \1, \p…) is not plain text.
      if (depth === 0 && /[^\w]/.test(next)) run += next;
      else if (depth === 0) endRun();
      continue;
    }
    if (c === '[') {
      // Skip the class (a ']' first in the class is literal).
      let j = i + 1;
      if (source[j] === ']') j++;
      while (j < source.length && source[j] !== ']') j += source[j] === '\\' ? 2 : 1;
      i = j;
      if (depth === 0) endRun();
      continue;
    }
    if (c === '(') {
      if (depth === 0) endRun();
      depth++;
      continue;
    }
    if (c === ')') {
      depth--;
      continue;
    }
    if (depth > 0) continue;
    if (c === '|') return undefined;
    if (c === '?' || c === '*' || c === '{') {
      // The character before is optional (or repeated a counted number of times): not required as written.
      run = run.slice(0, -1);
      endRun();
      if (c === '{') while (i < source.length && source[i] !== '}') i++;
      continue;
    }
    if (c === '+') {
      endRun();
      continue;
    }
    if (c === '.' || c === '^' || c === '$') {
      endRun();
      continue;
    }
    run += c;
  }
  endRun();
  return best.length >= minLength ? best : undefined;
}
