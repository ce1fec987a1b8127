import { decodeValue } from '../core/decode/decodeValue';
import { mdCode } from '../core/inertText';
import { explainDecoded } from './hover';
import type { DecodeResult } from './results';
import type { ServiceContext } from './serviceContext';

/**
 * A zxid, session id, retcode or errno as typed by a user (`0x100000175e`, `rc=-7`, `session_id=…`): one
 * reading of the input, decoded and explained from it, with the first bundle's answers (who led the epoch).
 */
export function decode(ctx: ServiceContext, params: { value: string }, zone = ''): DecodeResult {
  const decoded = decodeValue(params.value);
  if (!decoded) return { markdown: `${mdCode(params.value)} is not a zxid, session id, retcode or errno.` };
  return { decoded, markdown: explainDecoded(decoded, { bundle: ctx.bundles[0], lineNumber: 0, label: ctx.label, zone }) };
}
