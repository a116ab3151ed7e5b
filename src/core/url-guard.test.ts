import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkOutboundUrl, classifyIp } from './url-guard.ts';

test('addresses are classified', () => {
  assert.equal(classifyIp('8.8.8.8'), 'public');
  assert.equal(classifyIp('10.1.2.3'), 'private');
  assert.equal(classifyIp('172.20.0.1'), 'private');
  assert.equal(classifyIp('172.32.0.1'), 'public');
  assert.equal(classifyIp('192.168.1.1'), 'private');
  assert.equal(classifyIp('127.0.0.1'), 'loopback');
  assert.equal(classifyIp('169.254.169.254'), 'metadata');
  assert.equal(classifyIp('169.254.10.1'), 'link_local');
  assert.equal(classifyIp('::ffff:169.254.169.254'), 'metadata');
  assert.equal(classifyIp('::1'), 'loopback');
  assert.equal(classifyIp('fe80::1'), 'link_local');
  assert.equal(classifyIp('fd12::1'), 'private');
  assert.equal(classifyIp('2001:db8::1'), 'public');
});

test('metadata and link-local are refused even when private URLs are allowed', async () => {
  for (const url of [
    'http://169.254.169.254/latest/meta-data',
    'http://[fe80::1]/',
    'http://metadata.google.internal/',
  ]) {
    await assert.rejects(checkOutboundUrl(url, { allowPrivate: true }), /metadata|link-local/);
  }
});

test('loopback and private ranges need the explicit allowance', async () => {
  await assert.rejects(
    checkOutboundUrl('http://127.0.0.1:4101', { allowPrivate: false }),
    /IRONBRIDGE_ALLOW_PRIVATE_URLS/,
  );
  await assert.rejects(checkOutboundUrl('http://localhost:4101', { allowPrivate: false }), /loopback/);
  await assert.rejects(checkOutboundUrl('https://10.0.0.5/', { allowPrivate: false }), /private/);
  assert.equal((await checkOutboundUrl('http://127.0.0.1:4101/x', { allowPrivate: true })).port, '4101');
});

test('only http(s) URLs without embedded credentials', async () => {
  await assert.rejects(checkOutboundUrl('ftp://example.com/', { allowPrivate: true }), /http or https/);
  await assert.rejects(checkOutboundUrl('file:///etc/passwd', { allowPrivate: true }), /http or https/);
  await assert.rejects(checkOutboundUrl('not a url', { allowPrivate: true }), /absolute/);
  await assert.rejects(checkOutboundUrl('http://u:p@127.0.0.1/', { allowPrivate: true }), /credentials/);
});
