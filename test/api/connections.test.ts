import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from '../../src/connectors/registry.ts';
import { startRemote, testConnector, type FakeRemote } from '../helpers/test-systems.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

let s: TestServer;
let remote: FakeRemote;
const registry = () =>
  new Registry([testConnector('test-cmms', 1), testConnector('test-erp', 2), testConnector('test-sap', 3)]);

const body = (over: Record<string, unknown> = {}) => ({
  system: 'test-cmms',
  deployment: 'cloud',
  customer_id: 'cust-1',
  customer_name: 'Acme Plant',
  instance_url: remote.url,
  credentials: { username: 'demo', password: 'demo' },
  ...over,
});

before(async () => {
  remote = await startRemote();
  s = await startTestServer({ registry: registry(), config: { creditPool: 12 } });
});
after(async () => {
  await s.close();
  await remote.close();
});

describe('authentication', () => {
  test('no, malformed or unknown tokens get 401 in the error envelope with a request id', async () => {
    const variants: Record<string, string>[] = [
      {},
      { authorization: 'Basic abc' },
      { authorization: 'Bearer ib_sk_test_nope' },
      { authorization: 'Bearer what' },
    ];
    for (const headers of variants) {
      const r = await s.call('GET', '/v1/connections', { headers });
      assert.equal(r.status, 401);
      assert.equal(r.body.error.code, 'AUTHENTICATION_FAILED');
      assert.equal(r.body.error.request_id, r.headers.get('x-request-id'));
      assert.ok(!JSON.stringify(r.body).includes('stack'));
    }
  });

  test('a given X-Request-Id is echoed', async () => {
    const r = await s.call('GET', '/v1/systems', {
      token: s.sandboxKey,
      headers: { 'x-request-id': 'trace-123' },
    });
    assert.equal(r.headers.get('x-request-id'), 'trace-123');
  });
});

describe('systems', () => {
  test('lists registered systems with credit costs and credential forms', async () => {
    const r = await s.call('GET', '/v1/systems', { token: s.sandboxKey });
    assert.equal(r.status, 200);
    const sap = r.body.data.find((x: any) => x.id === 'test-sap');
    assert.deepEqual(sap.credits, { cloud: 4, on_premise: 8 });
    assert.equal(sap.credential_fields[1].secret, true);
    assert.ok(sap.capabilities.work_orders.read);
  });
});

describe('connections', () => {
  test('missing and malformed fields → 400 VALIDATION_FAILED listing each field', async () => {
    const r = await s.call('POST', '/v1/connections', {
      token: s.sandboxKey,
      body: { system: 'test-cmms', deployment: 'moon', customer_name: 5 },
    });
    assert.equal(r.status, 400);
    assert.equal(r.body.error.code, 'VALIDATION_FAILED');
    const fields = r.body.error.details.map((d: any) => d.field).sort();
    assert.deepEqual(fields, ['credentials', 'customer_id', 'customer_name', 'deployment', 'instance_url']);
  });

  test('invalid JSON → 400 INVALID_REQUEST', async () => {
    const r = await s.call('POST', '/v1/connections', {
      token: s.sandboxKey,
      body: '{"system":',
      headers: {},
    });
    assert.equal(r.status, 400);
    assert.equal(r.body.error.code, 'INVALID_REQUEST');
  });

  test('unknown system → 400 naming the field', async () => {
    const r = await s.call('POST', '/v1/connections', {
      token: s.sandboxKey,
      body: body({ system: 'nope' }),
    });
    assert.equal(r.status, 400);
    assert.equal(r.body.error.details[0].field, 'system');
  });

  test('credentials that do not fit the form, or that the system rejects → 400', async () => {
    const missing = await s.call('POST', '/v1/connections', {
      token: s.sandboxKey,
      body: body({ credentials: { username: 'demo' } }),
    });
    assert.equal(missing.status, 400);
    assert.equal(missing.body.error.details[0].field, 'credentials.password');
    const calls = remote.calls;
    const wrong = await s.call('POST', '/v1/connections', {
      token: s.sandboxKey,
      body: body({ credentials: { username: 'demo', password: 'wrong' } }),
    });
    assert.equal(wrong.status, 400);
    assert.match(wrong.body.error.message, /rejected the credentials/);
    assert.ok(remote.calls > calls, 'the credential check called the system');
    assert.ok(!JSON.stringify(wrong.body).includes('wrong'));
  });

  test('metadata and link-local instance URLs are refused', async () => {
    for (const url of ['http://169.254.169.254/latest', 'http://[fe80::1]:80/', 'ftp://example.com']) {
      const r = await s.call('POST', '/v1/connections', {
        token: s.sandboxKey,
        body: body({ instance_url: url }),
      });
      assert.equal(r.status, 400, url);
      assert.equal(r.body.error.details[0].field, 'instance_url');
    }
  });

  test('create returns the token once; it reaches its own connection only', async () => {
    const created = await s.call('POST', '/v1/connections', {
      token: s.sandboxKey,
      body: body({ customer_id: 'own' }),
    });
    assert.equal(created.status, 201);
    assert.match(created.body.token, /^ib_ct_test_/);
    assert.equal(created.body.status, 'active');
    assert.equal(created.body.credits, 1);
    assert.equal(created.body.credentials, undefined);
    const got = await s.call('GET', `/v1/connections/${created.body.id}`, { token: s.sandboxKey });
    assert.equal(got.status, 200);
    assert.equal(got.body.token, undefined);
    const own = await s.call('GET', '/v1/connection', { token: created.body.token });
    assert.equal(own.status, 200);
    assert.equal(own.body.id, created.body.id);
    const denied = await s.call('GET', '/v1/connections', { token: created.body.token });
    assert.equal(denied.status, 403);
    assert.equal(denied.body.error.code, 'PERMISSION_DENIED');
    const keyOnTokenRoute = await s.call('GET', '/v1/connection', { token: s.sandboxKey });
    assert.equal(keyOnTokenRoute.status, 403);
  });

  test('rotating the token kills the old one at once', async () => {
    const c = (
      await s.call('POST', '/v1/connections', { token: s.sandboxKey, body: body({ customer_id: 'rot' }) })
    ).body;
    const r = await s.call('POST', `/v1/connections/${c.id}/token/rotate`, { token: s.sandboxKey });
    assert.equal(r.status, 200);
    assert.notEqual(r.body.token, c.token);
    assert.equal((await s.call('GET', '/v1/connection', { token: c.token })).status, 401);
    assert.equal((await s.call('GET', '/v1/connection', { token: r.body.token })).status, 200);
  });

  test('list filters by customer, system and status, with cursor pagination', async () => {
    for (let i = 0; i < 3; i++) {
      await s.call('POST', '/v1/connections', { token: s.sandboxKey, body: body({ customer_id: 'paged' }) });
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const q: string = `/v1/connections?customer_id=paged&page_size=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = await s.call('GET', q, { token: s.sandboxKey });
      assert.equal(page.status, 200);
      assert.ok(page.body.data.length <= 2);
      seen.push(...page.body.data.map((c: any) => c.id));
      cursor = page.body.next_cursor;
    } while (cursor);
    assert.equal(seen.length, 3);
    assert.equal(new Set(seen).size, 3);
    const bySystem = await s.call('GET', '/v1/connections?system=test-erp', { token: s.sandboxKey });
    assert.equal(bySystem.body.data.length, 0);
    const bad = await s.call('GET', '/v1/connections?status=sleeping&page_size=5000', {
      token: s.sandboxKey,
    });
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.body.error.details.map((d: any) => d.field).sort(), [
      'query.page_size',
      'query.status',
    ]);
    const badCursor = await s.call('GET', '/v1/connections?cursor=zzz', { token: s.sandboxKey });
    assert.equal(badCursor.status, 400);
  });

  test('other environment → 404, and lists stay separate', async () => {
    const c = (
      await s.call('POST', '/v1/connections', { token: s.sandboxKey, body: body({ customer_id: 'iso' }) })
    ).body;
    const r = await s.call('GET', `/v1/connections/${c.id}`, { token: s.productionKey });
    assert.equal(r.status, 404);
    assert.equal(r.body.error.code, 'NOT_FOUND');
    assert.equal((await s.call('DELETE', `/v1/connections/${c.id}`, { token: s.productionKey })).status, 404);
    const list = await s.call('GET', '/v1/connections?customer_id=iso', { token: s.productionKey });
    assert.deepEqual(list.body.data, []);
    const prod = await s.call('POST', '/v1/connections', {
      token: s.productionKey,
      body: body({ customer_id: 'iso' }),
    });
    assert.match(prod.body.token, /^ib_ct_live_/);
    assert.equal(prod.body.environment, 'production');
  });
});

describe('credits', () => {
  test('tiers cost 1/2/4, on-premise doubles, the pool is enforced and disconnect returns credits', async () => {
    const before = (await s.call('GET', '/v1/credits', { token: s.productionKey })).body;
    assert.equal(before.pool, 12);
    const sap = await s.call('POST', '/v1/connections', {
      token: s.productionKey,
      body: body({ system: 'test-sap', deployment: 'on_premise', customer_id: 'credits' }),
    });
    assert.equal(sap.status, 201);
    assert.equal(sap.body.credits, 8);
    const mid = (await s.call('GET', '/v1/credits', { token: s.productionKey })).body;
    assert.equal(mid.used, before.used + 8);
    assert.equal(mid.available, 12 - mid.used);
    assert.ok(mid.connections.some((c: any) => c.connection_id === sap.body.id && c.credits === 8));

    const tooMuch = await s.call('POST', '/v1/connections', {
      token: s.productionKey,
      body: body({ system: 'test-sap', deployment: 'cloud', customer_id: 'credits' }),
    });
    assert.equal(tooMuch.status, 402);
    assert.equal(tooMuch.body.error.code, 'INSUFFICIENT_CREDITS');

    const gone = await s.call('DELETE', `/v1/connections/${sap.body.id}`, { token: s.productionKey });
    assert.equal(gone.status, 200);
    assert.equal(gone.body.status, 'disconnected');
    assert.equal((await s.call('GET', '/v1/connection', { token: sap.body.token })).status, 401);
    const after = (await s.call('GET', '/v1/credits', { token: s.productionKey })).body;
    assert.equal(after.used, before.used);
    // Disconnecting twice returns nothing twice; the connection stays readable.
    await s.call('DELETE', `/v1/connections/${sap.body.id}`, { token: s.productionKey });
    assert.equal((await s.call('GET', '/v1/credits', { token: s.productionKey })).body.used, before.used);
    const kept = await s.call('GET', `/v1/connections/${sap.body.id}`, { token: s.productionKey });
    assert.equal(kept.body.status, 'disconnected');
    const rotate = await s.call('POST', `/v1/connections/${sap.body.id}/token/rotate`, {
      token: s.productionKey,
    });
    assert.equal(rotate.body.error.code, 'CONNECTION_DISCONNECTED');
  });
});

describe('secrets at rest and in logs', () => {
  test('the database holds no plaintext token, key or credential, and the request log is redacted', async () => {
    const c = await s.call('POST', '/v1/connections', {
      token: s.sandboxKey,
      body: body({ customer_id: 'secrets', credentials: { username: 'demo', password: 'demo' } }),
    });
    await s.call('GET', '/v1/connection', { token: c.body.token });
    await new Promise((r) => setTimeout(r, 200)); // the request log is written after the response
    const tables = await s.ctx.db.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'",
    );
    let dump = '';
    for (const { table_name } of tables) {
      dump += JSON.stringify(await s.ctx.db.query(`SELECT * FROM ${table_name}`));
    }
    for (const secret of [c.body.token, s.sandboxKey, s.productionKey, '"password":"demo"']) {
      assert.ok(!dump.includes(secret), `found ${secret.slice(0, 14)} in the database`);
    }
    const logged = await s.ctx.db.query<any>(
      "SELECT * FROM request_log WHERE path = '/v1/connections' AND method = 'POST' AND status = 201 ORDER BY id DESC LIMIT 1",
    );
    assert.equal(logged[0].request_headers.authorization, '[REDACTED]');
    assert.equal(logged[0].request_body.credentials, '[REDACTED]');
    assert.equal(logged[0].response_body.token, '[REDACTED]');
    assert.equal(logged[0].request_body.customer_id, 'secrets');
  });
});

describe('encryption key rotation', () => {
  test('every credential is re-encrypted under the new key and still reads back', async () => {
    const { reencryptCredentials } = await import('../../src/connections/reencrypt.ts');
    const { Keyring, generateKey } = await import('../../src/core/encryption.ts');
    await s.call('POST', '/v1/connections', {
      token: s.sandboxKey,
      body: body({ customer_id: 'rotate-key' }),
    });
    const oldId = s.ctx.keyring.currentKeyId;
    const newKey = generateKey();
    s.ctx.keyring.promote(newKey);
    const { reencrypted } = await reencryptCredentials(s.ctx);
    assert.ok(reencrypted >= 1);
    const rows = await s.ctx.db.query<{ credentials_enc: string }>('SELECT credentials_enc FROM connections');
    assert.ok(rows.every((r) => Keyring.sealedKeyId(r.credentials_enc) !== oldId));
    const fresh = new Keyring(newKey);
    for (const r of rows) assert.ok(fresh.decrypt<any>(r.credentials_enc).username);
    // Reads continue through the whole rotation: connections still get created and checked.
    const c = await s.call('POST', '/v1/connections', {
      token: s.sandboxKey,
      body: body({ customer_id: 'after-rotation' }),
    });
    assert.equal(c.status, 201);
  });
});
