import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CookieJar } from './cookie-jar.ts';

test('cookies go back to the host and path that set them', () => {
  const jar = new CookieJar();
  const u = new URL('https://erp.example.com/odata/svc/API_X/');
  jar.setFromResponse(u, ['SESSIONID_100=abc; path=/; HttpOnly; secure', 'usercontext=client=100; path=/']);
  jar.setFromResponse(u, ['narrow=1; Path=/odata/svc/API_X']);
  assert.equal(
    jar.headerFor(new URL('https://erp.example.com/odata/svc/API_X/A_Y')),
    'narrow=1; SESSIONID_100=abc; usercontext=client=100',
  );
  assert.equal(
    jar.headerFor(new URL('https://erp.example.com/odata/svc/API_XY')),
    'SESSIONID_100=abc; usercontext=client=100',
  );
  assert.equal(
    jar.headerFor(new URL('http://erp.example.com/')),
    'usercontext=client=100',
    'secure cookies only over https',
  );
  assert.equal(
    jar.headerFor(new URL('https://other.example.com/')),
    null,
    'host-only cookies stay on their host',
  );
});

test('domain cookies reach subdomains; foreign domains are refused', () => {
  const jar = new CookieJar();
  jar.setFromResponse(new URL('https://a.example.com/'), [
    'd=1; Domain=.example.com',
    'evil=1; Domain=attacker.com',
  ]);
  assert.equal(jar.headerFor(new URL('https://b.example.com/x')), 'd=1');
  assert.equal(jar.headerFor(new URL('https://attacker.com/')), null);
});

test('expired cookies are dropped and Max-Age=0 deletes', () => {
  let now = 1_000_000;
  const jar = new CookieJar(() => now);
  const u = new URL('http://h/');
  jar.setFromResponse(u, ['a=1; Max-Age=10', 'b=2']);
  assert.equal(jar.headerFor(u), 'a=1; b=2');
  jar.setFromResponse(u, ['b=; Max-Age=0']);
  assert.equal(jar.headerFor(u), 'a=1');
  now += 11_000;
  assert.equal(jar.headerFor(u), null);
  jar.setFromResponse(u, ['c=3; Expires=Thu, 01 Jan 1970 00:00:00 GMT']);
  assert.equal(jar.size, 0);
});

test('a new value replaces the old one', () => {
  const jar = new CookieJar();
  const u = new URL('http://h/p/q');
  jar.setFromResponse(u, ['s=1']);
  jar.setFromResponse(u, ['s=2']);
  assert.equal(jar.headerFor(new URL('http://h/p/z')), 's=2', 'default path is the directory of the request');
  assert.equal(jar.headerFor(new URL('http://h/')), null);
});
