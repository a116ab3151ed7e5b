import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  combineDateAndTime,
  formatDuration,
  odataDateToIso,
  parseDuration,
  parseODataDate,
  toODataDateTime,
  toODataDateTimeOffset,
} from './dates.ts';

test('/Date(ms)/ and /Date(ms+offset)/ parse to the same instant', () => {
  assert.equal(odataDateToIso('/Date(1704067200000)/'), '2024-01-01T00:00:00.000Z');
  assert.equal(odataDateToIso('/Date(1704067200000+0000)/'), '2024-01-01T00:00:00.000Z');
  assert.equal(odataDateToIso('/Date(1704067200000+0060)/'), '2024-01-01T00:00:00.000Z');
  assert.equal(odataDateToIso('/Date(-86400000)/'), '1969-12-31T00:00:00.000Z');
  assert.equal(odataDateToIso('2024-01-01T10:00:00'), '2024-01-01T10:00:00.000Z', 'zone-less ISO is UTC');
  assert.equal(odataDateToIso('2024-01-01T10:00:00+02:00'), '2024-01-01T08:00:00.000Z');
  assert.equal(parseODataDate(null), null);
  assert.equal(parseODataDate(''), null);
  assert.equal(parseODataDate('/Date(abc)/'), null);
  assert.equal(odataDateToIso('/Date(99999999999999999)/'), null, 'beyond what a Date can hold');
  assert.equal(parseODataDate(12), null);
});

test('dates are written back in the same forms', () => {
  assert.equal(toODataDateTime('2024-01-01T00:00:00Z'), '/Date(1704067200000)/');
  assert.equal(toODataDateTimeOffset(new Date(1704067200000)), '/Date(1704067200000+0000)/');
});

test('Edm.Time durations', () => {
  assert.equal(parseDuration('PT12H30M00S'), (12 * 60 + 30) * 60_000);
  assert.equal(parseDuration('PT0H0M1.5S'), 1500);
  assert.equal(parseDuration('P1DT2H'), 26 * 3_600_000);
  assert.equal(parseDuration('PT'), null);
  assert.equal(parseDuration('12:30'), null);
  assert.equal(formatDuration((12 * 60 + 30) * 60_000 + 5000), 'PT12H30M05S');
  assert.equal(formatDuration(0), 'PT00H00M00S');
});

test('date + time fields combine into one instant', () => {
  assert.equal(
    combineDateAndTime('/Date(1704067200000)/', 'PT08H15M00S')?.toISOString(),
    '2024-01-01T08:15:00.000Z',
  );
  assert.equal(combineDateAndTime('/Date(1704067200000)/', null)?.toISOString(), '2024-01-01T00:00:00.000Z');
  assert.equal(combineDateAndTime(null, 'PT08H15M00S'), null);
});
