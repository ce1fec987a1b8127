import { HEX, isWhole } from '../identifiers';
import { decodeSessionId, type SessionIdParts } from './sessionId';
import { describeErrno, describeRetcode } from './zkErrors';
import { decodeZxid, type ZxidParts } from './zxid';

/** Everything a value could be; the caller shows the readings that make sense. */
export interface Decoded {
  input: string;
  zxid?: ZxidParts;
  sessionId?: SessionIdParts;
  retcode?: { code: number; name: string; meaning: string };
  errno?: { code: number; name: string; meaning: string };
}

const PLAUSIBLE_EPOCHS = 1 << 20;

/**
 * Decodes a value as typed by a user: `0x100000175e`, `zxid=0x…`, `retcode=-7`, `errno=110`, a kazoo
 * decimal session id. Ambiguous values get every plausible reading.
 */
export function decodeValue(raw: string): Decoded | undefined {
  const input = raw.trim();
  // `errno=110(Connection timed out)`: the value is the number; what follows is the printed meaning.
  const keyed = /^(zxid|session(?:_?id)?|retcode|rc|errno)\s*[=:]\s*(-?\w+)/i.exec(input);
  const key = keyed?.[1].toLowerCase();
  const value = keyed ? keyed[2] : input;
  const out: Decoded = { input };
  if (key === 'retcode' || key === 'rc') {
    out.retcode = describeRetcode(Number(value));
    return out.retcode ? out : undefined;
  }
  if (key === 'errno') {
    out.errno = describeErrno(Number(value));
    return out.errno ? out : undefined;
  }
  if (key === 'zxid') {
    out.zxid = decodeZxid(value);
    return out.zxid ? out : undefined;
  }
  if (key?.startsWith('session')) {
    out.sessionId = decodeSessionId(value);
    return out.sessionId ? out : undefined;
  }
  const isHex = isWhole(HEX, value, 'i');
  const isInt = /^-?\d+$/.test(value);
  if (!isHex && !isInt) return undefined;
  const n = Number(value);
  if (isInt && n < 0 && n >= -200) {
    out.retcode = describeRetcode(n);
    if (out.retcode) return out;
  }
  if (isInt && n > 0 && n < 200) {
    out.errno = describeErrno(n);
    return out.errno ? out : undefined;
  }
  const z = decodeZxid(value);
  if (!z) return undefined;
  // A session id has its creator's myid in the top byte; a zxid's epoch counts elections, so it is small.
  const s = decodeSessionId(value);
  if (s && s.myid > 0) out.sessionId = s;
  if (!out.sessionId || z.epoch < PLAUSIBLE_EPOCHS) out.zxid = z;
  return out;
}
