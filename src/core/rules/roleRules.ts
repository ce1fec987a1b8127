import { FORMAT_IDS, type FormatId } from '../formats/types';
import { userRegexProblem } from '../userRegex';

/**
 * Role rules are data: which log messages open and close a role's interval on a node. Built-in rules
 * cover the meta service, the ZooKeeper quorum leader and the HDFS NameNode; users add their own later
 * (settings, CLI flag) in the same shape.
 */

/** A message to look for: a literal that must appear in the line, and an optional regex to confirm. */
export interface MessagePattern {
  id: string;
  keyword: string;
  /** JavaScript regex source tested against the whole line (CR stripped). */
  regex?: string;
  /** How to name this edge to a reader, when the keyword alone does not say it. */
  label?: string;
  /** The keyword is how the message begins (right after the format's message anchor): a faster search. */
  atStart?: boolean;
}

/** The built-in roles' ids: one home for the strings the rules, queries and views key on. */
export const ROLE = { meta: 'meta', zookeeper: 'zk', namenode: 'namenode' } as const;

/** A role as the views name it: its id and its label (`zk` → "ZooKeeper leader"). */
export interface RoleInfo {
  id: string;
  label: string;
}

/** The roles the rules define, in rule order, with their labels. */
export function rolesOfRules(rules: readonly RoleRule[]): RoleInfo[] {
  return rules.map((r) => ({ id: r.role, label: r.label }));
}

export interface RoleRule {
  role: string;
  label: string;
  starts: MessagePattern[];
  ends: MessagePattern[];
  /** Formats whose files can hold these messages; all when absent (user rules). */
  formats?: FormatId[];
}

export const BUILTIN_ROLE_RULES: readonly RoleRule[] = [
  {
    role: ROLE.meta,
    label: 'meta leader',
    formats: ['glog'],
    // meta_server.cc: "Stopped the services of meta" is also logged just before a node takes the
    // leader role, and "Starting the services of meta" happens for followers too, so neither is an edge.
    starts: [{ id: 'meta.startLeaderRole', keyword: 'Start the leader role', atStart: true }],
    ends: [{ id: 'meta.stoppingServices', keyword: 'Stopping the services of meta', atStart: true }],
  },
  {
    role: ROLE.zookeeper,
    label: 'ZooKeeper leader',
    formats: ['zookeeper', 'log4j'],
    starts: [
      { id: 'zk.LEADING', atStart: true, keyword: 'LEADING', regex: '\\] - LEADING\\s*$' },
      {
        id: 'zk.leadingElectionTook',
        atStart: true,
        keyword: 'LEADING - LEADER ELECTION TOOK',
        regex: '\\] - LEADING - LEADER ELECTION TOOK',
      },
      { id: 'zk.peerStateLeading', atStart: true, keyword: 'Peer state changed: leading', regex: 'Peer state changed: leading\\b' },
    ],
    ends: [
      { id: 'zk.LOOKING', atStart: true, keyword: 'LOOKING', regex: '\\] - LOOKING\\s*$' },
      { id: 'zk.FOLLOWING', atStart: true, keyword: 'FOLLOWING', regex: '\\] - FOLLOWING(?:\\s*$| - LEADER ELECTION TOOK)' },
      { id: 'zk.OBSERVING', atStart: true, keyword: 'OBSERVING', regex: '\\] - OBSERVING\\s*$' },
      {
        id: 'zk.peerStateOther',
        atStart: true,
        keyword: 'Peer state changed: ',
        regex: 'Peer state changed: (?:looking|following|observing)\\b',
        label: 'Peer state changed: looking/following/observing',
      },
      {
        id: 'zk.leaderShutdown',
        atStart: true,
        keyword: 'Shut',
        regex: '\\bLeader@\\d+\\] - (?:Shutting down|Shutdown called)',
        label: 'Leader shutting down',
      },
    ],
  },
  {
    role: ROLE.namenode,
    label: 'HDFS NameNode active',
    formats: ['log4j'],
    starts: [
      { id: 'namenode.zkfcActive', keyword: 'to active state', regex: 'Successfully transitioned .* to active state' },
      { id: 'namenode.servicesActive', keyword: 'Starting services required for active state' },
    ],
    ends: [
      {
        id: 'namenode.zkfcStandby',
        keyword: 'to standby state',
        regex: 'Successfully transitioned .* to standby state',
        label: 'transitioned to standby',
      },
      {
        id: 'namenode.shouldBecomeStandby',
        keyword: 'should become standby',
        regex: 'ZK Election indicated that .* should become standby',
        label: 'ZK election said: become standby',
      },
      { id: 'namenode.servicesStopped', keyword: 'Stopping services started for active state' },
      { id: 'namenode.cededActive', keyword: 'Successfully ensured local node is in standby mode' },
    ],
  },
];

export const BUILTIN_ROLES = BUILTIN_ROLE_RULES.map((r) => r.role);

/**
 * The built-in rules plus the user's; a user rule for an existing role replaces the built-in one. User rules
 * get what they may leave out: a label (`<role> leader`) and an id per pattern (`<role>.ends.2`), so an end
 * reason always names its pattern.
 */
export function mergeRoleRules(extra: readonly RoleRule[]): RoleRule[] {
  const replaced = new Set(extra.map((r) => r.role));
  const completed = extra.map((r) => ({
    ...r,
    label: r.label || `${r.role} leader`,
    starts: r.starts.map((p, j) => ({ ...p, id: p.id || `${r.role}.starts.${j + 1}` })),
    ends: r.ends.map((p, j) => ({ ...p, id: p.id || `${r.role}.ends.${j + 1}` })),
  }));
  return [...BUILTIN_ROLE_RULES.filter((r) => !replaced.has(r.role)), ...completed];
}

/**
 * Says why an interval ended, in words that follow "ended by": the end message, or the process exiting,
 * the end of the logs, a clock step.
 */
export function describeEndReason(reason: string, rules: readonly RoleRule[] = BUILTIN_ROLE_RULES): string {
  if (reason === 'processExit') return 'the process exiting (restarted later)';
  if (reason === 'logEnd') return 'the end of the logs (still holding it then)';
  if (reason === 'clockStepBack') return 'the clock stepping back (the term goes on after the step)';
  for (const r of rules) for (const p of r.ends) if (p.id === reason) return `"${p.label ?? p.keyword.trim()}"`;
  return reason;
}

/** Checks a user-supplied rule list (settings or `--rules`); returns a message per problem (empty when all is well). */
export function validateRoleRules(rules: unknown): string[] {
  if (!Array.isArray(rules)) return ['role rules must be a list'];
  return rules.flatMap((r: unknown, i) => ruleProblems(r, `rule ${i + 1}`));
}

function ruleProblems(r: unknown, where: string): string[] {
  if (typeof r !== 'object' || r === null || Array.isArray(r)) return [`${where}: not an object`];
  const rule = r as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof rule.role !== 'string' || !/^[\w-]+$/.test(rule.role)) problems.push(`${where}: "role" must be a word`);
  if (rule.label !== undefined && typeof rule.label !== 'string') problems.push(`${where}: "label" must be text`);
  if (rule.formats !== undefined) {
    const known: readonly string[] = FORMAT_IDS;
    if (!Array.isArray(rule.formats) || rule.formats.some((f) => typeof f !== 'string' || !known.includes(f))) {
      problems.push(`${where}: "formats" must be a list of ${known.join(', ')}`);
    }
  }
  for (const side of ['starts', 'ends'] as const) {
    const list = rule[side];
    if (!Array.isArray(list) || list.length === 0) {
      problems.push(`${where}: "${side}" must be a non-empty list`);
      continue;
    }
    list.forEach((p: unknown, j) => problems.push(...patternProblems(p, `${where}: ${side}[${j}]`)));
  }
  return problems;
}

function patternProblems(p: unknown, where: string): string[] {
  if (typeof p !== 'object' || p === null || Array.isArray(p)) return [`${where}: not an object`];
  const pattern = p as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof pattern.keyword !== 'string' || pattern.keyword.length === 0) problems.push(`${where} needs a "keyword"`);
  if (pattern.id !== undefined && (typeof pattern.id !== 'string' || pattern.id.length === 0)) problems.push(`${where}: "id" must be text`);
  if (pattern.label !== undefined && typeof pattern.label !== 'string') problems.push(`${where}: "label" must be text`);
  if (pattern.atStart !== undefined && typeof pattern.atStart !== 'boolean') problems.push(`${where}: "atStart" must be true or false`);
  if (pattern.regex !== undefined) {
    const problem = typeof pattern.regex === 'string' ? userRegexProblem(pattern.regex) : 'must be text';
    if (problem) problems.push(`${where} regex: ${problem}`);
  }
  return problems;
}
