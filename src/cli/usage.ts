/** A mistake in how the command was called: exit code 2 with a one-line message. */
export class UsageError extends Error {}

export const USAGE = `quorum-lens — investigate the logs of ZooKeeper-based systems

Usage:
  quorum-lens index DIR [--json]                         summary of a log bundle
  quorum-lens leaders DIR [--role ROLE] [--json]         leader intervals per node
  quorum-lens overlaps DIR [--role ROLE] [--json]        intervals of one role that overlap across nodes
  quorum-lens decode VALUE [--json]                      zxid, session id, zk retcode or errno

Options:
  --role meta|zk|namenode|all   role to analyse (default meta; "all" for every role)
  --tz ZONE                     the logs' time zone (IANA name); times then carry its offset
  --rules FILE                  extra role rules (JSON list of {role, starts, ends})
  --cache DIR                   where indexes are kept (default $XDG_CACHE_HOME/quorum-lens); unchanged
                                files are not read again, appended ones only from where they ended
  --no-cache                    index from scratch and save nothing
  --json                        machine-readable output only
  -h, --help                    this text
`;
