import { withVerdict } from '../../core/expiryVerdict';
import type { SessionLifecycleInfo } from '../../service';
import { terminalText } from '../../core/inertText';
import { table } from '../table';
import { spaced, type CliCommand, type Output } from './output';
import * as service from '../../service';
import type { SessionJson } from '../json';

/** `quorum-lens session DIR ID`: a ZooKeeper session id's or a meta session uuid's lifecycle. */
export function sessionOutput(query: string, r: SessionLifecycleInfo): Output {
  const by = r.createdBy;
  const json: SessionJson = {
    id: r.id,
    kind: r.kind,
    createdBy: by ? { myid: by.myid, node: by.node ?? null } : null,
    events: r.events.map((e) => ({
      node: e.node,
      file: e.location.file,
      line: e.location.line,
      time: e.timeLabel ?? null,
      what: e.what,
      text: e.text,
      ...(e.effective !== undefined && { effective: e.effective, why: e.why }),
    })),
  };
  const human = () => {
    if (r.events.length === 0) return `Nothing about ${terminalText(query)} in the bundle.`;
    const which = by?.node
      ? ` = ${terminalText(by.node)}`
      : by?.claimedBy
        ? `, claimed by ${by.claimedBy.map(terminalText).join(', ')}`
        : '';
    const creator = by ? ` (created by myid ${by.myid}${which})` : '';
    const rows = r.events.map((e) => [spaced(e.timeLabel), e.node, withVerdict(e), `${e.location.file}:${e.location.line}`]);
    return `${r.kind === 'zookeeper' ? 'ZooKeeper session' : 'meta session'} ${terminalText(r.id)}${creator}:\n\n${table(['TIME', 'NODE', 'WHAT', 'SOURCE'], rows)}`;
  };
  return { json, human };
}

export const sessionCommand: CliCommand = {
  name: 'session',
  synopsis: 'session DIR ID [--json]',
  summary: "a ZooKeeper session id's or a meta session uuid's lifecycle",
  needs: 'a session id or uuid',
  run: (ctx, cl) => sessionOutput(cl.arg, service.sessionLifecycle(ctx, { id: cl.arg })),
};
