/**
 * How every view writes a number it computed (a count, a sum, a mean): one rule, so the CLI, the editor's
 * table and what is copied from it never disagree. Integers are written exactly, every digit (1779611,
 * never 1.77961e+6 or 1779610). Other numbers are rounded to 15 significant digits — what a double holds
 * for certain — and written in their shortest form: binary noise goes (0.1 + 0.2 reads 0.3), a value the log
 * wrote (0.1744269 s) reads as written, a mean reads 593203.666666667.
 */
export const SIGNIFICANT_DIGITS = 15;

/** `v` as text by the rule above. */
export function numberText(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v)) {
    // String() switches to exponent notation from 1e21; every double that large is an integer, which BigInt spells out.
    if (Math.abs(v) < 1e21) return v === 0 ? '0' : String(v);
    return BigInt(v).toString();
  }
  return String(Number(v.toPrecision(SIGNIFICANT_DIGITS)));
}
