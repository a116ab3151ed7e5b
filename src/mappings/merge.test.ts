import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileMapping } from './compile-mapping.ts';
import { mergeMappings } from './merge.ts';
import type { EntityMapping } from './types.ts';
import { validateMapping } from './validate.ts';

const defaults: EntityMapping = {
  fields: {
    name: 'Name',
    status: 'map(S, {"A": "ACTIVE"}, "OTHER")',
    'custom_fields.region': 'Region',
    lines: { each: 'L', fields: { qty: 'decimal(Q)', unit: 'U' } },
  },
};
const frozen = structuredClone(defaults);

test('overrides replace fields and add custom fields without touching the defaults', () => {
  const merged = mergeMappings(defaults, { name: 'upper(Name)', 'custom_fields.cost_center': 'Kostl' });
  assert.deepEqual(merged.fields, {
    name: 'upper(Name)',
    status: 'map(S, {"A": "ACTIVE"}, "OTHER")',
    'custom_fields.region': 'Region',
    lines: { each: 'L', fields: { qty: 'decimal(Q)', unit: 'U' } },
    'custom_fields.cost_center': 'Kostl',
  });
  assert.deepEqual(defaults, frozen);
});

test('null removes a custom field and blanks a unified field', () => {
  const merged = mergeMappings(defaults, {
    'custom_fields.region': null,
    status: null,
    'custom_fields.never': null,
  });
  assert.equal('custom_fields.region' in merged.fields, false);
  assert.equal(merged.fields.status, 'null');
  assert.equal('custom_fields.never' in merged.fields, false);
  const r = compileMapping(merged).apply({ Name: 'n', S: 'A', L: [] }, { connectionId: 'c' });
  assert.deepEqual(r.values, { name: 'n', status: null, lines: [] });
  assert.deepEqual(defaults, frozen);
});

test('array fields can be replaced whole or one field at a time', () => {
  let merged = mergeMappings(defaults, { lines: { each: 'Items', fields: { qty: 'Q' } } });
  assert.deepEqual(merged.fields.lines, { each: 'Items', fields: { qty: 'Q' } });
  merged = mergeMappings(defaults, {
    'lines.qty': 'int(Q)',
    'lines.custom_fields.batch': 'Charg',
    'lines.unit': null,
  });
  assert.deepEqual(merged.fields.lines, {
    each: 'L',
    fields: { qty: 'int(Q)', unit: 'null', 'custom_fields.batch': 'Charg' },
  });
  merged = mergeMappings(merged, { 'lines.custom_fields.batch': null });
  assert.deepEqual(merged.fields.lines, { each: 'L', fields: { qty: 'int(Q)', unit: 'null' } });
  // whole and per-field overrides combine regardless of key order
  merged = mergeMappings(defaults, {
    'lines.unit': 'upper(U)',
    lines: { each: 'Items', fields: { qty: 'Q' } },
  });
  assert.deepEqual(merged.fields.lines, { each: 'Items', fields: { qty: 'Q', unit: 'upper(U)' } });
  assert.deepEqual(defaults, frozen);
});

test('dotted names that are not under an array field are plain fields', () => {
  const merged = mergeMappings(defaults, { 'name.x': 'X' });
  assert.equal(merged.fields['name.x'], 'X');
});

test('undefined overrides are ignored', () => {
  assert.deepEqual(mergeMappings(defaults, { name: undefined as unknown as string }), {
    fields: { ...defaults.fields },
  });
});

test('validateMapping reports every problem with field and position', () => {
  const problems = validateMapping({
    fields: {
      ok: 'Name',
      paren: 'concat(a, b))',
      unknown: 'upper(frob(x))',
      arity: 'date(a, b)',
      '': 'x',
      custom_fields: 'x',
      'custom_fields.': 'x',
      number: 42,
      obj: { nope: true },
      lines: { each: 'L(', fields: { a: 'A', b: '"open' } },
      nested: { each: 'L', fields: { inner: { each: 'M', fields: {} } } },
      bad_fields: { each: 'L', fields: 'x' },
      ['__proto__']: 'x',
      'custom_fields.__proto__': 'x',
    },
  });
  assert.deepEqual(problems, [
    { field: 'paren', position: 12, message: 'Unexpected ")" at position 12' },
    { field: 'unknown', position: 6, message: 'Unknown function "frob" at position 6' },
    { field: 'arity', position: 0, message: 'Function "date" expects 1 argument, got 2 at position 0' },
    { field: '', message: 'Field name must not be empty' },
    {
      field: 'custom_fields',
      message: 'custom_fields is reserved; map custom fields as "custom_fields.<name>"',
    },
    { field: 'custom_fields.', message: 'Custom field name must not be empty' },
    { field: 'number', message: 'Expression must be text' },
    {
      field: 'obj',
      message: 'Must be an expression (text) or an array mapping {"each": ..., "fields": {...}}',
    },
    { field: 'lines', position: 2, message: 'Unexpected end of expression at position 2' },
    { field: 'lines.b', position: 0, message: 'Unterminated string at position 0' },
    { field: 'nested.inner', message: 'Array mappings cannot be nested inside "each"' },
    { field: 'bad_fields', message: '"fields" must be an object of field → expression' },
    { field: '__proto__', message: 'Field name "__proto__" is not allowed' },
    { field: 'custom_fields.__proto__', message: 'Field name "__proto__" is not allowed' },
  ]);
});

test('validateMapping: valid mappings, connector functions and garbage input', () => {
  assert.deepEqual(validateMapping(defaults), []);
  assert.deepEqual(validateMapping({ fields: { s: 'sap(x)' } }, { functions: { sap: () => 1 } }), []);
  assert.equal(validateMapping({ fields: { s: 'sap(x)' } }).length, 1);
  assert.deepEqual(validateMapping(null), [
    { field: '', message: 'Mapping must be an object with "fields"' },
  ]);
  assert.deepEqual(validateMapping({}), [
    { field: '', message: '"fields" must be an object of field → expression' },
  ]);
  assert.deepEqual(validateMapping({ fields: { x: null } }), [
    { field: 'x', message: 'Expression must be text' },
  ]);
});
