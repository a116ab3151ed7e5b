import { test } from 'node:test';
import assert from 'node:assert/strict';
import { and, anyOf, eq, ge, ne, not, or, startswith, substringof } from './filter.ts';
import { entityPath, keyPredicate } from './keys.ts';
import { lit, toLiteral } from './literals.ts';
import { queryParams, queryString } from './query.ts';

test('literals', () => {
  assert.equal(lit.string("O'Neil").odata, "'O''Neil'");
  assert.equal(
    lit.datetimeOffset(new Date('2024-01-01T00:00:00Z')).odata,
    "datetimeoffset'2024-01-01T00:00:00Z'",
  );
  assert.equal(
    lit.datetimeOffset('2024-01-01T00:00:00.250Z').odata,
    "datetimeoffset'2024-01-01T00:00:00.250Z'",
  );
  assert.equal(lit.datetime(new Date('2024-01-01T00:00:00Z')).odata, "datetime'2024-01-01T00:00:00'");
  assert.equal(lit.datetime('2024-03-05T10:20:30.5Z').odata, "datetime'2024-03-05T10:20:30.500'");
  assert.equal(
    lit.guid('0894ef45-7741-1eea-8f8f-6f7e4d0f5b2a').odata,
    "guid'0894ef45-7741-1eea-8f8f-6f7e4d0f5b2a'",
  );
  assert.throws(() => lit.guid('nope'), /invalid guid/);
  assert.equal(lit.decimal('12.50').odata, '12.50M');
  assert.equal(lit.decimal(3).odata, '3M');
  assert.throws(() => lit.decimal('1e5'), /invalid decimal/);
  assert.equal(lit.int(7).odata, '7');
  assert.equal(lit.int64(7).odata, '7L');
  assert.equal(lit.time('PT12H30M00S').odata, "time'PT12H30M00S'");
  assert.equal(lit.bool(false).odata, 'false');
  assert.throws(() => lit.datetime('not a date'), /invalid datetime/);
  assert.equal(toLiteral('x'), "'x'");
  assert.equal(toLiteral(5), '5');
  assert.equal(toLiteral(1.5), '1.5M');
  assert.equal(toLiteral(true), 'true');
  assert.equal(toLiteral(null), 'null');
  assert.equal(toLiteral(new Date('2024-01-01T00:00:00Z')), "datetimeoffset'2024-01-01T00:00:00Z'");
});

test('filters compose with explicit precedence and skip empty parts', () => {
  const since = new Date('2024-01-01T00:00:00Z');
  assert.equal(
    and(ge('LastChangeDateTime', since), eq('Supplier', "A'B"), null, undefined, false),
    "LastChangeDateTime ge datetimeoffset'2024-01-01T00:00:00Z' and Supplier eq 'A''B'",
  );
  assert.equal(and(or(eq('A', '1'), eq('A', '2')), ne('B', 3)), "(A eq '1' or A eq '2') and B ne 3");
  assert.equal(anyOf('Plant', ['1010', '1020']), "(Plant eq '1010' or Plant eq '1020')");
  assert.equal(anyOf('Plant', ['1010']), "Plant eq '1010'");
  assert.equal(and(anyOf('P', ['a', 'b']), eq('Q', 'c')), "(P eq 'a' or P eq 'b') and Q eq 'c'");
  assert.equal(and(), '');
  assert.equal(not(eq('X', lit.bool(true))), 'not (X eq true)');
  assert.equal(startswith('Name', 'Pu'), "startswith(Name,'Pu') eq true");
  assert.equal(substringof('mp', 'Name'), "substringof('mp',Name) eq true");
});

test('key predicates: single, compound, typed, URL-safe', () => {
  assert.equal(keyPredicate('4500000001'), "('4500000001')");
  assert.equal(entityPath('A_Plant', { Plant: '1010' }), "A_Plant('1010')");
  assert.equal(
    keyPredicate({ PurchaseOrder: '4500000001', PurchaseOrderItem: '10' }),
    "(PurchaseOrder='4500000001',PurchaseOrderItem='10')",
  );
  assert.equal(
    keyPredicate({ Equipment: '10000001', ValidityEndDate: lit.datetime('9999-12-31T00:00:00Z') }),
    "(Equipment='10000001',ValidityEndDate=datetime'9999-12-31T00:00:00')",
  );
  assert.equal(keyPredicate('A/B C#?'), "('A%2FB%20C%23%3F')");
  assert.equal(keyPredicate("it's"), "('it''s')");
  assert.equal(keyPredicate(42), '(42)');
});

test('query options', () => {
  assert.deepEqual(
    queryParams({
      filter: "A eq 'x'",
      select: ['A', 'B'],
      expand: ['to_Item', 'to_Op/to_Comp'],
      orderby: 'A asc',
      top: 10,
      skip: 20,
      inlinecount: true,
    }),
    {
      $filter: "A eq 'x'",
      $select: 'A,B',
      $expand: 'to_Item,to_Op/to_Comp',
      $orderby: 'A asc',
      $top: '10',
      $skip: '20',
      $inlinecount: 'allpages',
      $format: 'json',
    },
  );
  assert.deepEqual(queryParams({ skip: 0, format: null }), {});
  assert.equal(
    queryString({ top: 1, skiptoken: 'abc', custom: { lang: 'EN' } }),
    '$top=1&$skiptoken=abc&$format=json&lang=EN',
  );
  assert.equal(queryString({ filter: "Name eq 'A&B'" }), "$filter=Name%20eq%20'A%26B'&$format=json");
  assert.throws(() => queryParams({ top: -1 }), /\$top/);
});
