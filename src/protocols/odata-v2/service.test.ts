import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConnectorError } from '../../connectors/errors.ts';
import { HttpClient } from '../http/index.ts';
import { sendJson, startTestServer } from '../http/test-server.ts';
import type { TestRequest } from '../http/test-server.ts';
import type { ServerResponse } from 'node:http';
import { ODataV2Service } from './service.ts';

/** A tiny OData v2 service at /svc/: Items (Id key, server page 5), CSRF tied to a session cookie, ETags. */
async function odataServer() {
  const items = Array.from({ length: 23 }, (_, i) => ({
    Id: String(i + 1).padStart(3, '0'),
    Name: `Item ${i + 1}`,
    Version: 1,
  }));
  let tokenSeq = 0;
  const tokens = new Map<string, string>(); // session → token
  let sessionSeq = 0;
  const state = { items, expireTokens: () => tokens.clear() };

  const session = (req: TestRequest) => /SESSION=(\w+)/.exec(req.headers.cookie ?? '')?.[1];
  const etag = (it: { Version: number }) => `W/"${it.Version}"`;
  const entity = (it: (typeof items)[number]) => ({
    __metadata: { uri: `/svc/Items('${it.Id}')`, type: 'T.Item', etag: etag(it) },
    ...it,
    to_Parts: { __deferred: { uri: 'x' } },
  });
  const csrfOk = (req: TestRequest, res: ServerResponse) => {
    const s = session(req);
    if (s && tokens.get(s) === req.headers['x-csrf-token']) return true;
    res.writeHead(403, { 'X-CSRF-Token': 'Required', 'Content-Type': 'text/plain' });
    res.end('CSRF token validation failed');
    return false;
  };

  const srv = await startTestServer((req, res) => {
    const p = decodeURIComponent(req.url.pathname);
    if (p === '/svc/' && req.method === 'GET') {
      let s = session(req);
      if (!s) {
        s = `s${++sessionSeq}`;
        res.setHeader('Set-Cookie', `SESSION=${s}; Path=/`);
      }
      if (req.headers['x-csrf-token'] === 'Fetch') {
        const t = `tok${++tokenSeq}`;
        tokens.set(s, t);
        res.setHeader('X-CSRF-Token', t);
      }
      return sendJson(res, 200, { d: { EntitySets: ['Items'] } });
    }
    if (p === '/svc/Items' && req.method === 'GET') {
      const q = req.url.searchParams;
      const skip = Number(q.get('$skip') ?? 0);
      const top = q.has('$top') ? Number(q.get('$top')) : Infinity;
      const window = items.slice(skip, skip + top);
      const from = Number(q.get('$skiptoken') ?? 0);
      const page = window.slice(from, from + 5);
      const body: Record<string, unknown> = { results: page.map(entity) };
      if (q.get('$inlinecount') === 'allpages') body.__count = String(window.length);
      if (from + 5 < window.length) {
        const next = new URLSearchParams(q);
        next.set('$skiptoken', String(from + 5));
        body.__next = `http://${req.headers.host}/svc/Items?${next}`;
      }
      return sendJson(res, 200, { d: body });
    }
    const one = /^\/svc\/Items\('(.+)'\)$/.exec(p);
    if (one) {
      const it = items.find((x) => x.Id === one[1]);
      if (!it)
        return sendJson(res, 404, { error: { code: 'NF', message: { lang: 'en', value: 'Not found' } } });
      if (req.method === 'GET') return sendJson(res, 200, { d: entity(it) });
      if (req.method === 'PATCH' || req.method === 'MERGE') {
        if (!csrfOk(req, res)) return;
        if (!req.headers['if-match'])
          return sendJson(res, 428, {
            error: { code: 'PRECONDITION', message: { value: 'If-Match required' } },
          });
        if (req.headers['if-match'] !== etag(it))
          return sendJson(res, 412, { error: { code: 'ETAG', message: { value: 'Stale' } } });
        Object.assign(it, JSON.parse(req.body), { Version: it.Version + 1 });
        res.writeHead(204, { ETag: etag(it) });
        return res.end();
      }
    }
    if (p === '/svc/Items' && req.method === 'POST') {
      if (!csrfOk(req, res)) return;
      const body = JSON.parse(req.body) as { Name?: string; to_Parts?: { results: unknown[] } };
      if (!body.Name) {
        return sendJson(res, 400, {
          error: {
            code: 'ITEM/001',
            message: { lang: 'en', value: 'Name is required' },
            innererror: {
              errordetails: [{ code: 'ITEM/001', message: 'Name is required', severity: 'error' }],
            },
          },
        });
      }
      const it = { Id: String(items.length + 1).padStart(3, '0'), Name: body.Name, Version: 1 };
      items.push(it);
      return sendJson(res, 201, {
        d: { ...entity(it), to_Parts: { results: body.to_Parts?.results ?? [] } },
      });
    }
    if (p === '/svc/Release' && req.method === 'POST') {
      if (!csrfOk(req, res)) return;
      return sendJson(res, 200, { d: { Release: { Id: req.url.searchParams.get('Id') } } });
    }
    sendJson(res, 404, { error: { code: 'NOPE', message: { value: p } } });
  });
  return { srv, state };
}

async function setup(t: { after(fn: () => unknown): void }) {
  const { srv, state } = await odataServer();
  t.after(() => srv.close());
  const http = new HttpClient({ baseUrl: srv.url, retry: { baseDelayMs: 1, maxDelayMs: 2 } });
  return { srv, state, http, svc: new ODataV2Service(http, '/svc') };
}

async function collect(it: AsyncIterable<{ results: Record<string, unknown>[]; resume: string | null }>) {
  const pages: { ids: unknown[]; resume: string | null }[] = [];
  for await (const p of it) pages.push({ ids: p.results.map((r) => r.Id), resume: p.resume });
  return pages;
}

test('server-driven paging follows __next to the end', async (t) => {
  const { svc, srv } = await setup(t);
  const pages = await collect(svc.pages('Items', { orderby: 'Id', inlinecount: true }));
  assert.deepEqual(
    pages.map((p) => p.ids.length),
    [5, 5, 5, 5, 3],
  );
  assert.equal(pages.flatMap((p) => p.ids).length, 23);
  assert.equal(new Set(pages.flatMap((p) => p.ids)).size, 23);
  assert.equal(pages.at(-1)?.resume, null);
  assert.equal(srv.requests[1].url.searchParams.get('$skiptoken'), '5');
  assert.equal(srv.requests[1].url.searchParams.get('$orderby'), 'Id');
  assert.equal(srv.requests[0].url.searchParams.get('$format'), 'json');
});

test('client chunks ($top/$skip) combine with server pages, and a resume token continues elsewhere', async (t) => {
  const { svc, http } = await setup(t);
  const pages = await collect(svc.pages('Items', { orderby: 'Id' }, { pageSize: 8 }));
  // chunk 1: 8 = 5 + 3; chunk 2: 5 + 3; chunk 3: 5 + 2 (short chunk ends the read)
  assert.deepEqual(
    pages.map((p) => p.ids.length),
    [5, 3, 5, 3, 5, 2],
  );
  assert.deepEqual(
    pages.flatMap((p) => p.ids),
    Array.from({ length: 23 }, (_, i) => String(i + 1).padStart(3, '0')),
  );

  // A second service object (a new session) resumes after the 3rd page.
  const other = new ODataV2Service(http, 'svc');
  const rest = await collect(other.pages('Items', {}, { resume: pages[2].resume }));
  assert.deepEqual(
    rest.flatMap((p) => p.ids),
    pages.slice(3).flatMap((p) => p.ids),
  );
  await assert.rejects(
    other.pages('Other', {}, { resume: pages[2].resume }).next(),
    /resume token belongs to Items/,
  );
  await assert.rejects(other.pages('Items', {}, { resume: 'garbage' }).next(), /unreadable resume token/);
});

test('a chunk exactly full asks once more and stops on an empty page', async (t) => {
  const { svc, state } = await setup(t);
  state.items.splice(20);
  const pages = await collect(svc.pages('Items', { orderby: 'Id' }, { pageSize: 10 }));
  assert.deepEqual(
    pages.map((p) => p.ids.length),
    [5, 5, 5, 5, 0],
  );
});

test('get by key, 404 → null, ETag from __metadata', async (t) => {
  const { svc } = await setup(t);
  const r = await svc.get('Items', '003');
  assert.equal(r?.entity.Name, 'Item 3');
  assert.equal(r?.etag, 'W/"1"');
  assert.equal(await svc.get('Items', '999'), null);
});

test('writes fetch a CSRF token once, reuse it, and recover when it expires', async (t) => {
  const { svc, srv, state } = await setup(t);
  const created = await svc.create('Items', { Name: 'New', to_Parts: { results: [{ Part: 'P1' }] } });
  assert.equal(created.entity.Name, 'New');
  assert.deepEqual(created.entity.to_Parts, { results: [{ Part: 'P1' }] });
  assert.equal(created.etag, 'W/"1"');
  await svc.create('Items', { Name: 'Second' });
  const fetches = () => srv.requests.filter((r) => r.headers['x-csrf-token'] === 'Fetch').length;
  assert.equal(fetches(), 1);

  state.expireTokens();
  await svc.create('Items', { Name: 'Third' });
  assert.equal(fetches(), 2, 'token refreshed after 403 Required');
  assert.equal(
    srv.requests.filter((r) => r.method === 'POST').length,
    4,
    'the refused POST was sent again once',
  );
});

test('updates send If-Match; stale → conflict; missing → remote error 428', async (t) => {
  const { svc } = await setup(t);
  const cur = await svc.get('Items', '001');
  const r = await svc.update('Items', '001', { Name: 'Renamed' }, { etag: cur!.etag });
  assert.equal(r.etag, 'W/"2"');
  assert.equal((await svc.get('Items', '001'))?.entity.Name, 'Renamed');
  const stale = await svc
    .update('Items', '001', { Name: 'Again' }, { etag: cur!.etag })
    .catch((e: unknown) => e);
  assert.ok(stale instanceof ConnectorError);
  assert.equal(stale.kind, 'conflict');
  assert.equal(stale.remote?.code, 'ETAG');
  const missing = await svc.update('Items', '001', { Name: 'Again' }).catch((e: unknown) => e);
  assert.ok(missing instanceof ConnectorError);
  assert.equal(missing.kind, 'remote_error');
  assert.equal(missing.remote?.status, 428);
  const merged = await svc.update('Items', '002', { Name: 'Merged' }, { etag: 'W/"1"', method: 'MERGE' });
  assert.equal(merged.etag, 'W/"2"');
});

test('business errors surface the OData code, message and details', async (t) => {
  const { svc } = await setup(t);
  const err = await svc.create('Items', {}).catch((e: unknown) => e);
  assert.ok(err instanceof ConnectorError);
  assert.equal(err.kind, 'remote_error');
  assert.equal(err.remote?.code, 'ITEM/001');
  assert.equal(err.remote?.message, 'Name is required');
  assert.match(err.message, /ITEM\/001 Name is required/);
});

test('function imports are POSTed with literal parameters and the CSRF token', async (t) => {
  const { svc, srv } = await setup(t);
  const out = await svc.callFunction('Release', { Id: "40'01" });
  assert.deepEqual(out, { Release: { Id: "'40''01'" } });
  const call = srv.requests.find((r) => r.url.pathname === '/svc/Release');
  assert.equal(call?.method, 'POST');
  assert.match(String(call?.headers['x-csrf-token']), /^tok/);
});

test('the next page is fetched while the current one is processed; its failure surfaces in order', async (t) => {
  const { svc, srv } = await setup(t);
  const it = svc.pages('Items', { orderby: 'Id' });
  const first = await it.next();
  assert.equal((first.value as { results: unknown[] }).results.length, 5);
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(srv.requests.length, 2, 'page 2 requested before it was asked for');
  const noPrefetch = svc.pages('Items', { orderby: 'Id' }, { prefetch: false });
  await noPrefetch.next();
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(srv.requests.length, 3);

  // A prefetched page that fails is reported when the caller reaches it, not as an unhandled rejection.
  const flaky = await startTestServer((req, res) =>
    req.url.searchParams.has('$skiptoken')
      ? sendJson(res, 500, { error: { code: 'BOOM', message: { value: 'page 2 failed' } } })
      : sendJson(res, 200, { d: { results: [{ Id: '1' }], __next: `${req.url.pathname}?$skiptoken=1` } }),
  );
  t.after(() => flaky.close());
  const broken = new ODataV2Service(new HttpClient({ baseUrl: flaky.url }), 'svc');
  const pages = broken.pages('Items');
  assert.equal((await pages.next()).done, false);
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(flaky.requests.length, 2);
  await assert.rejects(
    pages.next(),
    (e: unknown) => e instanceof ConnectorError && e.remote?.code === 'BOOM',
  );
});
