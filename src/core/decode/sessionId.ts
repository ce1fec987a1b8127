import { parseUnsigned64 } from './zxid';

/**
 * A ZooKeeper session id (SessionTrackerImpl.initializeNextSession):
 *   bits 63..56  myid of the server that created it
 *   bits 55..16  low 40 bits of a millisecond clock when that server started its tracker
 *   bits 15..0   a per-server counter
 * The clock is the wall clock only on 3.3.0–3.4.10 and 3.5.0; from 3.4.11 / 3.5.1 it is monotonic
 * (System.nanoTime()/1e6), so it reads as host uptime, not a date.
 */
export interface SessionIdParts {
  sessionId: string;
  decimal: string;
  myid: number;
  /** The 40-bit millisecond field. */
  time40: number;
  /** time40 read as a monotonic clock: days of uptime. */
  uptimeDays: number;
  counter: number;
  /** time40 read as wall-clock ms (pre-3.4.11), only meaningful when a reference year is known. */
  wallClockCandidate?: string;
}

const TWO40 = 2n ** 40n;

/** Decodes a session id given in hex (`0x1000adfaccc0001`, `0x%08x`) or decimal (kazoo). */
export function decodeSessionId(text: string, referenceMs?: number): SessionIdParts | undefined {
  const v = parseUnsigned64(text);
  if (v === undefined) return undefined;
  const myid = Number(v >> 56n);
  const time40 = Number((v >> 16n) & (TWO40 - 1n));
  const counter = Number(v & 0xffffn);
  const parts: SessionIdParts = {
    sessionId: '0x' + v.toString(16),
    decimal: v.toString(10),
    myid,
    time40,
    uptimeDays: time40 / 86_400_000,
    counter,
  };
  if (referenceMs !== undefined) parts.wallClockCandidate = wallClockFrom40(time40, referenceMs);
  return parts;
}

/**
 * Old servers put the low 40 bits of epoch milliseconds in the id; the high bits come back from the
 * nearest matching time to a reference (the log's own date). Returns an ISO date (UTC).
 */
export function wallClockFrom40(time40: number, referenceMs: number): string {
  const period = 2 ** 40;
  const high = Math.floor(referenceMs / period);
  let best = high * period + time40;
  for (const h of [high - 1, high + 1]) {
    const c = h * period + time40;
    if (Math.abs(c - referenceMs) < Math.abs(best - referenceMs)) best = c;
  }
  return new Date(best).toISOString();
}
