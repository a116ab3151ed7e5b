import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { exchange } from './transport.ts';

async function serve(handler: http.RequestListener) {
  const srv = http.createServer(handler);
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const url = new URL(`http://127.0.0.1:${(srv.address() as AddressInfo).port}/x?q=1`);
  return { url, close: () => new Promise<void>((r) => srv.close(() => r())) };
}

const send = (url: URL, init: Partial<Parameters<typeof exchange>[1]> = {}) =>
  exchange(url, { method: 'GET', headers: new Headers(), signal: AbortSignal.timeout(5000), ...init });

test('status, every header (repeated ones too) and the body, compressed or not', async (t) => {
  const text = JSON.stringify({ d: { results: Array.from({ length: 300 }, (_, i) => ({ i, s: 'Größe' })) } });
  const srv = await serve((req, res) => {
    const enc = req.url!.includes('gzip') ? 'gzip' : req.url!.includes('br') ? 'br' : null;
    const headers: http.OutgoingHttpHeaders = {
      'content-type': 'application/json',
      'set-cookie': ['a=1', 'b=2'],
    };
    if (!enc) return res.writeHead(201, headers).end(text);
    assert.match(String(req.headers['accept-encoding']), /gzip.*br/);
    const body = enc === 'gzip' ? zlib.gzipSync(text) : zlib.brotliCompressSync(text);
    res.writeHead(200, { ...headers, 'content-encoding': enc }).end(body);
  });
  t.after(srv.close);
  const plain = await send(srv.url);
  assert.equal(plain.status, 201);
  assert.equal(plain.text, text);
  assert.equal(plain.headers.get('content-type'), 'application/json');
  assert.deepEqual(plain.headers.getSetCookie(), ['a=1', 'b=2']);
  for (const enc of ['gzip', 'br']) {
    const r = await send(new URL(`?${enc}`, srv.url));
    assert.equal(r.text, text, enc);
  }
});

test('request bodies carry their length; a string without a type is text/plain', async (t) => {
  const seen: { headers: http.IncomingHttpHeaders; body: string }[] = [];
  const srv = await serve((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen.push({ headers: req.headers, body });
      res.writeHead(302, { location: '/elsewhere' }).end();
    });
  });
  t.after(srv.close);
  const r = await send(srv.url, { method: 'POST', body: 'Größe' });
  assert.equal(r.status, 302, 'redirects are the caller’s business');
  assert.equal(r.headers.get('location'), '/elsewhere');
  await send(srv.url, {
    method: 'POST',
    body: new TextEncoder().encode('{}'),
    headers: new Headers({ 'Content-Type': 'application/json' }),
  });
  assert.equal(seen[0].body, 'Größe');
  assert.equal(seen[0].headers['content-length'], String(Buffer.byteLength('Größe')));
  assert.equal(seen[0].headers['content-type'], 'text/plain;charset=UTF-8');
  assert.equal(seen[1].headers['content-type'], 'application/json');
  assert.equal(seen[1].body, '{}');
});

test('a connection lost mid-body and an aborted exchange fail; nothing hangs', async (t) => {
  const srv = await serve((req, res) => {
    res.writeHead(200, { 'content-length': '1000' });
    res.write('partial');
    if (req.url!.includes('cut')) setTimeout(() => res.socket?.destroy(), 20);
  });
  t.after(srv.close);
  await assert.rejects(send(new URL('?cut', srv.url)));
  const stalled = send(srv.url, { signal: AbortSignal.timeout(100) });
  await assert.rejects(stalled, (e: Error) => e.name === 'AbortError' || e.name === 'TimeoutError');
  await assert.rejects(
    send(new URL('http://127.0.0.1:1/')),
    (e: NodeJS.ErrnoException) => e.code === 'ECONNREFUSED',
  );
});

test('large bodies of concurrent exchanges arrive whole, multi-byte characters across chunks too', async (t) => {
  const bodies: Record<string, string> = {
    '/a': 'a'.repeat(3_000_000),
    '/b': 'b'.repeat(700_000) + 'é'.repeat(300_000),
    '/c': '日本語'.repeat(200_000),
  };
  const srv = await serve((req, res) => {
    const buf = Buffer.from(bodies[req.url!]);
    res.writeHead(200, { 'content-length': buf.length });
    // Odd-sized writes: chunk edges fall inside characters.
    for (let i = 0; i < buf.length; i += 65_537) res.write(buf.subarray(i, i + 65_537));
    res.end();
  });
  t.after(srv.close);
  for (let round = 0; round < 2; round++) {
    const got = await Promise.all(Object.keys(bodies).map((p) => send(new URL(p, srv.url))));
    assert.deepEqual(
      got.map((r) => r.text),
      Object.values(bodies),
    );
  }
});
