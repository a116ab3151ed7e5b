import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newId, recordId } from './ids.ts';

test('record ids are stable per (connection, entity, remote id) and differ otherwise', () => {
  assert.equal(recordId('conn_a', 'vendors', '100'), recordId('conn_a', 'vendors', '100'));
  assert.notEqual(recordId('conn_a', 'vendors', '100'), recordId('conn_b', 'vendors', '100'));
  assert.notEqual(recordId('conn_a', 'vendors', '100'), recordId('conn_a', 'vendors', '1000'));
  assert.match(recordId('conn_a', 'work_orders', '4000123'), /^wo_[A-Za-z0-9_-]{24}$/);
});

test('new ids carry 128 random bits', () => {
  const a = newId('conn');
  assert.match(a, /^conn_[A-Za-z0-9_-]{22}$/);
  assert.notEqual(a, newId('conn'));
});
