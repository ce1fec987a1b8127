/** A mistake in how the command was called: exit code 2 with a one-line message. */
export class UsageError extends Error {}

export const USAGE = `quorum-lens — investigate the logs of ZooKeeper-based systems

Usage:
  quorum-lens index DIR [--json]                         summary of a log bundle
  quorum-lens leaders DIR [--role ROLE] [--json]         leader intervals per node
  quorum-lens overlaps DIR [--role ROLE] [--json]        intervals of one role that overlap across nodes
  quorum-lens decode VALUE [--json]                      zxid, session id, zk retcode or errno
  quorum-lens trace DIR TEXT [--regex] [--json]          every line mentioning TEXT, all nodes, in time order
  quorum-lens context DIR TIME [--window 5s] [--json]    what every node wrote around a moment
  quorum-lens count DIR PATTERN [--by day|hour] [--json] matches per node and day (or hour)
  quorum-lens stats DIR REGEX [--json]                   the number REGEX captures: count/sum/min/max/mean/median/p99 per node
  quorum-lens offsets DIR [--json]                       clock offsets NTP/chrony measured, per node
  quorum-lens session DIR ID [--json]                    a ZooKeeper session id's or a meta session uuid's lifecycle

Options:
  --role meta|zk|namenode|all   role to analyse (default meta; "all" for every role)
  --tz ZONE                     the logs' time zone (IANA name); times then carry its offset
  --rules FILE                  extra role rules (JSON list of {role, starts, ends})
  --cache DIR                   where indexes are kept (default $XDG_CACHE_HOME/quorum-lens); unchanged
                                files are not read again, appended ones only from where they ended
  --no-cache                    index from scratch and save nothing
  --offset NODE=MS              a node's clock offset in ms (repeatable), applied to every time comparison
  --regex, -i                   PATTERN/TEXT is a regex; ignore case
  --max N                       stop after N matches (trace; default 100000)
  --json                        machine-readable output only
  -h, --help                    this text
`;
