import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../helpers/server.ts';

let s: TestServer;
before(async () => {
  s = await startTestServer({ config: { rateLimitPerMinute: 3, bodyLimitBytes: 2048 } });
});
after(() => s.close());

test('a token over its per-minute limit gets 429 with Retry-After and RateLimit headers', async () => {
  const statuses: number[] = [];
  let last: Awaited<ReturnType<TestServer['call']>> | null = null;
  for (let i = 0; i < 4; i++) {
    last = await s.call('GET', '/v1/systems', { token: s.sandboxKey });
    statuses.push(last.status);
  }
  assert.deepEqual(statuses, [200, 200, 200, 429]);
  assert.equal(last!.body.error.code, 'RATE_LIMIT_EXCEEDED');
  assert.ok(Number(last!.headers.get('retry-after')) >= 1);
  assert.equal(last!.headers.get('ratelimit-limit'), '3');
  assert.equal(last!.headers.get('ratelimit-remaining'), '0');
  // Another token has its own budget.
  assert.equal((await s.call('GET', '/v1/systems', { token: s.productionKey })).status, 200);
});

test('a body over the size limit gets 413 in the envelope', async () => {
  const r = await s.call('POST', '/v1/connections', {
    token: s.productionKey,
    body: { system: 'x', pad: 'x'.repeat(5000) },
  });
  assert.equal(r.status, 413);
  assert.equal(r.body.error.code, 'PAYLOAD_TOO_LARGE');
});

test('unknown routes answer NOT_FOUND in the envelope; health and ready answer', async () => {
  const r = await s.call('GET', '/v1/nothing-here');
  assert.equal(r.status, 404);
  assert.equal(r.body.error.code, 'NOT_FOUND');
  assert.deepEqual((await s.call('GET', '/health')).body, { status: 'ok' });
  assert.equal((await s.call('GET', '/ready')).body.status, 'ready');
});
