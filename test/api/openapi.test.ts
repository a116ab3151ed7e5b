import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Validator } from '@seriousme/openapi-schema-validator';
import { ERROR_CATALOGUE } from '../../src/core/errors.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

let s: TestServer;
before(async () => {
  s = await startTestServer();
});
after(() => s.close());

test('/openapi.json validates as OpenAPI 3.1 and carries the unified model', async () => {
  const doc = (await s.call('GET', '/openapi.json')).body;
  assert.equal(doc.openapi, '3.1.0');
  const v = new Validator();
  const res = await v.validate(doc);
  assert.equal(res.valid, true, JSON.stringify(res.errors)?.slice(0, 2000));
  for (const name of [
    'PurchaseOrder',
    'WorkOrder',
    'Asset',
    'Item',
    'Inventory',
    'Vendor',
    'Location',
    'Error',
    'Connection',
  ]) {
    assert.ok(doc.components.schemas[name], `component ${name}`);
  }
  assert.ok(doc.components.schemas.WorkOrder.properties.status.description);
  assert.ok(doc.paths['/v1/connections'].post.requestBody);
  assert.ok(!JSON.stringify(doc).includes('/internal/admin'));
});

test('the documented error codes are exactly the catalogue', async () => {
  const doc = (await s.call('GET', '/openapi.json')).body;
  const documented = doc.components.schemas.Error.properties.error.properties.code.enum;
  assert.deepEqual([...documented].sort(), Object.keys(ERROR_CATALOGUE).sort());
  for (const code of Object.keys(ERROR_CATALOGUE)) assert.ok(doc.info.description.includes(code));
});

test('/docs renders the reference as HTML', async () => {
  const r = await fetch(`${s.url}/docs`);
  assert.match(r.headers.get('content-type') ?? '', /text\/html/);
  const html = await r.text();
  assert.ok(html.includes('/v1/connections/{id}/token/rotate'));
  assert.ok(html.includes('id="schema-WorkOrder"'));
});
