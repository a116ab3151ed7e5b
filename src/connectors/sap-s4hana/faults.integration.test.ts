// Injected sandbox faults over real HTTP: throttling, server errors, slow answers, expiring CSRF
// tokens, revoked credentials; and the OAuth2 client-credentials flow.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { OAUTH, readAll, rejection, startFixture } from './test-support.ts';
import type { Fixture } from './test-support.ts';

let fx: Fixture;
before(async () => {
  fx = await startFixture({ tokenTtlSeconds: 2 });
});
after(() => fx.close());
beforeEach(() => fx.clearFaults());

test('a 429 storm is ridden out with Retry-After and counted as retries', async () => {
  const s = fx.session();
  await fx.fault({ type: 'rate_limit', count: 3, retry_after: 0, entitySet: 'A_Supplier' });
  const { records } = await readAll(s, 'vendors');
  assert.ok(records.length > 0);
  assert.equal(s.stats().retries, 3);

  await fx.fault({ type: 'rate_limit', count: 1, retry_after: 1, entitySet: 'A_Plant' });
  const started = Date.now();
  await s.check();
  assert.ok(Date.now() - started >= 950, 'waited the second the server asked for');
});

test('throttling that outlasts the retries is rate_limited with the wait the server asked for', async () => {
  const s = fx.session();
  await fx.fault({ type: 'rate_limit', count: 50, retry_after: 0, entitySet: 'A_Plant' });
  const err = await rejection(s.check());
  assert.equal(err.kind, 'rate_limited');
  assert.equal(err.retryAfterSeconds, 0);
  assert.equal(err.remote?.status, 429);
  const capped = fx.session({ settings: { retry: { baseDelayMs: 1, maxDelayMs: 2, maxRetryAfterMs: 500 } } });
  await fx.clearFaults();
  await fx.fault({ type: 'rate_limit', count: 1, retry_after: 30, entitySet: 'A_Plant' });
  const started = Date.now();
  const long = await rejection(capped.check());
  assert.equal(long.kind, 'rate_limited');
  assert.equal(long.retryAfterSeconds, 30);
  assert.ok(Date.now() - started < 1000, 'did not sleep 30 s');
});

test('503s are retried until they pass; a 500 is a remote error at once', async () => {
  const s = fx.session();
  await fx.fault({ type: 'error', status: 503, count: 2, entitySet: 'A_Product' });
  const { records } = await readAll(s, 'items');
  assert.ok(records.length > 0);
  assert.equal(s.stats().retries, 2);

  await fx.fault({ type: 'error', status: 500, count: 1, entitySet: 'A_Plant' });
  const err = await rejection(s.check());
  assert.equal(err.kind, 'remote_error');
  assert.equal(err.remote?.status, 500);
  assert.equal(s.stats().retries, 2, 'no retry for 500');
  await s.check();

  await fx.fault({ type: 'error', status: 503, count: 20, entitySet: 'A_Plant' });
  assert.equal((await rejection(s.check())).kind, 'unavailable');
});

test('slow answers past the timeout are unavailable', async () => {
  const s = fx.session({
    settings: { timeout_ms: 100, retry: { maxRetries: 1, baseDelayMs: 1, maxDelayMs: 2 } },
  });
  await fx.fault({ type: 'latency', ms: 400, count: 2, entitySet: 'A_Plant' });
  const err = await rejection(s.check());
  assert.equal(err.kind, 'unavailable');
  assert.match(err.message, /timed out/);
});

test('a CSRF token that expires between writes is fetched again and the write succeeds', async () => {
  const s = fx.session();
  const eq = (await readAll(s, 'assets')).records[0];
  await fx.control('DELETE', '/__sandbox/stats');
  const { record } = await s.create!('work_orders', { title: 'CSRF one', asset_id: eq.remoteId });
  await fx.fault({ type: 'expire_csrf' });
  const { record: updated } = await s.update!('work_orders', record.remoteId, { title: 'CSRF two' });
  assert.equal(updated.data.MaintenanceOrderDesc, 'CSRF two');
  const stats = (await fx.control('GET', '/__sandbox/stats')).entitySets as Record<
    string,
    Record<string, number>
  >;
  assert.equal(stats['API_MAINTENANCEORDER/$root'].GET, 2, 'a second token was fetched');
  assert.equal(stats.MaintenanceOrder.PATCH, 2, 'the refused PATCH was sent once more');
  await fx.fault({ type: 'expire_csrf' });
  const { record: released } = await s.action!('work_orders', record.remoteId, 'release');
  assert.match(String(released.data.SystemStatusText), /\bREL\b/);
});

test('revoked credentials are auth_rejected for checks, reads and writes', async () => {
  const s = fx.session();
  await s.check();
  await fx.fault({ type: 'revoke_credentials' });
  assert.equal((await rejection(s.check())).kind, 'auth_rejected');
  assert.equal((await rejection(readAll(s, 'items'))).kind, 'auth_rejected');
  assert.equal(
    (await rejection(s.create!('work_orders', { title: 'x', asset_id: '10000001' }))).kind,
    'auth_rejected',
  );
  const o = fx.session({ credentials: OAUTH });
  assert.equal((await rejection(o.check())).kind, 'auth_rejected');
  await fx.clearFaults();
  await s.check();
});

test('OAuth2 client credentials: token from the default endpoint, reads, writes, renewal, refusal', async () => {
  const s = fx.session({ credentials: OAUTH });
  await s.check();
  const { records } = await readAll(s, 'assets');
  assert.ok(records.length > 0);
  const { record } = await s.create!('work_orders', { title: 'Via OAuth', asset_id: records[0].remoteId });
  assert.equal(record.data.MaintenanceOrderDesc, 'Via OAuth');
  // Tokens of this sandbox live 2 s; the client renews before expiry (or once after a 401).
  await new Promise((r) => setTimeout(r, 2100));
  await s.check();
  assert.equal(s.stats().retries, 0);

  const explicit = fx.session({ credentials: { ...OAUTH, token_url: `${fx.url}/sap/bc/sec/oauth2/token` } });
  await explicit.check();
  const wrong = fx.session({ credentials: { ...OAUTH, client_secret: 'wrong-secret' } });
  const err = await rejection(wrong.check());
  assert.equal(err.kind, 'auth_rejected');
  assert.ok(!err.message.includes('wrong-secret'));
});
