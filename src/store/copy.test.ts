import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyChunks, copyField, copyLine, copySql, parseCopyText } from './copy.ts';

/** The reverse of the text-format escaping, as PostgreSQL's COPY reads a field. */
function decodeField(f: string): string | null {
  if (f === '\\N') return null;
  return f.replace(/\\(.)/g, (_, c: string) => ({ n: '\n', r: '\r', t: '\t' })[c] ?? c);
}

test('NULL, booleans and numbers', () => {
  assert.equal(copyField(null), '\\N');
  assert.equal(copyField(undefined), '\\N');
  assert.equal(copyField(true), 't');
  assert.equal(copyField(false), 'f');
  assert.equal(copyField(42), '42');
  assert.equal(copyField(-1.5), '-1.5');
  assert.equal(copyField(12345678901234567890n), '12345678901234567890');
  assert.equal(copyField(new Date('2024-01-02T03:04:05.678Z')), '2024-01-02T03:04:05.678Z');
  // The string "\N" is data, not NULL.
  assert.equal(copyField('\\N'), '\\\\N');
  assert.equal(copyField(''), '');
});

test('backslash, newline, carriage return and tab are escaped (backslash first)', () => {
  assert.equal(copyField('a\\b'), 'a\\\\b');
  assert.equal(copyField('a\nb\rc\td'), 'a\\nb\\rc\\td');
  assert.equal(copyField('\\n'), '\\\\n'); // a backslash then "n", not a newline
  assert.equal(copyField('plain text, "quoted"; 100%'), 'plain text, "quoted"; 100%');
});

test('JSON text round-trips: escaped slashes, escaped and raw control characters, non-ASCII', () => {
  const doc = {
    date: '/Date(1700000000000)/',
    note: 'line 1\nline 2\ttabbed\r\n',
    path: 'C:\\temp\\x',
    text: 'Größe ½ € 日本語 😀',
  };
  const samples = [
    JSON.stringify(doc),
    JSON.stringify(doc, null, '\t'), // raw tabs and newlines between tokens
    '{"d":"\\/Date(123)\\/"}', // OData v2 writes "\/Date(123)\/"
    'ends with a backslash \\',
  ];
  for (const s of samples) {
    const f = copyField(s);
    assert.doesNotMatch(f, /[\n\r\t]/, 'no raw separators remain');
    assert.equal(decodeField(f), s);
  }
  assert.equal(copyField('{"d":"\\/Date(123)\\/"}'), '{"d":"\\\\/Date(123)\\\\/"}');
  assert.equal(copyField('Größe 😀'), 'Größe 😀'); // non-ASCII passes through
});

test('a line is tab-separated fields ending in a newline', () => {
  assert.equal(copyLine(['a', null, true, 'x\ty', 3]), 'a\t\\N\tt\tx\\ty\t3\n');
  assert.equal(copyLine([null]), '\\N\n');
  assert.equal(copyLine(['']), '\n');
});

test('chunks together are all the rows in order, as UTF-8', () => {
  const rows = Array.from({ length: 100 }, (_, i) => [
    `id${i}`,
    'x'.repeat(i),
    i % 2 === 0,
    i % 7 ? null : 'Größe\t😀',
  ]);
  const chunks = copyChunks(rows, 500);
  assert.ok(chunks.length > 1);
  for (const c of chunks) assert.ok(c.length <= 500);
  const text = rows.map((r) => copyLine(r)).join('');
  assert.equal(Buffer.concat(chunks).toString('utf8'), text);
  // One buffer when the page fits, even with multi-byte text that outgrows the estimate.
  assert.equal(Buffer.concat(copyChunks(rows)).toString('utf8'), text);
  assert.deepEqual(copyChunks([]), []);
  assert.deepEqual(
    copyChunks([['only']]).map((b) => b.toString()),
    ['only\n'],
  );
});

test('COPY text reads back as the rows it was made of, values as text', () => {
  const json = JSON.stringify({ note: 'a\\b\n\tc', text: 'Größe 😀', d: '\\/Date(1)\\/' });
  const rows = [['r1', json, null, true, 42], ['', '\\N', 'x\ty\r\nz', false, -1.5], ['']];
  const want = [['r1', json, null, 't', '42'], ['', '\\N', 'x\ty\r\nz', 'f', '-1.5'], ['']];
  assert.deepEqual(parseCopyText(copyChunks(rows)), want);
  // Chunk edges may fall inside a row or a multi-byte character.
  const many = Array.from({ length: 50 }, (_, i) => [`id${i}`, `${json}${i}`]);
  const small = copyChunks(many, 64);
  assert.ok(small.length > 10);
  assert.deepEqual(parseCopyText(small), many);
  assert.deepEqual(parseCopyText([]), []);
});

test('every chunk owns its memory, so it can be transferred to another thread', () => {
  for (const c of copyChunks([['small']])) assert.equal(c.byteOffset, 0);
  const chunk = copyChunks([['small']])[0];
  const { port1, port2 } = new MessageChannel();
  port1.postMessage(chunk, [chunk.buffer]);
  assert.equal(chunk.buffer.byteLength, 0, 'detached after the transfer');
  assert.equal(Buffer.from('still usable').toString(), 'still usable');
  port1.close();
  port2.close();
});

test('the COPY statement quotes identifiers', () => {
  assert.equal(copySql('records', ['id', 'data'], 'STDIN'), 'COPY "records" ("id", "data") FROM STDIN');
  assert.equal(copySql('t"x', ['a"b'], `'/dev/blob'`), `COPY "t""x" ("a""b") FROM '/dev/blob'`);
});
