import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MappingSyntaxError } from './errors.ts';
import { parseExpr, parsePathText, type Node } from './parser.ts';
import { tokenize } from './tokenizer.ts';

/** Compact S-expression form of an AST, so precedence tests read like the grammar. */
function sx(n: Node): string {
  switch (n.type) {
    case 'literal':
      return JSON.stringify(n.value);
    case 'path':
      return (
        (n.root === 'root' ? '$root' : '$') +
        n.steps.map((s) => (typeof s === 'number' ? `[${s}]` : `.${s}`)).join('')
      );
    case 'member':
      return `(get ${sx(n.target)} ${n.steps.join(' ')})`;
    case 'call':
      return `(${n.name}${n.args.map((a) => ' ' + sx(a)).join('')})`;
    case 'object':
      return `{${n.entries.map((e) => `${JSON.stringify(e.key)}:${sx(e.value)}`).join(',')}}`;
    case 'array':
      return `[${n.items.map(sx).join(',')}]`;
    case 'not':
      return `(not ${sx(n.arg)})`;
    case 'logical':
    case 'compare':
      return `(${n.op} ${sx(n.left)} ${sx(n.right)})`;
  }
}

function syntaxError(src: string): MappingSyntaxError {
  try {
    parseExpr(src);
  } catch (err) {
    assert.ok(err instanceof MappingSyntaxError, `expected MappingSyntaxError for ${src}`);
    return err;
  }
  assert.fail(`expected ${JSON.stringify(src)} to fail`);
}

test('literals: strings in both quotes, numbers, booleans, null', () => {
  assert.equal(sx(parseExpr(`'text'`)), '"text"');
  assert.equal(sx(parseExpr(`"text"`)), '"text"');
  assert.equal(sx(parseExpr('12')), '12');
  assert.equal(sx(parseExpr('-1.5')), '-1.5');
  assert.equal(sx(parseExpr('0.25')), '0.25');
  assert.equal(sx(parseExpr('true')), 'true');
  assert.equal(sx(parseExpr('false')), 'false');
  assert.equal(sx(parseExpr('null')), 'null');
  assert.equal(sx(parseExpr(`''`)), '""');
});

test('string escapes', () => {
  const lit = (src: string): unknown => (parseExpr(src) as { value: unknown }).value;
  assert.equal(lit(String.raw`'it\'s'`), "it's");
  assert.equal(lit(String.raw`"say \"hi\""`), 'say "hi"');
  assert.equal(lit(String.raw`'a\\b'`), 'a\\b');
  assert.equal(lit(String.raw`'line\nbreak\ttab\r'`), 'line\nbreak\ttab\r');
  assert.equal(lit(String.raw`'\u00e9\/'`), 'é/');
  assert.equal(lit(`"it's"`), "it's");
  assert.equal(lit(`'say "hi"'`), 'say "hi"');
  assert.equal(syntaxError(String.raw`'bad \q'`).position, 5);
  assert.match(syntaxError(String.raw`'bad \q'`).message, /Invalid escape "\\q" at position 5/);
  assert.equal(syntaxError(String.raw`'\u12'`).position, 1);
});

test('paths: bare names, $, $root, dots and indexes', () => {
  assert.equal(sx(parseExpr('Supplier')), '$.Supplier');
  assert.equal(sx(parseExpr('$')), '$');
  assert.equal(sx(parseExpr('$.Supplier')), '$.Supplier');
  assert.equal(sx(parseExpr('$root.Header.Id')), '$root.Header.Id');
  assert.equal(sx(parseExpr('to_Item.results[0].Material')), '$.to_Item.results[0].Material');
  assert.equal(sx(parseExpr('a [ 1 ] [2]')), '$.a[1][2]');
  assert.equal(sx(parseExpr('_x1.$y')), '$._x1.$y');
  // keywords are plain names after a dot
  assert.equal(sx(parseExpr('$.or.not.null')), '$.or.not.null');
  // extension: quoted steps for names outside [A-Za-z0-9_$] (SAP namespaces)
  assert.equal(sx(parseExpr(`$["/BIC/ZFIELD"].x`)), '$./BIC/ZFIELD.x');
});

test('postfix steps on calls and parenthesised expressions', () => {
  assert.equal(sx(parseExpr('first(items).Name')), '(get (first $.items) Name)');
  assert.equal(sx(parseExpr('(a ?? b)[0]')), '(get (?? $.a $.b) 0)');
});

test('calls, objects and arrays', () => {
  assert.equal(sx(parseExpr('concat()')), '(concat)');
  assert.equal(sx(parseExpr('concat(a, "-", b)')), '(concat $.a "-" $.b)');
  assert.equal(sx(parseExpr('map(x, {"A": 1, \'B\': "two"}, null)')), '(map $.x {"A":1,"B":"two"} null)');
  assert.equal(sx(parseExpr('{}')), '{}');
  assert.equal(sx(parseExpr('{1: "one", 2.5: "x"}')), '{"1":"one","2.5":"x"}');
  assert.equal(sx(parseExpr('[]')), '[]');
  assert.equal(sx(parseExpr('[1, a, [true]]')), '[1,$.a,[true]]');
  assert.equal(sx(parseExpr('f ( a )')), '(f $.a)');
});

test('precedence: ?? below or below and below comparison below not', () => {
  assert.equal(sx(parseExpr('a ?? b or c')), '(?? $.a (or $.b $.c))');
  assert.equal(sx(parseExpr('a or b and c')), '(or $.a (and $.b $.c))');
  assert.equal(sx(parseExpr('a and b or c')), '(or (and $.a $.b) $.c)');
  assert.equal(sx(parseExpr('a = 1 and b != 2')), '(and (= $.a 1) (!= $.b 2))');
  assert.equal(sx(parseExpr('not a = b')), '(= (not $.a) $.b)');
  assert.equal(sx(parseExpr('not (a = b)')), '(not (= $.a $.b))');
  assert.equal(sx(parseExpr('not not a')), '(not (not $.a))');
  assert.equal(sx(parseExpr('a ?? b ?? c')), '(?? (?? $.a $.b) $.c)');
  assert.equal(sx(parseExpr('a or b or c')), '(or (or $.a $.b) $.c)');
  assert.equal(sx(parseExpr('(a ?? b) = c')), '(= (?? $.a $.b) $.c)');
  for (const op of ['=', '!=', '<', '<=', '>', '>=']) {
    assert.equal(sx(parseExpr(`a ${op} -1`)), `(${op} $.a -1)`);
  }
  assert.equal(sx(parseExpr('a<=b')), '(<= $.a $.b)');
});

test('comparisons do not chain', () => {
  const e = syntaxError('a = b = c');
  assert.equal(e.position, 6);
  assert.equal(e.message, 'Unexpected "=" at position 6');
});

test('syntax errors carry the 0-based position of the offending token', () => {
  const cases: [string, number, string][] = [
    ['concat(a, b))', 12, 'Unexpected ")" at position 12'],
    ['map(Status, {"A": 1}))', 21, 'Unexpected ")" at position 21'],
    ['concat(a, )', 10, 'Unexpected ")" at position 10'],
    ['a b', 2, 'Unexpected "b" at position 2'],
    ['', 0, 'Unexpected end of expression at position 0'],
    ['   ', 3, 'Unexpected end of expression at position 3'],
    ['concat(a', 8, 'Unexpected end of expression at position 8'],
    ['a.', 2, 'Unexpected end of expression at position 2'],
    ['a.1', 2, 'Unexpected "1" at position 2'],
    ['a[x]', 2, 'Unexpected "x" at position 2'],
    ['a[1.5]', 2, 'Unexpected "1.5" at position 2'],
    ['a[-1]', 2, 'Unexpected "-1" at position 2'],
    ['{a: 1}', 1, 'Unexpected "a" at position 1'],
    ['{"a" 1}', 5, 'Unexpected "1" at position 5'],
    ['{"a": 1,}', 8, 'Unexpected "}" at position 8'],
    ['[1,,2]', 3, 'Unexpected "," at position 3'],
    ['a # b', 2, 'Unexpected "#" at position 2'],
    ['a ! b', 2, 'Unexpected "!" at position 2'],
    ['a - 1', 2, 'Unexpected "-" at position 2'],
    ['and', 0, 'Unexpected "and" at position 0'],
    ['a or', 4, 'Unexpected end of expression at position 4'],
    ['not', 3, 'Unexpected end of expression at position 3'],
    ["x = 'abc", 4, 'Unterminated string at position 4'],
    ['a ?? ?? b', 5, 'Unexpected "??" at position 5'],
    ['()', 1, 'Unexpected ")" at position 1'],
  ];
  for (const [src, pos, message] of cases) {
    const e = syntaxError(src);
    assert.equal(e.position, pos, src);
    assert.equal(e.message, message, src);
    assert.equal(e.name, 'MappingSyntaxError');
  }
});

test('long tokens are shortened in messages', () => {
  const e = syntaxError(`a '${'x'.repeat(100)}'`);
  assert.equal(e.position, 2);
  assert.ok(e.message.length < 80);
});

test('duplicate keys in object literals are rejected', () => {
  const e = syntaxError('map(x, {"A": 1, "A": 2})');
  assert.equal(e.position, 16);
  assert.match(e.message, /Duplicate key "A"/);
});

test('deep nesting is refused instead of overflowing the stack', () => {
  const deep = '('.repeat(10_000) + '1' + ')'.repeat(10_000);
  assert.match(syntaxError(deep).message, /nested too deeply/);
  const nots = 'not '.repeat(10_000) + 'a';
  assert.match(syntaxError(nots).message, /nested too deeply/);
  assert.equal(sx(parseExpr('(((1)))')), '1');
});

test('expressions may span lines', () => {
  assert.equal(sx(parseExpr('map(\n  x,\r\n\t{"A": 1}\n)')), '(map $.x {"A":1})');
});

test('tokens record their offsets', () => {
  const toks = tokenize(`ab <= 'c' ?? -2`);
  assert.deepEqual(
    toks.map((t) => [t.kind, t.pos]),
    [
      ['name', 0],
      ['punct', 3],
      ['string', 6],
      ['punct', 10],
      ['number', 13],
      ['end', 15],
    ],
  );
});

test('sum() path text uses path syntax', () => {
  assert.deepEqual(parsePathText('a.b[2]'), ['a', 'b', 2]);
  assert.throws(() => parsePathText('f(x)'), MappingSyntaxError);
  assert.throws(() => parsePathText('$root.x'), MappingSyntaxError);
});

test('non-string input is a syntax error, not a crash', () => {
  assert.throws(() => parseExpr(42 as unknown as string), MappingSyntaxError);
});
