import type { Decoded } from '../../core/decode/decodeValue';
import type { DecodeResult } from '../../service';
import { terminalText } from '../../core/inertText';
import { UsageError } from '../usage';
import type { CliCommand, Output } from './output';
import * as service from '../../service';
import type { DecodeJson } from '../json';

/** `quorum-lens decode VALUE`: every reading of a zxid, session id, retcode or errno. */
export function decodeOutput(value: string, r: DecodeResult): Output {
  const d = r.decoded;
  if (!d) throw new UsageError(`"${terminalText(value)}" is not a zxid, session id, retcode or errno`);
  const json: DecodeJson = d;
  return { json, human: () => printDecoded(d) };
}

function printDecoded(d: Decoded): string {
  const out = [terminalText(d.input)];
  if (d.zxid) {
    out.push(
      `  zxid: epoch ${d.zxid.epoch} (0x${d.zxid.epoch.toString(16)}), counter ${d.zxid.counter} (0x${d.zxid.counter.toString(16)})`,
    );
  }
  if (d.sessionId) {
    const s = d.sessionId;
    out.push(`  session id ${s.sessionId} (decimal ${s.decimal}): created by the server with myid ${s.myid}, counter ${s.counter}`);
    out.push(`    40-bit ms field ${s.time40} = ${s.uptimeDays.toFixed(2)} days: on ZooKeeper 3.4.11+/3.5.1+ a monotonic clock`);
    out.push('    (about how long that server had been up when its session tracker started), not a date.');
  }
  if (d.retcode) out.push(`  zk retcode ${d.retcode.code}: ${d.retcode.name}, ${d.retcode.meaning}`);
  if (d.errno) out.push(`  errno ${d.errno.code}: ${d.errno.name}, ${d.errno.meaning}`);
  return out.join('\n');
}

export const decodeCommand: CliCommand = {
  name: 'decode',
  synopsis: 'decode VALUE [--json]',
  summary: 'zxid, session id, zk retcode or errno',
  noBundle: true,
  run: (ctx, cl) => decodeOutput(cl.target, service.decode(ctx, { value: cl.target })),
};
