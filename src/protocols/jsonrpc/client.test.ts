// The generic client against a local HTTP server whose answers each test scripts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { JsonRpcClient } from './client.ts';
import type { JsonRpcAuth } from './client.ts';
import { ConnectorError } from '../../connectors/errors.ts';

interface Seen {
  body: Record<string, unknown>;
  headers: IncomingMessage['headers'];
}
type Handler = (seen: Seen, res: ServerResponse) => void;

let handler: Handler = () => undefined;
const seen: Seen[] = [];
const server = createServer((req, res) => {
  let data = '';
  req.on('data', (c) => (data += c));
  req.on('end', () => {
    const s = { body: JSON.parse(data) as Record<string, unknown>, headers: req.headers };
    seen.push(s);
    handler(s, res);
  });
});
let url = '';

before(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/db/`;
});
after(() => new Promise<void>((r) => server.close(() => r())));

function reply(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, {
    'content-type': typeof body === 'string' ? 'text/html' : 'application/json',
    ...headers,
  });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}

function script(...steps: Handler[]): void {
  seen.length = 0;
  let i = 0;
  handler = (s, res) => steps[Math.min(i++, steps.length - 1)](s, res);
}

const ok =
  (result: unknown): Handler =>
  (s, res) =>
    reply(res, 200, { id: s.body.id, result });
const status =
  (code: number, body: unknown = '', headers: Record<string, string> = {}): Handler =>
  (_s, res) =>
    reply(res, code, body, headers);
const fast = { maxRetries: 3, baseDelayMs: 1, maxDelayMs: 5 };

const sessionAuth = (logins: { n: number }): JsonRpcAuth => ({
  async login(call) {
    logins.n++;
    const token = await call('login', ['user', 'pw']);
    return { authorization: `Session ${String(token)}` };
  },
});

async function rejects(p: Promise<unknown>, kind: string): Promise<ConnectorError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof ConnectorError, `expected ConnectorError, got ${String(e)}`);
    assert.equal(e.kind, kind, e.message);
    return e;
  }
  assert.fail(`expected a ${kind} error`);
}

test('1.0 envelopes carry exactly id, method and params; ids count up', async () => {
  script(ok('a'), ok('b'));
  const c = new JsonRpcClient({ url, retry: fast });
  assert.equal(await c.call('m.one', [1]), 'a');
  assert.equal(await c.call('m.two', []), 'b');
  assert.deepEqual(Object.keys(seen[0].body).sort(), ['id', 'method', 'params']);
  assert.equal(seen[1].body.id, (seen[0].body.id as number) + 1);
  script(ok(null));
  await new JsonRpcClient({ url, version: '2.0' }).call('x', {});
  assert.equal(seen[0].body.jsonrpc, '2.0');
});

test('transient 503s are retried with backoff, then the result comes through', async () => {
  script(status(503), status(503), ok(42));
  const c = new JsonRpcClient({ url, retry: fast });
  assert.equal(await c.call('m', []), 42);
  assert.deepEqual(c.stats(), { requests: 3, retries: 2 });
});

test('retries run out → unavailable', async () => {
  script(status(502, 'Bad Gateway'));
  const c = new JsonRpcClient({ url, retry: fast });
  const e = await rejects(c.call('m', []), 'unavailable');
  assert.equal(e.remote?.status, 502);
  assert.equal(c.stats().requests, 4);
});

test('a call that may change data is not repeated after a 502, but is after a 503', async () => {
  script(status(502), ok('again'));
  const c = new JsonRpcClient({ url, retry: fast });
  await rejects(c.call('create', [], { idempotent: false }), 'unavailable');
  assert.equal(seen.length, 1);
  script(status(503), ok('done'));
  assert.equal(await c.call('create', [], { idempotent: false }), 'done');
});

test('429: a short Retry-After is waited for, a long one is handed to the caller', async () => {
  script(status(429, '', { 'retry-after': '0' }), ok('fine'));
  const c = new JsonRpcClient({ url, retry: fast });
  assert.equal(await c.call('m', []), 'fine');
  script(status(429, '', { 'retry-after': '3600' }));
  const e = await rejects(c.call('m', []), 'rate_limited');
  assert.equal(e.retryAfterSeconds, 3600);
  assert.equal(seen.length, 1);
});

test('login once, send the session header, re-login once on 401, then succeed', async () => {
  const logins = { n: 0 };
  let token = 0;
  handler = (s, res) => {
    if (s.body.method === 'login') return reply(res, 200, { id: s.body.id, result: `t${++token}` });
    // The first session expires after one call.
    if (s.headers.authorization === 'Session t1' && seen.filter((x) => x.body.method === 'work').length > 1) {
      return reply(res, 401, '<html>expired</html>');
    }
    reply(res, 200, { id: s.body.id, result: s.headers.authorization });
  };
  seen.length = 0;
  const c = new JsonRpcClient({ url, auth: sessionAuth(logins), retry: fast });
  assert.equal(await c.call('work', []), 'Session t1');
  assert.equal(await c.call('work', []), 'Session t2');
  assert.equal(logins.n, 2);
});

test('401 after a fresh login → auth_rejected, with exactly one re-login', async () => {
  const logins = { n: 0 };
  script((s, res) => (s.body.method === 'login' ? ok('tok')(s, res) : status(401, '')(s, res)));
  const c = new JsonRpcClient({ url, auth: sessionAuth(logins), retry: fast });
  await rejects(c.call('work', []), 'auth_rejected');
  assert.equal(logins.n, 2);
});

test('a refused login is auth_rejected and is not retried', async () => {
  const logins = { n: 0 };
  script(status(401, '<html><title>401 Unauthorized</title></html>'));
  const c = new JsonRpcClient({ url, auth: sessionAuth(logins), retry: fast });
  await rejects(c.login(), 'auth_rejected');
  assert.equal(seen.length, 1);
});

test('error names listed as session-expired trigger the re-login too', async () => {
  const logins = { n: 0 };
  let calls = 0;
  script((s, res) => {
    if (s.body.method === 'login') return ok('tok')(s, res);
    if (++calls === 1)
      return reply(res, 200, {
        id: s.body.id,
        error: { code: 100, message: 'Session expired', data: { name: 'SessionExpired' } },
      });
    ok('after')(s, res);
  });
  const c = new JsonRpcClient({
    url,
    auth: sessionAuth(logins),
    sessionExpiredNames: ['SessionExpired'],
    retry: fast,
  });
  assert.equal(await c.call('work', []), 'after');
  assert.equal(logins.n, 2);
});

test('error answers are translated with the caller rules; non-JSON answers are remote errors', async () => {
  script((s, res) => reply(res, 200, { id: s.body.id, error: ['RuleError', ['Nope.', '', null]] }));
  const c = new JsonRpcClient({ url, errors: { named: { RuleError: 'business_rule' } }, retry: fast });
  const e = await rejects(c.call('m', []), 'business_rule');
  assert.equal(e.message, 'Nope.');
  script(status(200, '<html>proxy page</html>'));
  await rejects(c.call('m', []), 'remote_error');
  script(status(403, 'Forbidden'));
  await rejects(c.call('m', []), 'remote_error');
});

test('a refused connection is unavailable after the retries', async () => {
  const closed = createServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
  const port = (closed.address() as AddressInfo).port;
  await new Promise<void>((r) => closed.close(() => r()));
  const c = new JsonRpcClient({
    url: `http://127.0.0.1:${port}/db/`,
    retry: { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 2 },
  });
  const e = await rejects(c.call('m', []), 'unavailable');
  assert.match(e.message, /ECONNREFUSED/);
  assert.deepEqual(c.stats(), { requests: 3, retries: 2 });
});

test('the URL guard runs before every request and can stop it', async () => {
  script(ok(1));
  const checked: string[] = [];
  const c = new JsonRpcClient({
    url,
    checkUrl: (u) => {
      checked.push(u);
      if (checked.length > 1) throw new ConnectorError('invalid_input', 'blocked');
    },
  });
  assert.equal(await c.call('m', []), 1);
  await rejects(c.call('m', []), 'invalid_input');
  assert.deepEqual(checked, [url, url]);
  assert.equal(seen.length, 1);
});
