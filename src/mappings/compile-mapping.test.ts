import { test } from 'node:test';
import assert from 'node:assert/strict';
import { benchMappings } from '../../bench/mappings.ts';
import { recordId } from '../core/ids.ts';
import { compileMapping } from './compile-mapping.ts';
import { MappingSyntaxError } from './errors.ts';
import type { EntityMapping } from './types.ts';

const ctx = { connectionId: 'conn_map' };

const PO: EntityMapping = {
  fields: {
    remote_id: 'PurchaseOrder',
    number: 'strip_zeros(PurchaseOrder)',
    type: 'map(PurchaseOrderType, {"NB": "STANDARD"}, "OTHER")',
    vendor_id: "ref('vendors', Supplier)",
    order_date: 'date(PurchaseOrderDate)',
    total: "sum(to_PurchaseOrderItem, 'NetPriceAmount')",
    'custom_fields.sales_person': 'SupplierRespSalesPersonName',
    lines: {
      each: 'to_PurchaseOrderItem.results',
      fields: {
        line_number: 'int(PurchaseOrderItem)',
        item_id: "ref('items', Material)",
        quantity: 'decimal(OrderQuantity)',
        currency: '$root.DocumentCurrency',
        order_id: "ref('purchase_orders', $root.PurchaseOrder)",
        'custom_fields.plant': 'Plant',
      },
    },
    'custom_fields.flag': 'bool(Flag)',
  },
};

const raw = {
  PurchaseOrder: '0004500000001',
  PurchaseOrderType: 'NB',
  Supplier: '100042',
  PurchaseOrderDate: '/Date(1704067200000)/',
  DocumentCurrency: 'EUR',
  SupplierRespSalesPersonName: 'Jane',
  Flag: 'X',
  to_PurchaseOrderItem: {
    results: [
      {
        PurchaseOrderItem: '00010',
        Material: 'M1',
        OrderQuantity: '2.000',
        NetPriceAmount: '10.10',
        Plant: '1010',
      },
      {
        PurchaseOrderItem: '00020',
        Material: 'M2',
        OrderQuantity: '1.500',
        NetPriceAmount: '0.20',
        Plant: '1020',
      },
    ],
  },
};

test('apply maps fields, custom fields and each-lines with $root', () => {
  const m = compileMapping(PO);
  const { values, warnings } = m.apply(raw, ctx);
  assert.deepEqual(warnings, []);
  assert.deepEqual(values, {
    remote_id: '0004500000001',
    number: '4500000001',
    type: 'STANDARD',
    vendor_id: recordId('conn_map', 'vendors', '100042'),
    order_date: '2024-01-01',
    total: 10.3,
    lines: [
      {
        line_number: 10,
        item_id: recordId('conn_map', 'items', 'M1'),
        quantity: 2,
        currency: 'EUR',
        order_id: recordId('conn_map', 'purchase_orders', '0004500000001'),
        custom_fields: { plant: '1010' },
      },
      {
        line_number: 20,
        item_id: recordId('conn_map', 'items', 'M2'),
        quantity: 1.5,
        currency: 'EUR',
        order_id: recordId('conn_map', 'purchase_orders', '0004500000001'),
        custom_fields: { plant: '1020' },
      },
    ],
    custom_fields: { sales_person: 'Jane', flag: true },
  });
  // output keys follow the mapping order, custom_fields last
  assert.deepEqual(Object.keys(values), [
    'remote_id',
    'number',
    'type',
    'vendor_id',
    'order_date',
    'total',
    'lines',
    'custom_fields',
  ]);
  assert.deepEqual(m.fields, Object.keys(PO.fields));
});

test('missing source data gives nulls and empty lists, not warnings', () => {
  const { values, warnings } = compileMapping(PO).apply({}, ctx);
  assert.deepEqual(warnings, []);
  assert.equal(values.remote_id, null);
  assert.equal(values.vendor_id, null);
  assert.equal(values.total, null);
  assert.deepEqual(values.lines, []);
  assert.deepEqual(values.custom_fields, { sales_person: null, flag: null });
});

test('each accepts plain arrays and OData collections; anything else warns', () => {
  const m = compileMapping({ fields: { lines: { each: 'items', fields: { v: '$' } } } });
  assert.deepEqual(m.apply({ items: [1, 2] }, ctx).values.lines, [{ v: 1 }, { v: 2 }]);
  assert.deepEqual(m.apply({ items: { results: [3] } }, ctx).values.lines, [{ v: 3 }]);
  assert.deepEqual(m.apply({ items: { __deferred: { uri: 'x' } } }, ctx), {
    values: { lines: [] },
    warnings: [{ field: 'lines', message: '"each" did not give a list (got object)' }],
  });
});

test('a failing field is null with a warning; the other fields are still mapped', () => {
  const functions = {
    explode: (x: unknown): never => {
      throw new Error(`cannot map ${String(x)}`);
    },
  };
  const m = compileMapping(
    {
      fields: {
        a: 'explode(A)',
        b: 'B',
        c: 'explode_undefined()',
        lines: { each: 'L', fields: { x: 'explode($)', y: '$' } },
        'custom_fields.z': 'explode("z")',
      },
    },
    { functions: { ...functions, explode_undefined: () => undefined } },
  );
  const r = m.apply({ A: 1, B: 2, L: ['p', 'q'] }, ctx);
  assert.deepEqual(r.values, {
    a: null,
    b: 2,
    c: null,
    lines: [
      { x: null, y: 'p' },
      { x: null, y: 'q' },
    ],
    custom_fields: { z: null },
  });
  assert.deepEqual(r.warnings, [
    { field: 'a', message: 'cannot map 1' },
    { field: 'lines[0].x', message: 'cannot map p' },
    { field: 'lines[1].x', message: 'cannot map q' },
    { field: 'custom_fields.z', message: 'cannot map z' },
  ]);
});

test('a failing each expression gives an empty list and a warning', () => {
  const m = compileMapping(
    { fields: { lines: { each: 'boom()', fields: { x: '$' } } } },
    {
      functions: {
        boom: () => {
          throw new Error('no list');
        },
      },
    },
  );
  assert.deepEqual(m.apply({}, ctx), {
    values: { lines: [] },
    warnings: [{ field: 'lines', message: 'no list' }],
  });
});

test('ref() without a connection warns instead of throwing', () => {
  const m = compileMapping({ fields: { v: "ref('vendors', S)" } });
  const r = m.apply({ S: '1' }, undefined as unknown as { connectionId: string });
  assert.equal(r.values.v, null);
  assert.equal(r.warnings.length, 1);
});

test('no custom_fields object when the mapping has no custom fields', () => {
  const r = compileMapping({ fields: { a: 'A' } }).apply({ A: 1 }, ctx);
  assert.deepEqual(r.values, { a: 1 });
});

test('array custom fields land in custom_fields too', () => {
  const r = compileMapping({
    fields: { 'custom_fields.tags': { each: 'T', fields: { t: 'upper($)' } } },
  }).apply({ T: ['a'] }, ctx);
  assert.deepEqual(r.values, { custom_fields: { tags: [{ t: 'A' }] } });
});

test('compileMapping throws MappingSyntaxError naming the field and position', () => {
  assert.throws(
    () => compileMapping({ fields: { ok: 'A', broken: 'concat(a, b))' } }),
    (err: unknown) =>
      err instanceof MappingSyntaxError &&
      err.field === 'broken' &&
      err.position === 12 &&
      err.message === 'broken: Unexpected ")" at position 12',
  );
  assert.throws(
    () => compileMapping({ fields: { lines: { each: 'L', fields: { q: 'nope(x)' } } } }),
    (err: unknown) => err instanceof MappingSyntaxError && err.field === 'lines.q' && err.position === 0,
  );
});

test('connector functions are used and compilations are shared', () => {
  const functions = { status: (s: unknown) => (s === 'TECO' ? 'COMPLETED' : 'OPEN') };
  const mapping = { fields: { status: 'status(Stat)' } };
  const a = compileMapping(mapping, { functions });
  const b = compileMapping(mapping, { functions });
  assert.equal(a.apply({ Stat: 'TECO' }, ctx).values.status, 'COMPLETED');
  assert.equal(b.apply({ Stat: 'REL' }, ctx).values.status, 'OPEN');
  assert.throws(() => compileMapping(mapping), /Unknown function "status"/);
});

test('apply does not mutate the input or share state between records', () => {
  const m = compileMapping(PO);
  const copy = structuredClone(raw);
  const first = m.apply(raw, ctx);
  const second = m.apply(raw, ctx);
  assert.deepEqual(raw, copy);
  assert.notEqual(first.values, second.values);
  assert.notEqual(first.values.lines, second.values.lines);
  assert.deepEqual(first, second);
});

test('the benchmark mapping compiles and maps its records without warnings', async () => {
  const r = await benchMappings(1_000);
  assert.equal(r.records, 1_000);
  assert.ok(r.recordsPerSecond > 0);
});
