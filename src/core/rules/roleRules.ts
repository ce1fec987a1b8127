import type { FormatId } from '../formats/types';

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

/** The built-in rules plus the user's; a user rule for an existing role replaces the built-in one. */
export function mergeRoleRules(extra: readonly RoleRule[]): RoleRule[] {
  const replaced = new Set(extra.map((r) => r.role));
  return [...BUILTIN_ROLE_RULES.filter((r) => !replaced.has(r.role)), ...extra];
}

/** Says why an interval ended, in words: the end message, or that the process or the logs ended. */
export function describeEndReason(reason: string, rules: readonly RoleRule[] = BUILTIN_ROLE_RULES): string {
  if (reason === 'processExit') return 'the process ended (restarted later)';
  if (reason === 'logEnd') return 'still holding it when the logs end';
  for (const r of rules) for (const p of r.ends) if (p.id === reason) return `"${p.label ?? p.keyword.trim()}"`;
  return reason;
}

/** Checks a user-supplied rule list; returns a message per problem (empty when all is well). */
export function validateRoleRules(rules: unknown): string[] {
  const problems: string[] = [];
  if (!Array.isArray(rules)) return ['role rules must be a list'];
  rules.forEach((r, i) => {
    const where = `rule ${i + 1}`;
    if (typeof r !== 'object' || r === null) return void problems.push(`${where}: not an object`);
    const rule = r as Partial<RoleRule>;
    if (typeof rule.role !== 'string' || !/^[\w-]+$/.test(rule.role)) problems.push(`${where}: "role" must be a word`);
    for (const side of ['starts', 'ends'] as const) {
      const list = rule[side];
      if (!Array.isArray(list) || list.length === 0) {
        problems.push(`${where}: "${side}" must be a non-empty list`);
        continue;
      }
      list.forEach((p, j) => {
        if (typeof p?.keyword !== 'string' || p.keyword.length === 0) problems.push(`${where}: ${side}[${j}] needs a "keyword"`);
        if (p?.regex !== undefined) {
          try {
            new RegExp(p.regex);
          } catch (e) {
            problems.push(`${where}: ${side}[${j}] regex: ${(e as Error).message}`);
          }
        }
      });
    }
  });
  return problems;
}
