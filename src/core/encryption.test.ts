import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Keyring, generateKey } from './encryption.ts';
import { generateToken, hashToken, tokenKind, tokenMatches } from './tokens.ts';

test('credentials round-trip and the ciphertext hides the plaintext', () => {
  const ring = new Keyring(generateKey());
  const sealed = ring.encrypt({ password: 'hunter2-secret' });
  assert.ok(!sealed.includes('hunter2'));
  assert.deepEqual(ring.decrypt(sealed), { password: 'hunter2-secret' });
});

test('a tampered ciphertext is refused', () => {
  const ring = new Keyring(generateKey());
  const parts = ring.encrypt({ a: 1 }).split(':');
  parts[4] = Buffer.from('{"a":2}').toString('base64');
  assert.throws(() => ring.decrypt(parts.join(':')));
});

test('after promoting a new key, old ciphertexts still decrypt and new ones use the new key', () => {
  const oldKey = generateKey();
  const ring = new Keyring(oldKey);
  const before = ring.encrypt({ v: 'old' });
  ring.promote(generateKey());
  const after = ring.encrypt({ v: 'new' });
  assert.notEqual(Keyring.sealedKeyId(before), Keyring.sealedKeyId(after));
  assert.deepEqual(ring.decrypt(before), { v: 'old' });
  assert.deepEqual(ring.decrypt(after), { v: 'new' });
  assert.throws(() => new Keyring(generateKey()).decrypt(before), /not configured/);
});

test('keys of the wrong length are refused', () => {
  assert.throws(() => new Keyring('abc'), /32 bytes/);
});

test('tokens carry their kind and 256 bits, and match only their digest', () => {
  const t = generateToken('connection_token', 'production');
  assert.match(t, /^ib_ct_live_[A-Za-z0-9_-]{43}$/);
  assert.deepEqual(tokenKind(t), { kind: 'connection_token', env: 'production' });
  assert.deepEqual(tokenKind(generateToken('secret_key', 'sandbox')), { kind: 'secret_key', env: 'sandbox' });
  assert.equal(tokenKind('Bearer nope'), null);
  const digest = hashToken(t);
  assert.ok(tokenMatches(t, digest));
  assert.ok(!tokenMatches(t + 'x', digest));
});
