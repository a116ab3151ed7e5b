// Unit tests of the connector's data parts (no SAP needed): descriptor, credentials, mappings,
// input checks, passthrough path rules, read filters.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ENTITIES } from '../types.ts';
import { ConnectorError } from '../errors.ts';
import { validateMapping } from '../../mappings/index.ts';
import { sapS4hana } from './index.ts';
import { instanceBase } from './connection.ts';
import { SPECS } from './entities.ts';
import { safePath } from './passthrough.ts';
import { readFilter } from './readers.ts';
import { assertWritable, decimal, location, sapDate } from './write-input.ts';

test('descriptor and capability matrix', () => {
  const d = sapS4hana.descriptor;
  assert.equal(d.id, 'sap-s4hana');
  assert.equal(d.credit_tier, 3);
  assert.deepEqual(d.deployments, ['cloud', 'on_premise']);
  for (const e of ENTITIES) {
    const c = d.capabilities[e];
    assert.ok(c?.read, `${e} readable`);
    assert.equal(c?.delete, false);
  }
  assert.equal(d.capabilities.purchase_orders?.kind, 'transactional');
  assert.equal(d.capabilities.vendors?.incremental, false);
  assert.equal(d.capabilities.inventory?.incremental, false);
  assert.equal(d.capabilities.locations?.incremental, false);
  assert.equal(d.capabilities.items?.incremental, true);
  assert.ok(d.capabilities.work_orders?.actions?.includes('technically_complete'));
  assert.ok(d.capabilities.purchase_orders?.writable_fields?.includes('lines[].quantity'));
});

test('credentials are validated per auth type without echoing values', () => {
  const s = sapS4hana.credentialsSchema;
  assert.ok(s.safeParse({ auth_type: 'basic', username: 'u', password: 'p', sap_client: '100' }).success);
  assert.ok(s.safeParse({ auth_type: 'oauth2', client_id: 'c', client_secret: 's' }).success);
  assert.ok(
    s.safeParse({
      auth_type: 'oauth2',
      client_id: 'c',
      client_secret: 's',
      token_url: 'https://x/oauth/token',
    }).success,
  );
  assert.ok(!s.safeParse({ auth_type: 'basic', username: 'u' }).success);
  assert.ok(!s.safeParse({ auth_type: 'basic', username: 'u', password: 'p', sap_client: '1000' }).success);
  assert.ok(
    !s.safeParse({ auth_type: 'oauth2', client_id: 'c', client_secret: 's', token_url: 'ftp://x' }).success,
  );
  assert.ok(!s.safeParse({ auth_type: 'saml' }).success);
  const bad = s.safeParse({ auth_type: 'basic', username: 'u', password: 12345 });
  assert.ok(!bad.success && !JSON.stringify(bad.error.issues).includes('12345'));
});

test('every default mapping compiles with the connector functions', () => {
  for (const [entity, m] of Object.entries(sapS4hana.mappings)) {
    assert.deepEqual(validateMapping(m, { functions: sapS4hana.mappingFunctions }), [], entity);
  }
  assert.deepEqual(Object.keys(sapS4hana.mappings).sort(), [...ENTITIES].sort());
});

test('instance URL: path prefixes kept, the OData root and credentials dropped', () => {
  assert.equal(instanceBase('https://my.s4.example').href, 'https://my.s4.example/');
  assert.equal(
    instanceBase('https://h/s4hanacloud/sap/opu/odata/sap/API_X?x=1').href,
    'https://h/s4hanacloud/',
  );
  assert.equal(instanceBase('https://u:p@h:8443/').href, 'https://h:8443/');
  assert.throws(() => instanceBase('ftp://h'), ConnectorError);
});

test('read filters: since, history window, fixed filters', () => {
  const since = new Date('2024-05-01T10:00:00Z');
  assert.equal(
    readFilter(SPECS.items, { since }, false),
    "LastChangeDateTime ge datetimeoffset'2024-05-01T10:00:00Z'",
  );
  assert.equal(readFilter(SPECS.vendors, { since }, false), '', 'no change stamp → full read');
  assert.equal(
    readFilter(SPECS.purchase_orders, { windowStart: since }, true),
    "LastChangeDateTime ge datetimeoffset'2024-05-01T10:00:00Z' or CreationDate ge datetime'2024-05-01T00:00:00'",
  );
  assert.equal(
    readFilter(SPECS.assets, { since }, false),
    "ValidityEndDate eq datetime'9999-12-31T00:00:00' and LastChangeDateTime ge datetimeoffset'2024-05-01T10:00:00Z'",
  );
  assert.equal(
    readFilter(SPECS.work_orders, { since, windowStart: since }, true),
    "LastChangeDateTime ge datetimeoffset'2024-05-01T10:00:00Z' and (LastChangeDateTime ge datetimeoffset'2024-05-01T10:00:00Z' or MaintOrderCreationDateTime ge datetimeoffset'2024-05-01T10:00:00Z')",
  );
  assert.equal(
    readFilter(SPECS.items, { windowStart: since }, false),
    '',
    'reference data ignores the window',
  );
});

test('inventory remote ids round-trip through the compound key', () => {
  const row = {
    Material: 'MAT/1',
    Plant: '1010',
    StorageLocation: '0001',
    Batch: '',
    Supplier: '',
    Customer: '',
    WBSElementInternalID: '00000000',
    SDDocument: '',
    SDDocumentItem: '000000',
    InventorySpecialStockType: '',
    InventoryStockType: '01',
  };
  const id = SPECS.inventory.remoteId(row);
  assert.equal(id, 'MAT%2F1/1010/0001////00000000//000000//01');
  assert.deepEqual(SPECS.inventory.key(id), row);
});

test('write input checks', () => {
  assert.throws(
    () => assertWritable({ title: 'x', status: 'CLOSED' }, ['title']),
    (e: unknown) =>
      e instanceof ConnectorError && e.kind === 'field_not_writable' && /status/.test(e.message),
  );
  assertWritable({ title: 'x', status: undefined }, ['title']);
  assert.equal(decimal({ q: 2.5 }, 'q'), '2.5');
  assert.equal(decimal({ q: '10.000' }, 'q'), '10.000');
  assert.throws(() => decimal({ q: 'ten' }, 'q'), /must be a number/);
  assert.throws(() => decimal({ q: 0 }, 'q', { positive: true }), /greater than zero/);
  assert.equal(sapDate({ d: '2024-02-03' }, 'd'), '/Date(1706918400000)/');
  assert.equal(sapDate({ d: '2024-02-03T22:00:00Z' }, 'd'), '/Date(1706918400000)/');
  assert.throws(() => sapDate({ d: 'tomorrow' }, 'd'), /ISO 8601/);
  assert.deepEqual(location({ location_id: '1010/0001' }), { plant: '1010', storageLocation: '0001' });
  assert.deepEqual(location({ location_id: '1010' }), { plant: '1010' });
  assert.throws(() => location({ location_id: 'a/b/c' }), /plant/);
});

test('passthrough paths stay below the instance', () => {
  assert.deepEqual(safePath('/sap/opu/odata/sap/API_PLANT_SRV/A_Plant?$top=1'), {
    path: 'sap/opu/odata/sap/API_PLANT_SRV/A_Plant',
    query: '$top=1',
  });
  assert.deepEqual(safePath("sap/opu/odata/sap/API_X/A_Y('1')"), {
    path: "sap/opu/odata/sap/API_X/A_Y('1')",
    query: '',
  });
  for (const bad of [
    'https://evil.example/x',
    '//evil.example/x',
    'sap/../../etc/passwd',
    'sap/./x',
    'sap/%2e%2e/x',
    'sap%2F..%2Fx',
    'sap\\x',
    'a/%5c/b',
    'x#frag',
    'x\u0000y',
    '',
    'javascript:alert(1)',
  ]) {
    assert.throws(
      () => safePath(bad),
      (e: unknown) => e instanceof ConnectorError && e.kind === 'invalid_input',
      bad,
    );
  }
});
