// Logon: HTTP Basic, OAuth2 client credentials, sap-client, session cookies.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { BASIC, csrf, get, start, svc } from './test-support.ts';

const sb = await start({ tokenTtlSeconds: 1 });
after(() => sb.close());
const plants = `${svc(sb, 'API_PLANT_SRV')}/A_Plant`;
const tokenUrl = `${sb.url}/sap/bc/sec/oauth2/token`;

async function token(init: { basic?: string; form: Record<string, string>; query?: string }) {
  const r = await fetch(`${tokenUrl}${init.query ?? ''}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(init.basic ? { authorization: `Basic ${Buffer.from(init.basic).toString('base64')}` } : {}),
    },
    body: new URLSearchParams(init.form).toString(),
  });
  return { status: r.status, body: await r.json() };
}

test('Basic credentials of the communication user are accepted', async () => {
  const r = await get(plants);
  assert.equal(r.status, 200);
  assert.ok(r.body.d.results.length > 0);
});

test('the user name is case-insensitive, the password is not', async () => {
  const upper = `Basic ${Buffer.from('SANDBOX:sandbox').toString('base64')}`;
  assert.equal((await get(plants, { authorization: upper })).status, 200);
  const wrong = `Basic ${Buffer.from('sandbox:SANDBOX').toString('base64')}`;
  assert.equal((await get(plants, { authorization: wrong })).status, 401);
});

test('no or bad credentials: 401 with a Basic challenge and an HTML body', async () => {
  for (const authorization of [
    '',
    `Basic ${Buffer.from('sandbox:nope').toString('base64')}`,
    'Bearer not-a-token',
  ]) {
    const r = await get(plants, { authorization });
    assert.equal(r.status, 401, authorization);
    assert.equal(r.headers.get('www-authenticate'), 'Basic realm="SAP NetWeaver Application Server"');
    assert.match(r.headers.get('content-type')!, /text\/html/);
    assert.match(r.text, /401 Unauthorized/);
  }
});

test('sap-client 100 is the logon client; another client fails like a logon error', async () => {
  assert.equal((await get(`${plants}?sap-client=100`)).status, 200);
  const r = await get(`${plants}?sap-client=200`);
  assert.equal(r.status, 401);
  assert.ok(r.headers.get('www-authenticate'));
});

test('OAuth2 client credentials: client via Basic header or form, bearer token works', async () => {
  const a = await token({ basic: 'sandbox:sandbox', form: { grant_type: 'client_credentials' } });
  assert.equal(a.status, 200);
  assert.equal(a.body.token_type, 'Bearer');
  assert.equal(a.body.expires_in, 1);
  assert.equal(typeof a.body.access_token, 'string');
  const b = await token({
    form: { grant_type: 'client_credentials', client_id: 'sandbox', client_secret: 'sandbox' },
    query: '?sap-client=100',
  });
  assert.equal(b.status, 200);
  const r = await get(plants, { authorization: `Bearer ${b.body.access_token}` });
  assert.equal(r.status, 200);
});

test('OAuth2: bad client → 401 invalid_client, other grants → 400, foreign sap-client → 401', async () => {
  const bad = await token({ basic: 'sandbox:wrong', form: { grant_type: 'client_credentials' } });
  assert.equal(bad.status, 401);
  assert.equal(bad.body.error, 'invalid_client');
  const grant = await token({ basic: 'sandbox:sandbox', form: { grant_type: 'password' } });
  assert.equal(grant.status, 400);
  assert.equal(grant.body.error, 'unsupported_grant_type');
  const client = await token({
    basic: 'sandbox:sandbox',
    form: { grant_type: 'client_credentials' },
    query: '?sap-client=300',
  });
  assert.equal(client.status, 401);
});

test('an expired access token answers 401', async () => {
  const t = await token({ basic: 'sandbox:sandbox', form: { grant_type: 'client_credentials' } });
  assert.equal((await get(plants, { authorization: `Bearer ${t.body.access_token}` })).status, 200);
  await sleep(1100);
  assert.equal((await get(plants, { authorization: `Bearer ${t.body.access_token}` })).status, 401);
});

test('the session cookie from a CSRF fetch logs on without credentials', async () => {
  const s = await csrf(sb, 'API_PLANT_SRV');
  assert.match(s.cookie, /SAP_SESSIONID_S4H_100=/);
  assert.equal((await get(plants, { authorization: '', cookie: s.cookie })).status, 200);
  assert.equal(
    (await get(plants, { authorization: '', cookie: 'SAP_SESSIONID_S4H_100=forged' })).status,
    401,
  );
  assert.equal(BASIC.startsWith('Basic '), true);
});
