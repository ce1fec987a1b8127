/**
 * Regexes the user (or a rules file) writes run over hostile text: `(a+)+$` against a 41-character line
 * backtracks for hours. Every entry point switches V8 to fall back to its linear-time engine on excessive
 * backtracking (src/indexer/regexRuntime.ts); that engine cannot run backreferences or lookaround, so a
 * user pattern is accepted only when the linear engine can run it — then no line can hang it.
 */

const LINEAR = 'l';

/** Whether V8's linear engine is switched on in this process (`l` flag known). */
function linearEngineOn(): boolean {
  try {
    // The flag is V8's own; ESLint only knows the standard ones.
    new RegExp('a', LINEAR);
    return true;
  } catch {
    return false;
  }
}

/** Why a user regex cannot be used, or undefined when it can. */
export function userRegexProblem(source: string, flags = ''): string | undefined {
  try {
    new RegExp(source, flags);
  } catch (e) {
    return `not a regex: ${(e as Error).message}`;
  }
  if (!linearEngineOn()) return undefined; // a library caller without the runtime switch: irregexp as before
  try {
    new RegExp(source, `${flags}${LINEAR}`);
  } catch {
    // V8's linear engine has no case-insensitive mode: say that, not that the pattern is at fault.
    if (flags.includes('i') && linearAccepts(source, flags.replace('i', '')))
      return 'a case-insensitive (-i) regex cannot run on the linear-time engine that keeps crafted lines from hanging it; drop -i and spell the cases out ([Ss]ession)';
    return (
      'uses a backreference or lookaround, which can take exponential time on a crafted line; ' +
      'rewrite it without them (user patterns run on a linear-time engine)'
    );
  }
  return undefined;
}

function linearAccepts(source: string, flags: string): boolean {
  try {
    new RegExp(source, `${flags}${LINEAR}`);
    return true;
  } catch {
    return false;
  }
}

/** A user regex, checked; throws the problem as an Error when it cannot be used. */
export function userRegex(source: string, flags = ''): RegExp {
  const problem = userRegexProblem(source, flags);
  if (problem) throw new Error(problem);
  return new RegExp(source, flags);
}
