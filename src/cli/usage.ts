import { COMMANDS } from './commands';

/** A mistake in how the command was called: exit code 2 with a one-line message. */
export class UsageError extends Error {}

/** `--help`: the commands' synopses (from their modules) and the options. Built when asked: commands import this module. */
export function usageText(): string {
  return `quorum-lens — investigate the logs of ZooKeeper-based systems

Usage:
${COMMANDS.map((c) => `  quorum-lens ${c.synopsis.padEnd(44)} ${c.summary}`).join('\n')}

Options:
  --role meta|zk|namenode|all   role to analyse (default meta; "all" for every role)
  --tz ZONE                     the logs' time zone (IANA name); times then carry its offset
  --rules FILE                  extra role rules (JSON list of {role, starts, ends})
  --cache DIR                   where indexes are kept (default $XDG_CACHE_HOME/quorum-lens); unchanged
                                files are not read again, appended ones only from where they ended
  --no-cache                    index from scratch and save nothing
  --no-search-index             index: save the event index only (searches then read every byte)
  --offset NODE=MS              a node's clock offset in ms (repeatable), applied to every time comparison
  --regex, -i                   PATTERN/TEXT is a regex; ignore case
  --max N                       trace: the first N lines in time order (default 100000); a cut trace
                                says from which time the rest begin; merge: lines per page (default 1000)
  --from TIME                   trace, merge: only lines at or after TIME (the next page of a cut trace)
  --to TIME                     merge: only lines before TIME
  --include RE, --exclude RE    merge (repeatable): an entry is shown when one of its lines matches any
                                --include (none given: every entry) and none matches an --exclude
  --level W|E                   merge: warnings and worse (W), errors and fatal (E)
  --node N, --source S          merge (repeatable): only these nodes (folder, address or label) and
                                source kinds (meta, chunk, zookeeper, zkfc, namenode, hadoop, kazoo,
                                testRunner, ntp, service, other)
  --after C, --before C         merge: the page after (before) a page's cursor — printed as "Read on
                                with: --after …" and in --json as next (previous); --before TIME: the
                                last lines before TIME
  --explain                     overlaps: a report on each overlap (terms, stale side and its evidence,
                                silences, faults, ZooKeeper states, sessions, clocks) as Markdown
  --json                        machine-readable output only
  -h, --help                    this text
`;
}
