import { readFileSync } from 'node:fs';
import { BUILTIN_ROLE_RULES, mergeRoleRules, validateRoleRules, type RoleRule } from '../core/rules/roleRules';
import { formatIso, formatInZone, isValidZone, type Micros } from '../core/time';
import { UsageError } from './usage';

export function timeFormatter(tz: string | undefined): (t: Micros) => string {
  if (!tz) return formatIso;
  if (!isValidZone(tz)) throw new UsageError(`unknown time zone "${tz}" (use an IANA name such as Asia/Shanghai)`);
  return (t) => formatInZone(t, tz);
}

/** Built-in role rules plus those in a user's JSON file. */
export function loadRoleRules(file: string | undefined): RoleRule[] {
  if (!file) return [...BUILTIN_ROLE_RULES];
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UsageError(`cannot read rules file ${file}: ${(e as Error).message}`);
  }
  const problems = validateRoleRules(parsed);
  if (problems.length > 0) throw new UsageError(`rules file ${file}: ${problems[0]}`);
  return mergeRoleRules(parsed as RoleRule[]);
}
