import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from './config.ts';

test('defaults apply when a variable is unset or empty', () => {
  const c = loadConfig({ IRONBRIDGE_SYNC_CONCURRENCY: '' });
  assert.equal(c.syncConcurrency, 4);
  assert.equal(c.allowPrivateUrls, false);
  assert.equal(c.syncReadThread, true);
  assert.equal(c.databaseUrl, null);
});

test('switches take true or false', () => {
  const c = loadConfig({ IRONBRIDGE_ALLOW_PRIVATE_URLS: 'true', IRONBRIDGE_SYNC_READ_THREAD: 'false' });
  assert.equal(c.allowPrivateUrls, true);
  assert.equal(c.syncReadThread, false);
});

test('a malformed value names the variable instead of being read as a default', () => {
  assert.throws(
    () => loadConfig({ IRONBRIDGE_SYNC_READ_THREAD: 'no' }),
    /IRONBRIDGE_SYNC_READ_THREAD must be true or false, got "no"/,
  );
  assert.throws(() => loadConfig({ IRONBRIDGE_ALLOW_PRIVATE_URLS: '1' }), /IRONBRIDGE_ALLOW_PRIVATE_URLS/);
  assert.throws(
    () => loadConfig({ IRONBRIDGE_SYNC_CONCURRENCY: '-1' }),
    /IRONBRIDGE_SYNC_CONCURRENCY must be a non-negative integer/,
  );
});
