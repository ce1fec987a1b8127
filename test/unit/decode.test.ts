import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeValue } from '../../src/core/decode/decodeValue';
import { decodeSessionId, wallClockFrom40 } from '../../src/core/decode/sessionId';
import { decodeZxid, splitZxid } from '../../src/core/decode/zxid';

test('a zxid splits into epoch (high 32 bits) and counter (low 32 bits)', () => {
  assert.deepEqual(decodeZxid('0x100000175e'), { zxid: '0x100000175e', epoch: 16, counter: 5982 });
  assert.deepEqual(decodeZxid('0x10000016d0'), { zxid: '0x10000016d0', epoch: 16, counter: 0x16d0 });
  assert.equal(decodeZxid('zzz'), undefined);
  assert.deepEqual(splitZxid(0x100000175en), { zxid: '0x100000175e', epoch: 16, counter: 5982 });
});

test('session ids: creator myid, 40-bit millisecond field, counter (catalog examples)', () => {
  const a = decodeSessionId('0x1000adfaccc0001');
  assert.equal(a?.myid, 1);
  assert.equal(a?.time40, 182_430_924);
  assert.equal(a?.counter, 1);
  assert.ok(Math.abs((a?.uptimeDays ?? 0) - 2.11) < 0.01);
  const b = decodeSessionId('0x501f6e279920054');
  assert.equal(b?.myid, 5);
  assert.equal(b?.counter, 0x54);
  assert.ok(Math.abs((b?.uptimeDays ?? 0) - 97.65) < 0.01);
});

test('kazoo prints session ids in decimal, and Java longs can print negative', () => {
  assert.equal(decodeSessionId(BigInt('0x1000adfaccc0001').toString())?.sessionId, '0x1000adfaccc0001');
  const negative = (BigInt('0x8100000000000001') - (1n << 64n)).toString();
  assert.equal(decodeSessionId(negative)?.myid, 0x81);
});

test('old wall-clock session ids recover their date near a reference time', () => {
  const ms = Date.UTC(2013, 5, 1, 12, 0, 0);
  const low40 = ms % 2 ** 40;
  assert.equal(wallClockFrom40(low40, Date.UTC(2013, 0, 1)), new Date(ms).toISOString());
});

test('decodeValue reads retcodes, errno and keyed values', () => {
  assert.equal(decodeValue('-7')?.retcode?.name, 'ZOPERATIONTIMEOUT');
  assert.equal(decodeValue('retcode=-112')?.retcode?.name, 'ZSESSIONEXPIRED');
  assert.equal(decodeValue('zk retcode=-4'.split(' ')[1])?.retcode?.name, 'ZCONNECTIONLOSS');
  assert.equal(decodeValue('errno=110(Connection timed out)')?.errno?.name, 'ETIMEDOUT');
  assert.equal(decodeValue('112')?.errno?.name, 'EHOSTDOWN');
  assert.equal(decodeValue('errno=116')?.errno?.name, 'ESTALE');
  assert.equal(decodeValue('zxid:0x100000175e')?.zxid?.epoch, 16);
  assert.equal(decodeValue('hello'), undefined);
});

test('an ambiguous hex value gets the readings that make sense', () => {
  const z = decodeValue('0x100000175e');
  assert.equal(z?.zxid?.counter, 5982);
  assert.equal(z?.sessionId, undefined, 'top byte 0 cannot be a session id');
  const s = decodeValue('0x1000adfaccc0001');
  assert.equal(s?.sessionId?.myid, 1);
  assert.equal(s?.zxid, undefined, 'an epoch of 16 million is not a zxid');
});
