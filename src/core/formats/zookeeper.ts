import { fractionToMicros, wallMicros } from '../time';
import { SEVERITY_BY_WORD, type LogFormat, type ParsedLine } from './types';

// 2015-07-29 17:41:44,747 - INFO  [thread:Class@line] - msg            (3.3, Debian packages)
// 2023-03-14 01:35:51,703 [myid:1] - INFO  [thread:Class@line] - msg   (3.4+, log4j/logback ISO8601)
// 2023-03-14T01:35:51,703 [myid:] - INFO  [thread:Class@line] - msg    (rendered through Log4j 2)
// The thread itself may hold ':' and ']' (QuorumPeer[myid=1](plain=10.0.131.241:2181)(secure=disabled)),
// so the location is the last `:Class@line] - ` reached lazily.
const LINE =
  /^(\d{4})-(\d\d)-(\d\d)[ T](\d\d):(\d\d):(\d\d),(\d{3}) (?:\[myid:([^\]]*)\] )?- (TRACE|DEBUG|INFO|WARN|ERROR|FATAL) *(?:- )?\[(.*?):([\w$.]+@\d+)\] - /;

export const zookeeper: LogFormat = {
  id: 'zookeeper',
  label: 'ZooKeeper server (log4j/logback)',
  entryStart: /^\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d,\d{3} (?:\[myid:[^\]]*\] )?- [A-Z]+ +(?:- )?\[/,
  errorHit: '- (?:ERROR|FATAL) ',
  messageAnchor: '\\] - ',
  errorLineSource: '^\\d{4}-\\d\\d-\\d\\d[ T]\\d\\d:\\d\\d:\\d\\d,\\d{3} (?:\\[myid:[^\\]\\n]*\\] )?- (?:ERROR|FATAL)',
  parse(line): ParsedLine | undefined {
    const m = LINE.exec(line);
    if (!m) return undefined;
    const time = wallMicros(+m[1], +m[2], +m[3], +m[4], +m[5], +m[6], fractionToMicros(m[7]));
    if (Number.isNaN(time)) return undefined;
    return {
      time, myid: m[8] || undefined, severity: SEVERITY_BY_WORD[m[9]], thread: m[10], location: m[11],
      messageStart: m[0].length,
    };
  },
};
