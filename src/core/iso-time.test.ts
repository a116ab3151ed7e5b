import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDate, formatDateTime } from './iso-time.ts';

test('ISO text equals Date#toISOString across the range, extended years included', () => {
  const samples = [
    0,
    -1,
    1,
    951_782_400_000, // 2000-02-29
    1_734_043_384_193,
    -62_167_219_200_000, // 0000-01-01
    -62_167_219_200_001, // before year 0: extended form
    253_402_300_799_999, // 9999-12-31T23:59:59.999Z
    253_402_300_800_000, // 10000-01-01: extended form
    -30_610_224_000_000, // 1000-01-01
    -30_610_224_000_001,
  ];
  let x = 0x2545f491;
  for (let i = 0; i < 20_000; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    samples.push(((x >>> 0) / 2 ** 32 - 0.3) * 4e14);
  }
  for (const ms of samples.map(Math.round)) {
    const want = new Date(ms).toISOString();
    assert.equal(formatDateTime(ms), want, String(ms));
    assert.equal(formatDate(ms), want.slice(0, want.indexOf('T')), String(ms));
  }
});
