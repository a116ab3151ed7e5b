import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { ConnectorError } from '../../connectors/errors.ts';
import { basicAuth } from './auth.ts';
import { HttpClient, encodeQuery } from './client.ts';
import type { HttpClientOptions } from './client.ts';
import { sendJson, startTestServer } from './test-server.ts';

const fast = { baseDelayMs: 1, maxDelayMs: 5, maxRetries: 3 };

function client(url: string, opts: Partial<HttpClientOptions> = {}): HttpClient {
  return new HttpClient({ baseUrl: url, retry: fast, ...opts });
}

async function rejects(p: Promise<unknown>): Promise<ConnectorError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof ConnectorError, `expected ConnectorError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected a rejection');
}

test('query encoding keeps OData syntax readable and escapes the rest', () => {
  assert.equal(
    encodeQuery({
      $filter: "A eq 'x&y' and B ge datetimeoffset'2024-01-01T00:00:00Z'",
      $top: 5,
      skip: undefined,
    }),
    "$filter=A%20eq%20'x%26y'%20and%20B%20ge%20datetimeoffset'2024-01-01T00:00:00Z'&$top=5",
  );
});

test('paths resolve under the base URL with default headers and query', async (t) => {
  const srv = await startTestServer((req, res) => sendJson(res, 200, { path: req.url.pathname }));
  t.after(() => srv.close());
  const c = client(`${srv.url}/base/svc`, { headers: { 'X-Default': 'd' }, query: { tenant: '100' } });
  const r = await c.request({ path: 'Items', query: { $top: 2 }, headers: { 'X-Extra': 'e' } });
  assert.equal(r.status, 200);
  assert.deepEqual(r.body, { path: '/base/svc/Items' });
  const seen = srv.requests[0];
  assert.equal(seen.url.searchParams.get('tenant'), '100');
  assert.equal(seen.url.searchParams.get('$top'), '2');
  assert.equal(seen.headers['x-default'], 'd');
  assert.equal(seen.headers['x-extra'], 'e');
  assert.equal(seen.headers.accept, 'application/json');
  // An absolute URL on the same origin keeps its own query and still gets the defaults.
  await c.request({ path: `${srv.url}/base/svc/Items?$skiptoken=5` });
  assert.equal(srv.requests[1].url.search, '?$skiptoken=5&tenant=100');
  const err = await rejects(c.request({ path: 'http://elsewhere.invalid/x' }));
  assert.equal(err.kind, 'invalid_input');
});

test('bodies decode the same whether pure ASCII or UTF-8 with multi-byte characters', async (t) => {
  const texts = ['plain ascii "quoted" \\ /Date(1)/', 'Größe ½ € 日本語 😀', 'mixed: abc é'];
  const srv = await startTestServer((req, res) => {
    const text = texts[Number(req.url.searchParams.get('i'))];
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    res.end(Buffer.from(JSON.stringify({ text }), 'utf8'));
  });
  t.after(() => srv.close());
  const c = client(srv.url);
  for (let i = 0; i < texts.length; i++) {
    const r = await c.request({ path: 'x', query: { i } });
    assert.deepEqual(r.body, { text: texts[i] });
    assert.equal(r.text, JSON.stringify({ text: texts[i] }));
  }
});

test('503 and 429 are retried; stats count requests and retries', async (t) => {
  let n = 0;
  const srv = await startTestServer((_req, res) => {
    n++;
    if (n === 1) return sendJson(res, 503, { error: 'busy' });
    if (n === 2) return sendJson(res, 429, {}, { 'Retry-After': '0' });
    sendJson(res, 200, { ok: true });
  });
  t.after(() => srv.close());
  const c = client(srv.url);
  const r = await c.request({ path: 'x' });
  assert.deepEqual(r.body, { ok: true });
  assert.deepEqual(c.stats(), { requests: 3, retries: 2 });
});

test('Retry-After is honoured', async (t) => {
  let n = 0;
  const srv = await startTestServer((_req, res) => {
    if (n++ === 0) return sendJson(res, 429, {}, { 'Retry-After': '0.3' });
    sendJson(res, 200, {});
  });
  t.after(() => srv.close());
  const started = Date.now();
  await client(srv.url).request({ path: 'x' });
  assert.ok(Date.now() - started >= 290, 'waited for the server');
});

test('429 after the last retry is rate_limited; a Retry-After beyond the cap is not waited for', async (t) => {
  const srv = await startTestServer((req, res) =>
    sendJson(
      res,
      429,
      { error: { code: 'TOO_MANY', message: 'slow down' } },
      { 'Retry-After': req.url.pathname === '/long' ? '3600' : '0' },
    ),
  );
  t.after(() => srv.close());
  const c = client(srv.url);
  const err = await rejects(c.request({ path: 'short' }));
  assert.equal(err.kind, 'rate_limited');
  assert.equal(err.remote?.status, 429);
  assert.equal(err.remote?.code, 'TOO_MANY');
  assert.equal(c.stats().retries, 3);
  const started = Date.now();
  const long = await rejects(c.request({ path: 'long' }));
  assert.equal(long.kind, 'rate_limited');
  assert.equal(long.retryAfterSeconds, 3600);
  assert.ok(Date.now() - started < 1000);
  assert.equal(c.stats().retries, 3, 'no retry for the long wait');
});

test('502/504 are retried for reads but not for a POST; 503 is retried for both', async (t) => {
  const srv = await startTestServer((req, res) => sendJson(res, Number(req.url.pathname.slice(1)), {}));
  t.after(() => srv.close());
  const c = client(srv.url);
  assert.equal((await rejects(c.request({ path: '502' }))).kind, 'unavailable');
  assert.equal(srv.requests.length, 4);
  assert.equal((await rejects(c.request({ method: 'POST', path: '502', json: {} }))).kind, 'unavailable');
  assert.equal(srv.requests.length, 5, 'POST sent once');
  await rejects(c.request({ method: 'POST', path: '503', json: {} }));
  assert.equal(srv.requests.length, 9);
});

test('500 and other statuses are remote errors with the parsed code and message', async (t) => {
  const srv = await startTestServer((req, res) => {
    const status = Number(req.url.pathname.slice(1));
    sendJson(res, status, { error: { code: `E${status}`, message: `failed ${status}` } });
  });
  t.after(() => srv.close());
  const c = client(srv.url, {
    errorParser: ({ body }) => {
      const e = (body as { error: { code: string; message: string } }).error;
      return { code: e.code, message: e.message, details: ['parsed'] };
    },
  });
  const e500 = await rejects(c.request({ path: '500' }));
  assert.equal(e500.kind, 'remote_error');
  assert.deepEqual(e500.remote, { status: 500, code: 'E500', message: 'failed 500', details: ['parsed'] });
  assert.equal(srv.requests.length, 1, '500 is not retried');
  assert.equal((await rejects(c.request({ path: '400' }))).kind, 'remote_error');
  assert.equal((await rejects(c.request({ path: '404' }))).kind, 'not_found');
  assert.equal((await rejects(c.request({ path: '412' }))).kind, 'conflict');
  assert.equal((await rejects(c.request({ path: '403' }))).kind, 'auth_rejected');
  const accepted = await c.request({ path: '428', accept: (s) => s === 428 });
  assert.equal(accepted.status, 428);
});

test('401 is auth_rejected and no credential leaks into the message', async (t) => {
  const srv = await startTestServer((req, res) => {
    const ok = req.headers.authorization === `Basic ${Buffer.from('user:s3cret!').toString('base64')}`;
    sendJson(res, ok ? 200 : 401, ok ? {} : { error: 'bad' });
  });
  t.after(() => srv.close());
  await client(srv.url, { auth: basicAuth('user', 's3cret!') }).request({ path: 'x' });
  const c = client(srv.url, { auth: basicAuth('user', 'wrong-pass'), query: { apikey: 'k3y' } });
  const err = await rejects(c.request({ path: 'x' }));
  assert.equal(err.kind, 'auth_rejected');
  assert.equal(srv.requests.length, 2, 'static credentials are not retried');
  const text = `${err.message} ${JSON.stringify(err.remote)}`;
  for (const secret of ['wrong-pass', 'k3y', Buffer.from('user:wrong-pass').toString('base64')]) {
    assert.ok(!text.includes(secret), `message leaks ${secret}`);
  }
});

test('network failures and timeouts become unavailable after retries', async (t) => {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((r) => probe.close(() => r()));
  const c = client(`http://127.0.0.1:${port}`);
  const err = await rejects(c.request({ path: 'x' }));
  assert.equal(err.kind, 'unavailable');
  assert.match(err.message, /ECONNREFUSED/);
  assert.deepEqual(c.stats(), { requests: 4, retries: 3 });

  const slow = await startTestServer(async (_req, res) => {
    await new Promise((r) => setTimeout(r, 300));
    sendJson(res, 200, {});
  });
  t.after(() => slow.close());
  const s = client(slow.url, { timeoutMs: 50, retry: { ...fast, maxRetries: 1 } });
  const timeout = await rejects(s.request({ path: 'x' }));
  assert.equal(timeout.kind, 'unavailable');
  assert.match(timeout.message, /timed out after 50 ms/);
  assert.equal(s.stats().requests, 2);
});

test('a caller abort stops at once and is not turned into a ConnectorError', async (t) => {
  const srv = await startTestServer(async (_req, res) => {
    await new Promise((r) => setTimeout(r, 500));
    sendJson(res, 200, {});
  });
  t.after(() => srv.close());
  const ac = new AbortController();
  setTimeout(() => ac.abort(new Error('stop')), 20);
  await assert.rejects(client(srv.url).request({ path: 'x', signal: ac.signal }), /stop/);
});

test('cookies set by the server are sent back', async (t) => {
  const srv = await startTestServer((req, res) => {
    if (req.url.pathname === '/login') {
      res.setHeader('Set-Cookie', ['SESSION=abc; Path=/; HttpOnly', 'other=1; Path=/nowhere']);
    }
    sendJson(res, 200, { cookie: req.headers.cookie ?? null });
  });
  t.after(() => srv.close());
  const c = client(srv.url);
  await c.request({ path: 'login' });
  const r = await c.request({ path: 'data' });
  assert.deepEqual(r.body, { cookie: 'SESSION=abc' });
  const off = client(srv.url, { cookies: false });
  await off.request({ path: 'login' });
  assert.deepEqual((await off.request({ path: 'data' })).body, { cookie: null });
});

test('the URL guard runs before every request and may refuse', async (t) => {
  const srv = await startTestServer((_req, res) => sendJson(res, 200, {}));
  t.after(() => srv.close());
  const checked: string[] = [];
  const c = client(srv.url, {
    checkUrl: (u) => {
      checked.push(u);
      if (u.includes('forbidden')) throw new ConnectorError('invalid_input', 'blocked by SSRF rules');
    },
  });
  await c.request({ path: 'ok' });
  assert.deepEqual(checked, [`${srv.url}/ok`]);
  const err = await rejects(c.request({ path: 'forbidden' }));
  assert.equal(err.message, 'blocked by SSRF rules');
  assert.equal(srv.requests.length, 1);
});

test('same-origin redirects are followed; redirects elsewhere are refused', async (t) => {
  const srv = await startTestServer((req, res) => {
    if (req.url.pathname === '/old') {
      res.writeHead(302, { Location: '/new' });
      return res.end();
    }
    if (req.url.pathname === '/away') {
      res.writeHead(302, { Location: 'http://login.invalid/saml' });
      return res.end();
    }
    sendJson(res, 200, { at: req.url.pathname });
  });
  t.after(() => srv.close());
  const c = client(srv.url);
  assert.deepEqual((await c.request({ path: 'old' })).body, { at: '/new' });
  const err = await rejects(c.request({ path: 'away' }));
  assert.equal(err.kind, 'remote_error');
  assert.match(err.message, /redirected to http:\/\/login\.invalid\/saml/);
});

test('JSON bodies are sent and parsed; text stays text', async (t) => {
  const srv = await startTestServer((req, res) => {
    if (req.url.pathname === '/text') {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      return res.end('hello');
    }
    sendJson(res, 201, { echo: JSON.parse(req.body), type: req.headers['content-type'] });
  });
  t.after(() => srv.close());
  const c = client(srv.url);
  const r = await c.request({ method: 'POST', path: 'x', json: { a: 1 } });
  assert.equal(r.status, 201);
  assert.deepEqual(r.body, { echo: { a: 1 }, type: 'application/json' });
  assert.equal((await c.request({ path: 'text' })).body, 'hello');
});
