import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_RETRY_POLICY, backoffDelay, parseRetryAfter } from './retry.ts';

test('Retry-After is read as seconds or as an HTTP date', () => {
  assert.equal(parseRetryAfter('7'), 7000);
  assert.equal(parseRetryAfter(' 0 '), 0);
  const now = Date.parse('2024-01-01T00:00:00Z');
  assert.equal(parseRetryAfter('Mon, 01 Jan 2024 00:00:30 GMT', now), 30_000);
  assert.equal(parseRetryAfter('Mon, 01 Jan 2023 00:00:30 GMT', now), 0, 'a date in the past means now');
  assert.equal(parseRetryAfter('soon'), null);
  assert.equal(parseRetryAfter(null), null);
  assert.equal(parseRetryAfter(''), null);
});

test('backoff is exponential with full jitter and capped', () => {
  const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 100, maxDelayMs: 1000 };
  assert.equal(
    backoffDelay(1, policy, () => 0.999999),
    99,
  );
  assert.equal(
    backoffDelay(3, policy, () => 0.999999),
    399,
  );
  assert.equal(
    backoffDelay(10, policy, () => 0.999999),
    999,
    'capped at maxDelayMs',
  );
  assert.equal(
    backoffDelay(5, policy, () => 0),
    0,
    'full jitter reaches zero',
  );
  for (let i = 0; i < 100; i++) {
    const d = backoffDelay(2, policy);
    assert.ok(d >= 0 && d < 200);
  }
});
