import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  classOf,
  decodeBytes,
  decodeDate,
  decodeDateTime,
  decodeDecimal,
  decodeTime,
  encodeBytes,
  encodeDate,
  encodeDateTime,
  encodeDecimal,
  encodeTime,
  encodeTimeDelta,
  toPlain,
} from './codec.ts';

test('Decimal travels as text and keeps every digit', () => {
  assert.deepEqual(encodeDecimal('12.50'), { __class__: 'Decimal', decimal: '12.50' });
  assert.deepEqual(encodeDecimal(0.1), { __class__: 'Decimal', decimal: '0.1' });
  assert.deepEqual(encodeDecimal('-3'), { __class__: 'Decimal', decimal: '-3' });
  assert.deepEqual(encodeDecimal(12345678901234567890n), {
    __class__: 'Decimal',
    decimal: '12345678901234567890',
  });
  assert.throws(() => encodeDecimal('12,5'), TypeError);
  assert.throws(() => encodeDecimal(Number.NaN), TypeError);
  assert.equal(decodeDecimal({ __class__: 'Decimal', decimal: '197.50' }), '197.50');
  assert.equal(decodeDecimal(4), '4');
  assert.equal(decodeDecimal('x'), null);
  assert.equal(decodeDecimal(null), null);
});

test('dates from text or Date, checked for real calendar days', () => {
  assert.deepEqual(encodeDate('2024-02-29'), { __class__: 'date', year: 2024, month: 2, day: 29 });
  assert.deepEqual(encodeDate('2024-03-05T10:00:00Z'), { __class__: 'date', year: 2024, month: 3, day: 5 });
  assert.deepEqual(encodeDate(new Date(Date.UTC(2023, 11, 31, 23, 59))), {
    __class__: 'date',
    year: 2023,
    month: 12,
    day: 31,
  });
  assert.throws(() => encodeDate('2023-02-29'), TypeError);
  assert.throws(() => encodeDate('05/03/2024'), TypeError);
  assert.equal(decodeDate({ __class__: 'date', year: 2024, month: 3, day: 5 }), '2024-03-05');
  assert.equal(
    decodeDate({
      __class__: 'datetime',
      year: 2024,
      month: 3,
      day: 5,
      hour: 1,
      minute: 0,
      second: 0,
      microsecond: 0,
    }),
    '2024-03-05',
  );
  assert.equal(decodeDate('2024-03-05'), null);
});

test('datetimes carry UTC wall-clock components with microseconds', () => {
  const d = new Date('2026-11-23T19:13:27.328Z');
  const v = encodeDateTime(d);
  assert.deepEqual(v, {
    __class__: 'datetime',
    year: 2026,
    month: 11,
    day: 23,
    hour: 19,
    minute: 13,
    second: 27,
    microsecond: 328000,
  });
  assert.equal(decodeDateTime(v), d.toISOString());
  // Sub-millisecond precision is truncated, never rounded up into the next millisecond.
  assert.equal(decodeDateTime({ ...v, microsecond: 328999 }), '2026-11-23T19:13:27.328Z');
  assert.equal(
    decodeDateTime({ __class__: 'date', year: 2024, month: 1, day: 2 }),
    '2024-01-02T00:00:00.000Z',
  );
  assert.deepEqual(encodeDateTime('2024-01-01T00:00:00Z').hour, 0);
  assert.throws(() => encodeDateTime('soon'), TypeError);
  assert.equal(decodeDateTime(null), null);
});

test('time, timedelta and bytes', () => {
  assert.deepEqual(encodeTime('12:30'), {
    __class__: 'time',
    hour: 12,
    minute: 30,
    second: 0,
    microsecond: 0,
  });
  assert.deepEqual(encodeTime('08:05:09.25'), {
    __class__: 'time',
    hour: 8,
    minute: 5,
    second: 9,
    microsecond: 250000,
  });
  assert.equal(decodeTime({ __class__: 'time', hour: 8, minute: 5, second: 9, microsecond: 0 }), '08:05:09');
  assert.deepEqual(encodeTimeDelta(90), { __class__: 'timedelta', seconds: 90 });
  const b = encodeBytes('héllo');
  assert.equal(classOf(b), 'bytes');
  assert.equal(Buffer.from(decodeBytes(b)!).toString('utf8'), 'héllo');
  assert.deepEqual(encodeBytes(new Uint8Array([0, 255])), { __class__: 'bytes', base64: 'AP8=' });
});

test('toPlain turns a typed result into plain JSON, deeply', () => {
  const raw = {
    total: { __class__: 'Decimal', decimal: '10.00' },
    when: {
      __class__: 'datetime',
      year: 2024,
      month: 1,
      day: 2,
      hour: 3,
      minute: 4,
      second: 5,
      microsecond: 0,
    },
    lines: [{ on: { __class__: 'date', year: 2024, month: 1, day: 3 }, n: 1 }],
    blob: { __class__: 'bytes', base64: 'AP8=' },
    lead: { __class__: 'timedelta', seconds: 86400 },
    other: { __class__: 'Unknown', x: 1 },
    nothing: null,
  };
  assert.deepEqual(toPlain(raw), {
    total: '10.00',
    when: '2024-01-02T03:04:05.000Z',
    lines: [{ on: '2024-01-03', n: 1 }],
    blob: 'AP8=',
    lead: 86400,
    other: { __class__: 'Unknown', x: 1 },
    nothing: null,
  });
});
