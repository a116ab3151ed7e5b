// copyRows on the engine under test (PGlite, or PostgreSQL with DATABASE_URL): values round-trip,
// on the pool and inside a transaction, and a failed COPY leaves the connection usable.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';

let t: TestDatabase;
const COLUMNS = ['id', 'j', 'b', 'ts', 'flag', 'n', 'txt'];

before(async () => {
  t = await createTestDatabase();
  await t.db.query(`CREATE TABLE copy_t (
    id text PRIMARY KEY, j json, b jsonb, ts timestamptz, flag boolean, n int, txt text,
    d int NOT NULL DEFAULT 7, at timestamptz NOT NULL DEFAULT now())`);
});
after(() => t.drop());

const clear = () => t.db.query('DELETE FROM copy_t');
const count = async () => (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM copy_t'))[0].n;

test('values round-trip: JSON with escapes, control characters, non-ASCII, NULLs, booleans, defaults', async () => {
  await clear();
  const doc = {
    date: '\\/Date(1700000000000)\\/',
    note: 'line 1\nline 2\ttab\r\n',
    path: 'C:\\temp\\',
    text: 'Größe ½ € 日本語 😀',
  };
  const rows = [
    ['a', JSON.stringify(doc), JSON.stringify(doc), '2024-01-02T03:04:05.678Z', true, 1, 'tab\there'],
    ['b', '{"d":"\\/Date(123)\\/"}', '{"x":null}', null, false, null, '\\N'],
    ['c', JSON.stringify(doc, null, '\t'), null, '2024-06-30T23:59:59.999999+02:00', null, -5, 'a\\nb'],
    ['d', '[]', '[]', null, true, 0, ''],
  ];
  assert.equal(await t.db.copyRows('copy_t', COLUMNS, rows), 4);
  const got = await t.db.query<any>(
    'SELECT id, j::text AS j, b, ts, flag, n, txt, d FROM copy_t ORDER BY id',
  );
  assert.deepEqual(
    got.map((r) => [r.id, r.j, r.b, r.ts?.toISOString() ?? null, r.flag, r.n, r.txt, r.d]),
    [
      ['a', rows[0][1], doc, '2024-01-02T03:04:05.678Z', true, 1, 'tab\there', 7],
      ['b', rows[1][1], { x: null }, null, false, null, '\\N', 7],
      ['c', rows[2][1], null, '2024-06-30T21:59:59.999Z', null, -5, 'a\\nb', 7],
      ['d', '[]', [], null, true, 0, '', 7],
    ],
  );
  assert.equal(got[1].b.x, null);
  const micro = await t.db.query<{ ts: string }>(`SELECT ts::text AS ts FROM copy_t WHERE id = 'c'`);
  assert.match(micro[0].ts, /\.999999/);
});

test('no rows: nothing is sent and 0 is returned', async () => {
  await clear();
  assert.equal(await t.db.copyRows('copy_t', COLUMNS, []), 0);
  assert.equal(await t.db.tx((q) => q.copyRows('no_such_table', ['x'], [])), 0);
});

test('a large COPY (several chunks) inside a transaction, and its rows are visible after commit', async () => {
  await clear();
  const big = JSON.stringify({ s: 'x\\y\n'.repeat(2_000) });
  const rows = Array.from({ length: 600 }, (_, i) => [`r${i}`, big, '{}', null, i % 2 === 0, i, null]);
  const n = await t.db.tx(async (q) => {
    const written = await q.copyRows('copy_t', COLUMNS, rows);
    const [{ c }] = await q.query<{ c: number }>('SELECT count(*)::int AS c FROM copy_t');
    assert.equal(c, 600);
    return written;
  });
  assert.equal(n, 600);
  assert.equal(await count(), 600);
  const same = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM copy_t WHERE j::text = $1', [
    big,
  ]);
  assert.equal(same[0].n, 600);
});

test('a duplicate key fails the COPY; under a savepoint the transaction goes on', async () => {
  await clear();
  await t.db.query(`INSERT INTO copy_t (id) VALUES ('dup')`);
  const big = JSON.stringify({ s: 'z'.repeat(5_000) });
  // The duplicate first and last, in a payload of several chunks.
  for (const at of ['first', 'last']) {
    const rows = Array.from({ length: 400 }, (_, i) => [`k${i}`, big, null, null, null, null, null]);
    if (at === 'first') rows.unshift(['dup', '{}', null, null, null, null, null]);
    else rows.push(['dup', '{}', null, null, null, null, null]);
    const code = await t.db.tx(async (q) => {
      await q.query('SAVEPOINT s');
      let err: any;
      try {
        await q.copyRows('copy_t', COLUMNS, rows);
      } catch (e) {
        err = e;
        await q.query('ROLLBACK TO SAVEPOINT s');
      }
      await q.query(`INSERT INTO copy_t (id) VALUES ('after-${at}')`);
      return err?.code;
    });
    assert.equal(code, '23505', at);
  }
  assert.deepEqual(
    (await t.db.query<{ id: string }>('SELECT id FROM copy_t ORDER BY id')).map((r) => r.id),
    ['after-first', 'after-last', 'dup'],
  );
});

test('on the pool: a failed COPY rejects, and the connections keep working', async () => {
  await clear();
  await t.db.copyRows('copy_t', COLUMNS, [['p1', '{}', null, null, null, null, null]]);
  for (let i = 0; i < 3; i++) {
    await assert.rejects(
      t.db.copyRows('copy_t', COLUMNS, [['p1', '{}', null, null, null, null, null]]),
      (e: any) => e.code === '23505',
    );
  }
  await assert.rejects(t.db.copyRows('copy_t', COLUMNS, [['p2', 'not json', null, null, null, null, null]]));
  await Promise.all(Array.from({ length: 20 }, () => t.db.query('SELECT 1')));
  assert.equal(await t.db.copyRows('copy_t', COLUMNS, [['p3', '{}', null, null, null, null, null]]), 1);
  assert.deepEqual(
    (await t.db.query<{ id: string }>('SELECT id FROM copy_t ORDER BY id')).map((r) => r.id),
    ['p1', 'p3'],
  );
});
