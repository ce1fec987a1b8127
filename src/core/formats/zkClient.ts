import { fractionToMicros, wallMicros } from '../time';
import type { LogFormat, ParsedLine, Severity } from './types';

// zookeeper-client-c zk_log.c: "%s:%ld(0x%lx):%s@%s@%d: " = time, pid, thread, level, function, line.
// 2023-03-14 16:32:00,045:38748(0x7f70a7ded700):ZOO_ERROR@handle_socket_error_msg@2393: msg
const LINE = /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d),(\d{3}):(\d+)(?:\((0x[0-9a-fA-F]+)\))?:ZOO_(ERROR|WARN|INFO|DEBUG)@(\w+)@(\d+): /;
const SEVERITY: Record<string, Severity> = { ERROR: 'error', WARN: 'warn', INFO: 'info', DEBUG: 'debug' };

export const zkClient: LogFormat = {
  id: 'zkclient',
  label: 'ZooKeeper C client',
  entryStart: /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}:\d+(?:\(0x[0-9a-fA-F]+\))?:ZOO_/,
  errorHit: 'ZOO_ERROR@',
  errorLineSource: '^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,\\d{3}:\\d+(?:\\(0x[0-9a-fA-F]+\\))?:ZOO_ERROR@',
  parse(line): ParsedLine | undefined {
    const m = LINE.exec(line);
    if (!m) return undefined;
    const time = wallMicros(+m[1], +m[2], +m[3], +m[4], +m[5], +m[6], fractionToMicros(m[7]));
    if (Number.isNaN(time)) return undefined;
    return { time, thread: m[9] ?? m[8], severity: SEVERITY[m[10]], location: `${m[11]}@${m[12]}`, messageStart: m[0].length };
  },
};
