import { test } from 'node:test';
import assert from 'node:assert/strict';
import { recordId } from '../core/ids.ts';
import { compileExpr } from './compile-expr.ts';
import { BUILTINS } from './functions.ts';
import { RefMemo } from './ref-cache.ts';

const ctx = { connectionId: 'conn_fn' };
/** Evaluates `src` with `x`, `y`, `z` bound to the given values. */
const call = (src: string, x?: unknown, y?: unknown, z?: unknown): unknown =>
  compileExpr(src)({ $: { x, y, z }, ctx });
const decimal = (d: string): unknown => ({ __class__: 'Decimal', decimal: d });

test('every built-in is null-safe', () => {
  const nullResult: Record<string, string> = {
    string: 'string(x)',
    trim: 'trim(x)',
    upper: 'upper(x)',
    lower: 'lower(x)',
    number: 'number(x)',
    decimal: 'decimal(x)',
    int: 'int(x)',
    date: 'date(x)',
    datetime: 'datetime(x)',
    datetime_of: 'datetime_of(x, "PT01H")',
    concat: 'concat(x, y)',
    join: 'join(", ", x, y)',
    coalesce: 'coalesce(x, y)',
    map: 'map(x, {"A": 1}, 2)',
    if: 'if(x, 1)',
    ref: 'ref("vendors", x)',
    ref_key: 'ref_key(x, "10")',
    first: 'first(x)',
    sum: 'sum(x, "a")',
    results: 'results(x)',
    strip_zeros: 'strip_zeros(x)',
    bool: 'bool(x)',
    round: 'round(x, 2)',
    substr: 'substr(x, 1)',
    replace: 'replace(x, "a", "b")',
  };
  for (const name of Object.keys(BUILTINS)) {
    if (name === 'count') continue; // count(null) is 0, documented
    assert.ok(nullResult[name], `null-safety case missing for ${name}`);
    assert.equal(call(nullResult[name], null), null, name);
    assert.equal(call(nullResult[name], undefined), null, name);
  }
  assert.equal(call('count(x)', null), 0);
});

test('string / trim / upper / lower', () => {
  assert.equal(call('string(x)', 'a'), 'a');
  assert.equal(call('string(x)', 12.5), '12.5');
  assert.equal(call('string(x)', 0), '0');
  assert.equal(call('string(x)', false), 'false');
  assert.equal(call('string(x)', decimal('1.50')), '1.50');
  assert.equal(call('string(x)', { __class__: 'date', year: 2024, month: 2, day: 29 }), '2024-02-29');
  assert.equal(call('string(x)', new Date(Date.UTC(2024, 0, 1))), '2024-01-01T00:00:00.000Z');
  assert.equal(call('string(x)', { a: [1] }), '{"a":[1]}');
  assert.equal(call('string(x)', Number.NaN), null);
  assert.equal(call('trim(x)', '  a b  '), 'a b');
  assert.equal(call('trim(x)', '    '), null);
  assert.equal(call('trim(x)', ''), null);
  assert.equal(call('trim(x)', 5), '5');
  assert.equal(call('upper(x)', 'eur'), 'EUR');
  assert.equal(call('lower(x)', 'CB99'), 'cb99');
  assert.equal(call('upper(x)', ''), '');
});

test('number / decimal', () => {
  for (const fn of ['number', 'decimal']) {
    const f = (v: unknown): unknown => call(`${fn}(x)`, v);
    assert.equal(f('12.500'), 12.5);
    assert.equal(f(' 12.5 '), 12.5);
    assert.equal(f('-3'), -3);
    assert.equal(f('+3'), 3);
    assert.equal(f('.5'), 0.5);
    assert.equal(f('1e3'), 1000);
    assert.equal(f('0000012'), 12);
    assert.equal(f('12.50-'), -12.5); // ABAP trailing minus
    assert.equal(f(7), 7);
    assert.equal(f(decimal('1.5')), 1.5);
    assert.equal(f(decimal('abc')), null);
    for (const bad of [
      '',
      '  ',
      'abc',
      '1,5',
      '0x1F',
      'Infinity',
      '1e',
      '12a',
      '-',
      '.',
      true,
      {},
      [],
      Number.NaN,
      Infinity,
    ]) {
      assert.equal(f(bad), null, `${fn}(${JSON.stringify(bad)})`);
    }
  }
});

test('int truncates and strips leading zeros', () => {
  assert.equal(call('int(x)', '0000012'), 12);
  assert.equal(call('int(x)', '12.9'), 12);
  assert.equal(call('int(x)', -12.9), -12);
  assert.equal(call('int(x)', '-0.5'), 0);
  assert.ok(Object.is(call('int(x)', '-0.5'), 0));
  assert.equal(call('int(x)', decimal('7.99')), 7);
  assert.equal(call('int(x)', 'x'), null);
});

test('date and datetime', () => {
  const cases: [unknown, string, string][] = [
    ['/Date(1704067200000)/', '2024-01-01', '2024-01-01T00:00:00.000Z'],
    ['/Date(1704067200000+0000)/', '2024-01-01', '2024-01-01T00:00:00.000Z'],
    // the milliseconds are the instant; the offset only names the source's zone
    ['/Date(1704067200000-0300)/', '2024-01-01', '2024-01-01T00:00:00.000Z'],
    ['/Date(1704110400123+0060)/', '2024-01-01', '2024-01-01T12:00:00.123Z'],
    ['/Date(-86400000)/', '1969-12-31', '1969-12-31T00:00:00.000Z'],
    ['\\/Date(1704067200000)\\/', '2024-01-01', '2024-01-01T00:00:00.000Z'],
    ['2024-01-01', '2024-01-01', '2024-01-01T00:00:00.000Z'],
    ['2024-01-01T10:20:30Z', '2024-01-01', '2024-01-01T10:20:30.000Z'],
    ['2024-01-01T10:20:30.5Z', '2024-01-01', '2024-01-01T10:20:30.500Z'],
    ['2024-01-01T10:20:30', '2024-01-01', '2024-01-01T10:20:30.000Z'], // no zone: UTC, not server local
    ['2024-01-01 10:20', '2024-01-01', '2024-01-01T10:20:00.000Z'],
    ['2024-01-01T23:30:00-05:00', '2024-01-02', '2024-01-02T04:30:00.000Z'],
    ['2024-01-01T01:00:00+0200', '2023-12-31', '2023-12-31T23:00:00.000Z'],
    ['2024-01-01T01:00:00.123456+02', '2023-12-31', '2023-12-31T23:00:00.123Z'],
    ['20240229', '2024-02-29', '2024-02-29T00:00:00.000Z'], // SAP DATS
    [new Date(Date.UTC(2024, 5, 30, 8)), '2024-06-30', '2024-06-30T08:00:00.000Z'],
    [1704067200000, '2024-01-01', '2024-01-01T00:00:00.000Z'],
    [{ __class__: 'date', year: 2024, month: 3, day: 5 }, '2024-03-05', '2024-03-05T00:00:00.000Z'],
    [
      {
        __class__: 'datetime',
        year: 2024,
        month: 3,
        day: 5,
        hour: 14,
        minute: 7,
        second: 9,
        microsecond: 250000,
      },
      '2024-03-05',
      '2024-03-05T14:07:09.250Z',
    ],
    [{ __class__: 'datetime', year: 2024, month: 3, day: 5 }, '2024-03-05', '2024-03-05T00:00:00.000Z'],
    ['0099-01-01', '0099-01-01', '0099-01-01T00:00:00.000Z'],
    ['9999-12-31', '9999-12-31', '9999-12-31T00:00:00.000Z'],
    ['/Date(253402214400000)/', '9999-12-31', '9999-12-31T00:00:00.000Z'],
  ];
  for (const [input, d, dt] of cases) {
    assert.equal(call('date(x)', input), d, `date(${JSON.stringify(input)})`);
    assert.equal(call('datetime(x)', input), dt, `datetime(${JSON.stringify(input)})`);
  }
  for (const bad of [
    '',
    'yesterday',
    '2024-02-30',
    '2023-02-29',
    '2024-13-01',
    '00000000',
    '0000-00-00',
    '/Date(abc)/',
    '/Date()/',
    '/Date(1+00000)/',
    '2024-01-01T25:00:00',
    new Date(Number.NaN),
    Number.NaN,
    1e20,
    true,
    { __class__: 'date', year: 2024, month: 2, day: 30 },
    { __class__: 'Decimal', decimal: '1' },
    {},
  ]) {
    assert.equal(call('date(x)', bad), null, `date(${String(bad)})`);
    assert.equal(call('datetime(x)', bad), null, `datetime(${String(bad)})`);
  }
});

test('memoised date() answers stay correct on repeat and for many distinct inputs', () => {
  for (let round = 0; round < 2; round++) {
    assert.equal(call('date(x)', '2024-02-30'), null);
    assert.equal(call('date(x)', '/Date(1704067200000)/'), '2024-01-01');
    assert.equal(call('date(x)', '2024-02-29'), '2024-02-29');
  }
  for (let i = 0; i < 10_000; i++) {
    const ms = 1704067200000 + i * 86_400_000;
    assert.equal(call('date(x)', `/Date(${ms})/`), new Date(ms).toISOString().slice(0, 10));
  }
});

test('date formatting agrees with Date#toISOString across the calendar', () => {
  for (let ms = -2_208_988_800_000; ms < 4_102_444_800_000; ms += 86_400_000 * 37 + 3_723_456) {
    assert.equal(call('datetime(x)', ms), new Date(ms).toISOString());
    assert.equal(call('date(x)', ms), new Date(ms).toISOString().slice(0, 10));
  }
  assert.equal(call('datetime(x)', -62_198_755_200_000), new Date(-62_198_755_200_000).toISOString()); // year -1
  assert.equal(call('datetime(x)', 1.5), '1970-01-01T00:00:00.001Z');
});

test('datetime_of combines a date with an OData time', () => {
  const d = '/Date(1704067200000)/';
  assert.equal(call('datetime_of(x, y)', d, 'PT12H30M00S'), '2024-01-01T12:30:00.000Z');
  assert.equal(call('datetime_of(x, y)', d, 'PT00H00M00S'), '2024-01-01T00:00:00.000Z');
  assert.equal(call('datetime_of(x, y)', d, 'PT23H59M59.5S'), '2024-01-01T23:59:59.500Z');
  assert.equal(call('datetime_of(x, y)', d, 'PT8H'), '2024-01-01T08:00:00.000Z');
  assert.equal(call('datetime_of(x, y)', d, 'pt5m'), '2024-01-01T00:05:00.000Z');
  assert.equal(call('datetime_of(x, y)', d, '12:30'), '2024-01-01T12:30:00.000Z');
  assert.equal(call('datetime_of(x, y)', d, '12:30:15.25'), '2024-01-01T12:30:15.250Z');
  assert.equal(call('datetime_of(x, y)', '20240101', '123015'), '2024-01-01T12:30:15.000Z'); // SAP DATS + TIMS
  assert.equal(
    call('datetime_of(x, y)', '2024-01-01', {
      __class__: 'time',
      hour: 9,
      minute: 5,
      second: 1,
      microsecond: 2000,
    }),
    '2024-01-01T09:05:01.002Z',
  );
  assert.equal(
    call('datetime_of(x, y)', '2024-01-01', { __class__: 'timedelta', seconds: 90 }),
    '2024-01-01T00:01:30.000Z',
  );
  // the time replaces the time of day of a datetime input
  assert.equal(call('datetime_of(x, y)', '/Date(1704110400000)/', 'PT01H'), '2024-01-01T01:00:00.000Z');
  // a missing time means midnight; a bad time gives null
  assert.equal(call('datetime_of(x, y)', d, null), '2024-01-01T00:00:00.000Z');
  assert.equal(call('datetime_of(x, y)', d, ''), '2024-01-01T00:00:00.000Z');
  assert.equal(call('datetime_of(x, y)', d, 'noon'), null);
  assert.equal(call('datetime_of(x, y)', d, 'PT'), null);
  assert.equal(call('datetime_of(x, y)', d, '12:75'), null);
  assert.equal(call('datetime_of(x, y)', d, 5), null);
  assert.equal(call('datetime_of(x, y)', 'bad', 'PT01H'), null);
});

test('concat and join', () => {
  assert.equal(call('concat(x, "-", y)', 'A', 'B'), 'A-B');
  assert.equal(call('concat(x, y)', 'A', null), 'A');
  assert.equal(call('concat(x, y)', null, null), null);
  assert.equal(call('concat(x, y)', '', null), '');
  assert.equal(call('concat(x, y)', 1, true), '1true');
  assert.equal(call('join(", ", x, y, z)', 'Main St 1', '', 'Walldorf'), 'Main St 1, Walldorf');
  assert.equal(call('join(", ", x, y, z)', null, 'B', null), 'B');
  assert.equal(call('join(", ", x, y)', null, ''), null);
  assert.equal(call('join("/", x, y)', ['a', null, 'b'], 'c'), 'a/b/c');
  assert.equal(call('join(null, x, y)', 'a', 'b'), 'ab');
  assert.equal(call('join(x, "a", "b")', 0), 'a0b');
});

test('coalesce', () => {
  assert.equal(call('coalesce(x, y, z)', null, '', 'c'), 'c');
  assert.equal(call('coalesce(x, y)', 0, 'b'), 0);
  assert.equal(call('coalesce(x, y)', false, 'b'), false);
  assert.equal(call('coalesce(x, y)', null, undefined), null);
  assert.equal(call('coalesce(x)', 'a'), 'a');
});

test('map', () => {
  const m = 'map(x, {"PM01": "CORRECTIVE", "PM02": "PREVENTIVE", "": "NONE", "1": "ONE"}, "OTHER")';
  assert.equal(call(m, 'PM01'), 'CORRECTIVE');
  assert.equal(call(m, 'PM02'), 'PREVENTIVE');
  assert.equal(call(m, 'PM99'), 'OTHER');
  assert.equal(call(m, ''), 'NONE');
  assert.equal(call(m, 1), 'ONE'); // numbers match their text form
  assert.equal(call(m, null), null);
  assert.equal(call(m, { a: 1 }), 'OTHER');
  assert.equal(call(m, 'toString'), 'OTHER');
  assert.equal(call('map(x, {"A": 1})', 'B'), null);
  assert.equal(call('map(x, {"A": null}, "d")', 'A'), null);
  assert.equal(call('map(x, {"true": "yes"})', true), 'yes');
  assert.equal(call('map(x, {1: "one", 2: "two"})', '2'), 'two');
  assert.equal(call('map(x, {"A": 1}, y)', 'B', 'dyn'), 'dyn');
  assert.equal(call('map(x, {"1.5": "d"})', decimal('1.5')), 'd');
});

test('if', () => {
  assert.equal(call('if(x, "a", "b")', 'X'), 'a');
  assert.equal(call('if(x, "a", "b")', ''), 'b');
  assert.equal(call('if(x, "a", "b")', 0), 'b');
  assert.equal(call('if(x = "L", "DELETED", "ACTIVE")', 'L'), 'DELETED');
  assert.equal(call('if(x, "a")', false), null);
});

test('ref and ref_key', () => {
  assert.equal(call('ref("vendors", x)', '100042'), recordId('conn_fn', 'vendors', '100042'));
  assert.match(call('ref("vendors", x)', '100042') as string, /^vnd_/);
  assert.equal(call('ref("vendors", x)', 100042), recordId('conn_fn', 'vendors', '100042'));
  assert.equal(call('ref("unknown_entity", x)', 'a'), recordId('conn_fn', 'unknown_entity', 'a'));
  assert.equal(call('ref("vendors", x)', ''), null);
  assert.equal(
    call('ref("purchase_orders", ref_key(x, y))', '4500000001', '00010'),
    recordId('conn_fn', 'purchase_orders', '4500000001/00010'),
  );
  assert.equal(call('ref_key(x, y, z)', 'A', 10, 'C'), 'A/10/C');
  assert.equal(call('ref_key(x)', 'A'), 'A');
  assert.equal(call('ref_key(x, y)', 'A', null), null);
  assert.equal(call('ref_key(x, y)', 'A', ''), null);
});

test('ref memo is bounded and keyed by connection and entity', () => {
  const memo = new RefMemo(3);
  for (let i = 0; i < 100; i++)
    assert.equal(memo.id('c', 'vendors', String(i)), recordId('c', 'vendors', String(i)));
  assert.ok(memo.size <= 6);
  assert.equal(memo.id('c', 'vendors', '99'), recordId('c', 'vendors', '99'));
  assert.equal(memo.id('d', 'vendors', '99'), recordId('d', 'vendors', '99'));
  assert.equal(memo.id('d', 'items', '99'), recordId('d', 'items', '99'));
  assert.equal(memo.size, 1);
});

test('first, count, sum, results', () => {
  const odata = { results: [{ a: '1.10' }, { a: '2.20' }, { a: null }, { a: 'x' }] };
  assert.deepEqual(call('first(x)', [{ a: 1 }, { a: 2 }]), { a: 1 });
  assert.deepEqual(call('first(x)', odata), { a: '1.10' });
  assert.equal(call('first(x)', []), null);
  assert.equal(call('first(x)', [null]), null);
  assert.equal(call('first(x)', 'abc'), null);
  assert.equal(call('count(x)', [1, 2, 3]), 3);
  assert.equal(call('count(x)', odata), 4);
  assert.equal(call('count(x)', []), 0);
  assert.equal(call('count(x)', { __deferred: { uri: 'u' } }), null);
  assert.equal(call('sum(x, "a")', odata), 3.3); // no 3.3000000000000003
  assert.equal(call('sum(x)', [0.1, 0.2]), 0.3);
  assert.equal(call('sum(x)', [1, '2', null, 'x', 3.5]), 6.5);
  assert.equal(call('sum(x)', [1e-13]), 1e-13);
  assert.equal(call('sum(x, "a")', []), 0);
  assert.equal(call('sum(x, "p.q")', [{ p: { q: 2 } }, { p: { q: 3 } }]), 5);
  assert.equal(call('sum(x, y)', [{ p: 2 }, { p: 3 }], 'p'), 5); // computed path
  assert.equal(call('sum(x, "a")', 'nope'), null);
  assert.deepEqual(call('results(x)', odata), odata.results);
  assert.deepEqual(call('results(x)', [1]), [1]);
  assert.equal(call('results(x)', { __deferred: { uri: 'u' } }), null);
  assert.equal(call('results(x)', 'abc'), null);
});

test('strip_zeros', () => {
  assert.equal(call('strip_zeros(x)', '0000004711'), '4711');
  assert.equal(call('strip_zeros(x)', '4711'), '4711');
  assert.equal(call('strip_zeros(x)', '0000'), '0');
  assert.equal(call('strip_zeros(x)', '000A1'), 'A1');
  assert.equal(call('strip_zeros(x)', ''), '');
  assert.equal(call('strip_zeros(x)', 120), '120');
});

test('bool', () => {
  for (const t of [true, 'X', 'x', 'true', 'TRUE', 'yes', 'Y', '1', 1, -2, ' X '])
    assert.equal(call('bool(x)', t), true, String(t));
  for (const f of [false, '', ' ', 'false', 'False', 'no', 'N', '0', 0])
    assert.equal(call('bool(x)', f), false, String(f));
  for (const n of ['maybe', {}, []]) assert.equal(call('bool(x)', n), null);
});

test('extension functions: round, substr, replace', () => {
  assert.equal(call('round(x, 2)', 1.005), 1.01);
  assert.equal(call('round(x, 2)', '2.345'), 2.35);
  assert.equal(call('round(x)', -2.5), -3);
  assert.equal(call('round(x)', '-0.4'), 0);
  assert.equal(call('round(x, 1)', 'abc'), null);
  assert.equal(call('round(x, y)', 1.5, 'a'), null);
  assert.equal(call('substr(x, 2)', 'ABCDEF'), 'CDEF');
  assert.equal(call('substr(x, 0, 3)', 'ABCDEF'), 'ABC');
  assert.equal(call('substr(x, -2)', 'ABCDEF'), 'EF');
  assert.equal(call('substr(x, 1, -1)', 'ABCDEF'), '');
  assert.equal(call('replace(x, "-", "")', 'A-B-C'), 'ABC');
  assert.equal(call('replace(x, "", "_")', 'AB'), 'AB');
  assert.equal(call('replace(x, "A", null)', 'ABA'), 'B');
});
