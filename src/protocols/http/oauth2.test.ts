import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConnectorError } from '../../connectors/errors.ts';
import { HttpClient } from './client.ts';
import { OAuth2ClientCredentials } from './oauth2.ts';
import { sendJson, startTestServer } from './test-server.ts';
import type { TestServer } from './test-server.ts';

interface Fixture {
  srv: TestServer;
  tokens: string[];
  revoke(): void;
}

/** Token endpoint at /token (client app/secret over Basic), API at /api that wants a current token. */
async function fixture(expiresIn = 3600): Promise<Fixture> {
  const tokens: string[] = [];
  let valid = new Set<string>();
  const srv = await startTestServer((req, res) => {
    if (req.url.pathname === '/token') {
      const basic = `Basic ${Buffer.from('app:s%3Acret').toString('base64')}`;
      const form = new URLSearchParams(req.body);
      if (req.headers.authorization !== basic || form.get('grant_type') !== 'client_credentials') {
        return sendJson(res, 401, { error: 'invalid_client', error_description: 'Bad client credentials' });
      }
      const t = `tok${tokens.length + 1}`;
      tokens.push(t);
      valid.add(t);
      return sendJson(res, 200, {
        access_token: t,
        token_type: 'bearer',
        expires_in: expiresIn,
        scope: form.get('scope'),
      });
    }
    const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    if (!valid.has(token)) return sendJson(res, 401, { error: 'invalid_token' });
    sendJson(res, 200, { token });
  });
  return { srv, tokens, revoke: () => (valid = new Set()) };
}

test('a token is fetched once, cached and shared by concurrent requests', async (t) => {
  const f = await fixture();
  t.after(() => f.srv.close());
  const auth = new OAuth2ClientCredentials({
    tokenUrl: `${f.srv.url}/token`,
    clientId: 'app',
    clientSecret: 's:cret',
    scope: 'API',
  });
  const c = new HttpClient({ baseUrl: `${f.srv.url}/api`, auth });
  const results = await Promise.all([1, 2, 3].map(() => c.request({ path: 'x' })));
  assert.deepEqual(
    results.map((r) => r.body),
    [{ token: 'tok1' }, { token: 'tok1' }, { token: 'tok1' }],
  );
  await c.request({ path: 'y' });
  assert.equal(auth.fetchCount, 1);
  assert.equal(new URLSearchParams(f.srv.requests[0].body).get('scope'), 'API');
  assert.equal(c.stats().requests, 5, 'the token request is counted too');
});

test('the token is renewed before it expires', async (t) => {
  const f = await fixture(600);
  t.after(() => f.srv.close());
  let now = 1_000_000;
  const auth = new OAuth2ClientCredentials({
    tokenUrl: `${f.srv.url}/token`,
    clientId: 'app',
    clientSecret: 's:cret',
    refreshSkewMs: 60_000,
    now: () => now,
  });
  const c = new HttpClient({ baseUrl: f.srv.url, auth });
  assert.deepEqual((await c.request({ path: 'x' })).body, { token: 'tok1' });
  now += 530_000; // 70 s before expiry: still fine
  assert.deepEqual((await c.request({ path: 'x' })).body, { token: 'tok1' });
  now += 20_000; // 50 s before expiry: inside the skew
  assert.deepEqual((await c.request({ path: 'x' })).body, { token: 'tok2' });
});

test('a 401 with a cached token fetches a new one and repeats the request once', async (t) => {
  const f = await fixture();
  t.after(() => f.srv.close());
  const auth = new OAuth2ClientCredentials({
    tokenUrl: `${f.srv.url}/token`,
    clientId: 'app',
    clientSecret: 's:cret',
  });
  const c = new HttpClient({ baseUrl: f.srv.url, auth });
  await c.request({ path: 'x' });
  f.revoke();
  assert.deepEqual((await c.request({ path: 'x' })).body, { token: 'tok2' });
  assert.equal(auth.fetchCount, 2);
});

test('a token endpoint that refuses the client is auth_rejected, without the secret in the message', async (t) => {
  const f = await fixture();
  t.after(() => f.srv.close());
  const auth = new OAuth2ClientCredentials({
    tokenUrl: `${f.srv.url}/token`,
    clientId: 'app',
    clientSecret: 'wrong-secret',
  });
  const c = new HttpClient({ baseUrl: f.srv.url, auth });
  const err = await c.request({ path: 'x' }).then(
    () => assert.fail('expected rejection'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof ConnectorError);
  assert.equal(err.kind, 'auth_rejected');
  assert.equal(err.remote?.code, 'invalid_client');
  assert.ok(!err.message.includes('wrong-secret'));
  assert.equal(f.srv.requests.length, 1, 'the API is not called without a token');
});

test('client credentials may travel in the form body instead', async (t) => {
  const srv = await startTestServer((req, res) => {
    if (req.url.pathname === '/token') {
      const form = new URLSearchParams(req.body);
      const ok =
        form.get('client_id') === 'app' && form.get('client_secret') === 'sec' && !req.headers.authorization;
      return ok
        ? sendJson(res, 200, { access_token: 'T', expires_in: 60 })
        : sendJson(res, 400, { error: 'invalid_request' });
    }
    sendJson(res, 200, { auth: req.headers.authorization });
  });
  t.after(() => srv.close());
  const auth = new OAuth2ClientCredentials({
    tokenUrl: `${srv.url}/token`,
    clientId: 'app',
    clientSecret: 'sec',
    clientAuth: 'body',
  });
  const c = new HttpClient({ baseUrl: srv.url, auth });
  assert.deepEqual((await c.request({ path: 'x' })).body, { auth: 'Bearer T' });
});
