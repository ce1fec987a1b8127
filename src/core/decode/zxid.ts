import { HEX64, isWhole } from '../identifiers';

/** A ZooKeeper transaction id: high 32 bits the leader's epoch, low 32 bits a counter (ZxidUtils). */
export interface ZxidParts {
  zxid: string;
  epoch: number;
  counter: number;
}

/** Decodes `0x100000175e` (or decimal) → epoch 16, counter 5982. Undefined when not a number. */
export function decodeZxid(text: string): ZxidParts | undefined {
  const v = parseUnsigned64(text);
  return v === undefined ? undefined : splitZxid(v);
}

/** The one place a zxid is split: epoch = high 32 bits (`z >> 32`), counter = low 32 (`z & 0xffffffff`). */
export function splitZxid(v: bigint): ZxidParts {
  return { zxid: '0x' + v.toString(16), epoch: Number(v >> 32n), counter: Number(v & 0xffffffffn) };
}

/** `0x…` hex or a decimal integer; negative decimals are Java longs printed signed. */
export function parseUnsigned64(text: string): bigint | undefined {
  const t = text.trim();
  let v: bigint;
  if (isWhole(HEX64, t, 'i')) v = BigInt(t);
  else if (/^-?\d{1,20}$/.test(t)) v = BigInt(t);
  else return undefined;
  if (v < 0n) {
    if (v < -(1n << 63n)) return undefined;
    v += 1n << 64n;
  }
  if (v >= 1n << 64n) return undefined;
  return v;
}
