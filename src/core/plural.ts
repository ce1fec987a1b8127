/** "node" for 1, else "nodes" (or the plural given): the noun after a count, in the right number. */
export function noun(n: number, one: string, many = `${one}s`): string {
  return n === 1 ? one : many;
}

/**
 * A count with its noun in the right number — "1 node", "5 nodes", "1 match has" / "3 matches have" — for
 * every message a person reads, so none says "1 nodes".
 */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${noun(n, one, many)}`;
}
