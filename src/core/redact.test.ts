import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redactBody, redactHeaders } from './redact.ts';

test('secret headers and body fields are redacted, nested ones too', () => {
  assert.deepEqual(
    redactHeaders({ authorization: 'Bearer ib_sk_test_abc', 'x-api-key': 'k', accept: 'json' }),
    {
      authorization: '[REDACTED]',
      'x-api-key': '[REDACTED]',
      accept: 'json',
    },
  );
  const body = redactBody({
    system: 'sap',
    credentials: { username: 'u', password: 'p' },
    list: [{ client_secret: 's' }],
    note: 'my key is ib_ct_live_abcDEF123 ok',
  });
  assert.deepEqual(body, {
    system: 'sap',
    credentials: '[REDACTED]',
    list: [{ client_secret: '[REDACTED]' }],
    note: 'my key is [REDACTED] ok',
  });
});
