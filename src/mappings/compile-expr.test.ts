import { test } from 'node:test';
import assert from 'node:assert/strict';
import { recordId } from '../core/ids.ts';
import { compileExpr, compiledCacheSize, type Scope } from './compile-expr.ts';
import { MappingSyntaxError } from './errors.ts';

const ctx = { connectionId: 'conn_test' };
const ev = (src: string, record: unknown = {}, extra: Partial<Scope> = {}): unknown =>
  compileExpr(src)({ $: record, ctx, ...extra });

function compileError(
  src: string,
  functions?: Record<string, (...a: unknown[]) => unknown>,
): MappingSyntaxError {
  try {
    compileExpr(src, { functions });
  } catch (err) {
    assert.ok(err instanceof MappingSyntaxError);
    return err;
  }
  assert.fail(`expected ${src} to fail`);
}

const rec = {
  Supplier: '0000100042',
  Amount: '12.500',
  Qty: 3,
  Empty: '',
  Nothing: null,
  Flag: 'X',
  Nested: { Deep: { Value: 7 }, List: [10, 20, { x: 'y' }] },
  to_Item: {
    results: [
      { Material: 'M1', Price: '1.10' },
      { Material: 'M2', Price: '2.20' },
    ],
  },
  'odd/name': 'odd',
};

test('literals evaluate to themselves', () => {
  assert.equal(ev(`'a'`), 'a');
  assert.equal(ev('-1.5'), -1.5);
  assert.equal(ev('true'), true);
  assert.equal(ev('null'), null);
  assert.deepEqual(ev('[1, "a", null]'), [1, 'a', null]);
  assert.deepEqual(ev('{"a": 1, "b": Qty}', rec), { a: 1, b: 3 });
});

test('paths resolve against $ and missing steps give null', () => {
  assert.equal(ev('Supplier', rec), '0000100042');
  assert.equal(ev('$.Supplier', rec), '0000100042');
  assert.equal(ev('Nested.Deep.Value', rec), 7);
  assert.equal(ev('Nested.List[1]', rec), 20);
  assert.equal(ev('Nested.List[2].x', rec), 'y');
  assert.equal(ev('to_Item.results[1].Material', rec), 'M2');
  assert.equal(ev(`$["odd/name"]`, rec), 'odd');
  assert.deepEqual(ev('$', { a: 1 }), { a: 1 });
  for (const src of [
    'Missing',
    'Missing.Deeper',
    'Nothing.x',
    'Supplier.x',
    'Qty.x',
    'Nested.List[9]',
    'Nested.List.x',
    'Nested.Deep[0]',
    'Nested.List[0].x',
    'Nested.Deep.Value.x.y.z',
  ]) {
    assert.equal(ev(src, rec), null, src);
  }
  assert.equal(ev('x', null), null);
  assert.equal(ev('x', 'text'), null);
  assert.equal(compileExpr('$')({ $: undefined }), null);
  assert.equal(ev('first(to_Item).Material', rec), 'M1');
  assert.equal(ev('(Nothing ?? Nested).Deep.Value', rec), 7);
});

test('paths never reach inherited properties', () => {
  for (const src of [
    'constructor',
    '$.__proto__',
    'toString',
    'Nested.hasOwnProperty',
    'Nested.List.length',
    'Nested.List.map',
  ]) {
    assert.equal(ev(src, rec), null, src);
  }
  assert.equal(ev('constructor', { constructor: 'own' }), 'own');
  assert.equal(ev('a.constructor.b', { a: { constructor: { b: 1 } } }), 1);
  assert.equal(ev('d.getTime', { d: new Date() }), null);
});

test('$root reaches the top-level record and defaults to $', () => {
  const child = { Material: 'M1' };
  const root = { Id: 'H1', Nested: { a: 1 } };
  assert.equal(compileExpr('$root.Id')({ $: child, $root: root }), 'H1');
  assert.equal(compileExpr('$root.Nested.a')({ $: child, $root: root }), 1);
  assert.equal(compileExpr('Material')({ $: child, $root: root }), 'M1');
  assert.equal(compileExpr('$root.Id')({ $: root }), 'H1');
  assert.deepEqual(compileExpr('$root')({ $: child, $root: root }), root);
});

test('?? falls back on null, undefined and empty text only', () => {
  assert.equal(ev('Nothing ?? "d"', rec), 'd');
  assert.equal(ev('Missing ?? "d"', rec), 'd');
  assert.equal(ev('Empty ?? "d"', rec), 'd');
  assert.equal(ev('Qty ?? "d"', rec), 3);
  assert.equal(ev('0 ?? "d"'), 0);
  assert.equal(ev('false ?? "d"'), false);
  assert.equal(ev('Nothing ?? Empty ?? "last"', rec), 'last');
  assert.equal(ev('Nothing ?? Empty', rec), '');
});

test('and / or / not give booleans by truthiness and short-circuit', () => {
  assert.equal(ev('Flag and Qty', rec), true);
  assert.equal(ev('Flag and Empty', rec), false);
  assert.equal(ev('Empty or Nothing', rec), false);
  assert.equal(ev('Empty or 0 or "x"', rec), true);
  assert.equal(ev('not Empty', rec), true);
  assert.equal(ev('not Flag', rec), false);
  assert.equal(ev('not not Flag', rec), true);
  assert.equal(ev('not 0'), true);
  assert.equal(ev('true or false and false'), true);
  assert.equal(ev('(true or false) and false'), false);
  let calls = 0;
  const functions = { boom: () => (calls++, true) };
  compileExpr('false and boom()', { functions })({ $: {} });
  compileExpr('true or boom()', { functions })({ $: {} });
  assert.equal(calls, 0);
});

test('= and != : null equals only null, numbers match numeric text', () => {
  assert.equal(ev('Flag = "X"', rec), true);
  assert.equal(ev('Flag = "x"', rec), false);
  assert.equal(ev('Flag != "X"', rec), false);
  assert.equal(ev('Nothing = null', rec), true);
  assert.equal(ev('Missing = null', rec), true);
  assert.equal(ev('Empty = null', rec), false);
  assert.equal(ev('Nothing != null', rec), false);
  assert.equal(ev('Qty = 3', rec), true);
  assert.equal(ev('Qty = "3"', rec), true);
  assert.equal(ev('Amount = 12.5', rec), true);
  assert.equal(ev('Supplier = 100042', rec), true);
  assert.equal(ev('"0010" = "10"'), false);
  assert.equal(ev('"" = 0'), false);
  assert.equal(ev('"abc" = 0'), false);
  assert.equal(ev('true = "true"'), false);
  assert.equal(ev('true = true'), true);
  assert.equal(ev('1 = 1.0'), true);
  assert.equal(ev('a = b', { a: { __class__: 'Decimal', decimal: '1.50' }, b: 1.5 }), true);
  assert.equal(ev('a = b', { a: new Date(5), b: new Date(5) }), true);
  assert.equal(ev('a = b', { a: { x: 1 }, b: { x: 1 } }), false);
});

test('ordering: numbers numerically, text as text, null never compares', () => {
  assert.equal(ev('Qty > 2', rec), true);
  assert.equal(ev('Qty >= 3', rec), true);
  assert.equal(ev('Qty < 3', rec), false);
  assert.equal(ev('Qty <= 3', rec), true);
  assert.equal(ev('Amount > 9', rec), true); // numeric text against a number compares as numbers
  assert.equal(ev('"10" > "9"'), false); // text against text compares as text
  assert.equal(ev('"2024-02-01" > "2024-01-31"'), true);
  assert.equal(ev('Nothing < 1', rec), false);
  assert.equal(ev('Nothing >= 1', rec), false);
  assert.equal(ev('Nothing <= null', rec), false);
  assert.equal(ev('"abc" < 1'), false);
  assert.equal(ev('"abc" > 1'), false);
  assert.equal(ev('false < true'), true);
  assert.equal(ev('a < b', { a: new Date(1), b: new Date(2) }), true);
  assert.equal(ev('a < 2', { a: { __class__: 'Decimal', decimal: '1.5' } }), true);
});

test('if() and coalesce() evaluate lazily', () => {
  let calls = 0;
  const functions = {
    boom: (): never => {
      calls++;
      throw new Error('evaluated');
    },
  };
  assert.equal(compileExpr('if(true, 1, boom())', { functions })({ $: {} }), 1);
  assert.equal(compileExpr('if(false, boom(), 2)', { functions })({ $: {} }), 2);
  assert.equal(compileExpr('coalesce(null, "", "x", boom())', { functions })({ $: {} }), 'x');
  assert.equal(calls, 0);
  assert.equal(ev('if(false, 1)'), null);
});

test('unknown functions and wrong arity fail at compile time naming the function', () => {
  let e = compileError('concat(a, frobnicate(b))');
  assert.equal(e.message, 'Unknown function "frobnicate" at position 10');
  assert.equal(e.position, 10);
  e = compileError('date(a, b)');
  assert.equal(e.message, 'Function "date" expects 1 argument, got 2 at position 0');
  e = compileError('x ?? datetime_of(a)');
  assert.equal(e.message, 'Function "datetime_of" expects 2 arguments, got 1 at position 5');
  assert.equal(e.position, 5);
  e = compileError('map(a)');
  assert.equal(e.message, 'Function "map" expects 2 to 3 arguments, got 1 at position 0');
  e = compileError('join(",")');
  assert.equal(e.message, 'Function "join" expects at least 2 arguments, got 1 at position 0');
  e = compileError('sum(items, "a..b")');
  assert.equal(e.position, 11);
  assert.match(e.message, /Invalid path in sum\(\)/);
  e = compileError('toString(a)');
  assert.match(e.message, /Unknown function "toString"/);
});

test('connector functions are callable with any arity and take precedence', () => {
  const functions = {
    sap_status: (s: unknown) => (typeof s === 'string' && s.includes('TECO') ? 'COMPLETED' : 'OPEN'),
    upper: (s: unknown) => `custom:${String(s)}`,
    many: (...a: unknown[]) => a.length,
  };
  assert.equal(compileExpr('sap_status(Status)', { functions })({ $: { Status: 'REL TECO' } }), 'COMPLETED');
  assert.equal(compileExpr('upper("x")', { functions })({ $: {} }), 'custom:x');
  assert.equal(compileExpr('many(1, 2, 3, 4, 5)', { functions })({ $: {} }), 5);
  assert.equal(compileExpr('many()', { functions })({ $: {} }), 0);
  assert.throws(() => compileExpr('sap_status(Status)'), /Unknown function "sap_status"/);
  assert.throws(
    () => compileExpr('bad(1)', { functions: { bad: 'nope' as unknown as () => unknown } }),
    /Function "bad" is not a function/,
  );
});

test('compiled expressions are cached by source text and function table', () => {
  const src = `concat("cache-test", Supplier)`;
  const a = compileExpr(src);
  assert.equal(compileExpr(src), a);
  const before = compiledCacheSize();
  compileExpr(src);
  assert.equal(compiledCacheSize(), before);
  const functions = { f: () => 1 };
  const b = compileExpr(src, { functions });
  assert.notEqual(b, a);
  assert.equal(compileExpr(src, { functions }), b);
  assert.equal(compiledCacheSize(functions), 1);
  // a different function table with the same names is a different compilation
  assert.notEqual(compileExpr('f()', { functions: { f: () => 2 } }), compileExpr('f()', { functions }));
  assert.equal(compileExpr('f()', { functions: { f: () => 2 } })({ $: {} }), 2);
});

test('object and array literals give fresh values per evaluation', () => {
  const f = compileExpr('{"a": [1]}');
  const x = f({ $: {} }) as { a: number[] };
  x.a.push(2);
  assert.deepEqual(f({ $: {} }), { a: [1] });
  const proto = compileExpr('{"__proto__": 1}')({ $: {} }) as Record<string, unknown>;
  assert.equal(Object.getPrototypeOf(proto), Object.prototype);
  assert.equal(Object.hasOwn(proto, '__proto__'), true);
});

test('map() with a computed table looks up own keys only', () => {
  const r = { k: 'B', t: { A: 1, B: 2 } };
  assert.equal(ev('map(k, t)', r), 2);
  assert.equal(ev('map("C", t, "d")', r), 'd');
  assert.equal(ev('map("toString", t, "d")', r), 'd');
  assert.equal(ev('map(k, {"A": 1, "B": Missing}, "d")', r), null);
  assert.equal(ev('map(k, {"A": 1, "B": $root.k}, "d")', r), 'B');
  assert.equal(ev('map(k, null, "d")', r), 'd');
});

test('ref() derives Ironbridge ids from the scope connection', () => {
  assert.equal(ev(`ref('vendors', Supplier)`, rec), recordId('conn_test', 'vendors', '0000100042'));
  assert.equal(ev(`ref('vendors', Qty)`, rec), recordId('conn_test', 'vendors', '3'));
  assert.equal(ev(`ref('vendors', Nothing)`, rec), null);
  assert.equal(ev(`ref('vendors', Empty)`, rec), null);
  assert.equal(
    compileExpr(`ref('vendors', Supplier)`)({ $: rec, ctx: { connectionId: 'other' } }),
    recordId('other', 'vendors', '0000100042'),
  );
  assert.equal(
    ev(`ref(if(Flag = "X", 'assets', 'locations'), "7")`, rec),
    recordId('conn_test', 'assets', '7'),
  );
  assert.throws(() => compileExpr(`ref('vendors', Supplier)`)({ $: rec }), /connection/);
  assert.throws(() => ev(`ref('vendors', Nested)`, rec), /text or number id/);
  assert.throws(() => ev(`ref(null, Supplier)`, rec), /entity/);
});
