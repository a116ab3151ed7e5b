// OData v2 JSON encodings and URI literals.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeBodyValue, encodeJson, formatDouble, parseLiteral, uriLiteral } from './edm-values.ts';
import type { PropertyModel } from './edmx.ts';
import { testProperty } from './test-support.ts';

const prop = (type: string, extra: Partial<PropertyModel> = {}) => testProperty('P', type, extra);

test('JSON encoding per EDM type', () => {
  assert.equal(encodeJson(prop('Edm.DateTime'), 1704067200000), '"\\/Date(1704067200000)\\/"');
  assert.equal(encodeJson(prop('Edm.DateTimeOffset'), 1704067200000), '"\\/Date(1704067200000+0000)\\/"');
  assert.equal(encodeJson(prop('Edm.Decimal', { scale: 3 }), 12.5), '"12.500"');
  assert.equal(encodeJson(prop('Edm.Time'), (12 * 3600 + 30 * 60) * 1000), '"PT12H30M00S"');
  assert.equal(encodeJson(prop('Edm.Int64'), 7), '"7"');
  assert.equal(encodeJson(prop('Edm.Int32'), 7), '7');
  assert.equal(encodeJson(prop('Edm.Boolean'), true), 'true');
  assert.equal(encodeJson(prop('Edm.String'), 'a"b'), '"a\\"b"');
  assert.equal(encodeJson(prop('Edm.String'), undefined), '""');
  assert.equal(encodeJson(prop('Edm.Decimal', { scale: 2 }), undefined), '"0.00"');
  assert.equal(encodeJson(prop('Edm.DateTime'), undefined), 'null');
  assert.equal(formatDouble(1.5), '1.5000000000000000E+00');
});

test('URI literals round-trip', () => {
  assert.equal(uriLiteral('Edm.String', "O'Brien"), "'O''Brien'");
  assert.equal(uriLiteral('Edm.DateTime', Date.UTC(9999, 11, 31)), "datetime'9999-12-31T00%3A00%3A00'");
  assert.deepEqual(parseLiteral("'O''Brien'"), { kind: 'string', value: "O'Brien" });
  assert.deepEqual(parseLiteral("datetime'9999-12-31T00:00:00'"), {
    kind: 'datetime',
    value: Date.UTC(9999, 11, 31),
  });
  assert.deepEqual(parseLiteral('12.5m'), { kind: 'number', value: 12.5 });
  assert.deepEqual(parseLiteral("guid'0A0B0C0D-0000-0000-0000-000000000001'"), {
    kind: 'guid',
    value: '0a0b0c0d-0000-0000-0000-000000000001',
  });
  assert.equal(parseLiteral("datetime'yesterday'"), undefined);
});

test('request body values: accepted forms and refusals', () => {
  assert.deepEqual(decodeBodyValue(prop('Edm.DateTime'), '/Date(1704067200000)/'), {
    ok: true,
    value: 1704067200000,
  });
  assert.deepEqual(decodeBodyValue(prop('Edm.DateTime'), '2024-01-01T00:00:00'), {
    ok: true,
    value: 1704067200000,
  });
  assert.deepEqual(decodeBodyValue(prop('Edm.Decimal', { precision: 5, scale: 2 }), '12.5'), {
    ok: true,
    value: 12.5,
  });
  assert.equal(decodeBodyValue(prop('Edm.Decimal', { precision: 5, scale: 2 }), '12345').ok, false);
  assert.equal(decodeBodyValue(prop('Edm.String', { maxLength: 3 }), 'abcd').ok, false);
  assert.equal(decodeBodyValue(prop('Edm.Boolean'), 'true').ok, false);
  assert.equal(decodeBodyValue(prop('Edm.Time'), 'PT01H00M00S').ok, true);
});
