import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errorDetails, parseODataError } from './errors.ts';
import { cleanEntity, entityEtag, readCollection, readEntity, stripEntity } from './json.ts';

const res = (body: unknown, text = typeof body === 'string' ? body : JSON.stringify(body)) => ({
  status: 400,
  headers: new Headers(),
  body,
  text,
});

test('the JSON error shape gives code, message and details', () => {
  const parsed = parseODataError(
    res({
      error: {
        code: 'ME/083',
        message: { lang: 'en', value: 'Enter a vendor' },
        innererror: {
          transactionid: 'ABC123',
          timestamp: '20240101120000.0000000',
          errordetails: [
            {
              code: 'ME/083',
              message: 'Enter a vendor',
              propertyref: 'Supplier',
              severity: 'error',
              target: '',
            },
            { code: '/IWBEP/CX_MGW_BUSI_EXCEPTION', message: 'Business error', severity: 'error' },
          ],
        },
      },
    }),
  );
  assert.equal(parsed?.code, 'ME/083');
  assert.equal(parsed?.message, 'Enter a vendor');
  assert.deepEqual(errorDetails(parsed?.details), [
    {
      code: 'ME/083',
      message: 'Enter a vendor',
      severity: 'error',
      target: undefined,
      propertyref: 'Supplier',
    },
    {
      code: '/IWBEP/CX_MGW_BUSI_EXCEPTION',
      message: 'Business error',
      severity: 'error',
      target: undefined,
      propertyref: undefined,
    },
  ]);
  assert.equal((parsed?.details as { transactionid: string }).transactionid, 'ABC123');
});

test('message as plain text, XML errors and plain-text bodies are understood', () => {
  assert.deepEqual(parseODataError(res({ error: { code: 'X', message: 'plain' } })), {
    code: 'X',
    message: 'plain',
    details: undefined,
  });
  const xml =
    '<?xml version="1.0" encoding="utf-8"?><error xmlns="http://schemas.microsoft.com/ado/2007/08/dataservices/metadata"><code>SY/530</code><message xml:lang="en">Resource not found &amp; gone</message></error>';
  assert.deepEqual(parseODataError(res(xml)), { code: 'SY/530', message: 'Resource not found & gone' });
  assert.deepEqual(parseODataError(res('CSRF token validation failed')), {
    message: 'CSRF token validation failed',
  });
  assert.equal(parseODataError(res('<html><body>Logon</body></html>')), undefined);
  assert.equal(parseODataError(res('')), undefined);
});

test('collections, entities and cleaning', () => {
  const body = {
    d: {
      results: [{ __metadata: { uri: 'x', etag: 'W/"1"' }, A: 1 }],
      __count: '91',
      __next: "https://h/svc/Set?$skiptoken='X'",
    },
  };
  const c = readCollection(body);
  assert.equal(c.count, 91);
  assert.equal(c.next, "https://h/svc/Set?$skiptoken='X'");
  assert.equal(entityEtag(c.results[0]), 'W/"1"');
  assert.deepEqual(readCollection({ d: { results: [] } }), { results: [], count: null, next: null });
  assert.throws(() => readCollection({ error: {} }), /not an OData v2 collection/);
  assert.deepEqual(readEntity({ d: { A: 1 } }), { A: 1 });
  assert.deepEqual(
    cleanEntity({
      __metadata: { uri: 'u' },
      PO: '1',
      to_Note: { __deferred: { uri: 'n' } },
      to_Item: {
        results: [{ __metadata: {}, Item: '10', to_Sched: { __deferred: {} }, to_Sub: { results: [] } }],
      },
      to_Header: { __metadata: {}, H: 1 },
      Amount: '12.50',
      Empty: null,
    }),
    {
      PO: '1',
      to_Item: { results: [{ Item: '10', to_Sub: { results: [] } }] },
      to_Header: { H: 1 },
      Amount: '12.50',
      Empty: null,
    },
  );
});

test('stripEntity cleans in place to the same JSON as cleanEntity', () => {
  const sample = () => ({
    __metadata: { uri: 'u', type: 'T', etag: 'W/"1"' },
    PO: '1',
    to_Note: { __deferred: { uri: 'n' } },
    to_Item: {
      results: [
        { __metadata: {}, Item: '10', to_Sched: { __deferred: {} }, to_Sub: { results: [], __count: '0' } },
        { __metadata: { uri: 'i2' }, Item: '20', Tags: [{ __metadata: {}, T: 'a' }, 'b'] },
      ],
      __next: 'https://h/next',
    },
    to_Header: { __metadata: {}, H: 1, Nested: { __metadata: {}, X: null } },
    Amount: '12.50',
    Empty: null,
    Flag: false,
  });
  const original = sample();
  const stripped = stripEntity(original);
  assert.equal(stripped, original, 'the same object, changed in place');
  assert.equal(JSON.stringify(stripped), JSON.stringify(cleanEntity(sample())));
  assert.doesNotMatch(JSON.stringify(stripped), /__metadata|__deferred|__next|__count/);
});
