import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sourceFields } from './source-fields.ts';

test('top-level source fields of expressions, array mappings and $root', () => {
  const got = sourceFields({
    fields: {
      number: 'PurchaseOrder',
      title: "concat(trim(Desc), ' ', $.Type)",
      total: 'sum(to_Item, "NetAmount")',
      flag: 'not Blocked and (Qty > 0 or first(to_Item).Open)',
      kind: 'map(OrderType, {"A": "X"}, Fallback)',
      nothing: "'literal text'",
      lines: { each: 'to_Item', fields: { qty: 'OrderQuantity', currency: '$root.DocumentCurrency' } },
    },
  });
  assert.deepEqual(got, {
    fields: [
      'Blocked',
      'Desc',
      'DocumentCurrency',
      'Fallback',
      'OrderType',
      'PurchaseOrder',
      'Qty',
      'Type',
      'to_Item',
    ],
    whole: false,
  });
});

test('the whole record: declared function reads count, anything else means every field', () => {
  const reads = { status_of: ['DeletionCode', 'Status'] };
  assert.deepEqual(sourceFields({ fields: { status: 'status_of($)' } }, reads), {
    fields: ['DeletionCode', 'Status'],
    whole: false,
  });
  assert.equal(sourceFields({ fields: { status: 'other_fn($)' } }, reads).whole, true);
  assert.equal(sourceFields({ fields: { raw: '$' } }).whole, true);
  assert.equal(sourceFields({ fields: { parts: { each: 'x', fields: { all: '$root' } } } }).whole, true);
  // Inside "each", `$` is the element, not the record.
  assert.equal(
    sourceFields({ fields: { parts: { each: 'to_X', fields: { v: 'other_fn($)' } } } }).whole,
    false,
  );
});

test('an expression that does not parse reads nothing', () => {
  assert.deepEqual(sourceFields({ fields: { a: 'concat(', b: 'Ok' } }), { fields: ['Ok'], whole: false });
});
