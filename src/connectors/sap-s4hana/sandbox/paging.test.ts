// Server-driven paging: __next with $skiptoken, and the delta-read fast path agreeing with the
// general filter evaluator.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { csrf, get, ms, send, start, svc } from './test-support.ts';

const sb = await start({ pageSize: 25 });
after(() => sb.close());
const MO = `${svc(sb, 'API_MAINTENANCEORDER')}/MaintenanceOrder`;

async function readAll(url: string): Promise<{ rows: any[]; pages: number; count?: string }> {
  const rows: any[] = [];
  let pages = 0;
  let count: string | undefined;
  let next: string | undefined = url;
  while (next) {
    const r = await get(next);
    assert.equal(r.status, 200, r.text.slice(0, 200));
    rows.push(...r.body.d.results);
    count ??= r.body.d.__count;
    pages++;
    next = r.body.d.__next;
    if (next)
      assert.match(
        next,
        /^http:\/\/127\.0\.0\.1:\d+\/sap\/opu\/odata\/sap\/API_MAINTENANCEORDER\/MaintenanceOrder\?.*\$skiptoken=\d+/,
      );
  }
  return { rows, pages, count };
}

test('a result larger than the page size comes in pages linked by __next', async () => {
  const { rows, pages, count } = await readAll(`${MO}?$inlinecount=allpages&$select=MaintenanceOrder`);
  assert.equal(rows.length, 200);
  assert.equal(pages, 8);
  assert.equal(count, '200');
  assert.equal(new Set(rows.map((r) => r.MaintenanceOrder)).size, 200);
});

test('__next keeps the other query options', async () => {
  const first = await get(
    `${MO}?$filter=${encodeURIComponent("MaintenanceOrderType ne 'PM03'")}&$orderby=MaintenanceOrder desc&$select=MaintenanceOrder,MaintenanceOrderType`,
  );
  const next = first.body.d.__next as string;
  assert.match(decodeURIComponent(next), /\$filter=MaintenanceOrderType ne 'PM03'/);
  assert.match(decodeURIComponent(next), /\$orderby=MaintenanceOrder desc/);
  const second = await get(next);
  assert.ok(
    second.body.d.results.every((r: any) => r.MaintenanceOrderType !== 'PM03' && Object.keys(r).length === 3),
  );
  assert.ok(second.body.d.results[0].MaintenanceOrder < first.body.d.results.at(-1).MaintenanceOrder);
});

test('$top below the page size means a single page; above it pages up to $top', async () => {
  const small = await get(`${MO}?$top=10`);
  assert.equal(small.body.d.results.length, 10);
  assert.equal(small.body.d.__next, undefined);
  const { rows, pages } = await readAll(`${MO}?$top=60&$skip=10&$select=MaintenanceOrder`);
  assert.equal(rows.length, 60);
  assert.equal(pages, 3);
  assert.equal(rows[0].MaintenanceOrder, '4000011');
  assert.equal(rows.at(-1).MaintenanceOrder, '4000070');
});

test('delta read by LastChangeDateTime: indexed path equals the general evaluator', async () => {
  const all = (await readAll(`${MO}?$select=MaintenanceOrder,LastChangeDateTime`)).rows;
  const cut = new Date(Date.UTC(2025, 2, 1));
  const lit = `datetimeoffset'${cut.toISOString().slice(0, 19)}Z'`;
  const fast = await readAll(
    `${MO}?$filter=${encodeURIComponent(`LastChangeDateTime ge ${lit}`)}&$orderby=LastChangeDateTime asc&$inlinecount=allpages&$select=MaintenanceOrder,LastChangeDateTime`,
  );
  const slow = await readAll(
    `${MO}?$filter=${encodeURIComponent(`LastChangeDateTime ge ${lit} and MaintenanceOrderType ne 'XX'`)}&$orderby=LastChangeDateTime asc&$select=MaintenanceOrder,LastChangeDateTime`,
  );
  const expected = all.filter((r) => ms(r.LastChangeDateTime) >= cut.getTime());
  assert.ok(
    expected.length > 20 && expected.length < 200,
    `a 90-day window holds part of the data (${expected.length})`,
  );
  assert.equal(fast.count, String(expected.length));
  assert.deepEqual(
    fast.rows.map((r) => r.MaintenanceOrder),
    slow.rows.map((r) => r.MaintenanceOrder),
  );
  assert.deepEqual(
    fast.rows.map((r) => r.MaintenanceOrder).sort(),
    expected.map((r) => r.MaintenanceOrder).sort(),
  );
  const times = fast.rows.map((r) => ms(r.LastChangeDateTime));
  assert.deepEqual(
    times,
    [...times].sort((a, b) => a - b),
  );
});

test('$skiptoken past the end gives an empty page; a bad one is a 400', async () => {
  const r = await get(`${MO}?$skiptoken=5000`);
  assert.deepEqual(r.body.d.results, []);
  assert.equal((await get(`${MO}?$skiptoken=abc`)).status, 400);
});

test('records changing while a client pages are neither skipped nor repeated', async () => {
  let next: string | undefined =
    `${MO}?$filter=${encodeURIComponent("LastChangeDateTime ge datetimeoffset'2000-01-01T00:00:00Z'")}&$orderby=LastChangeDateTime&$select=MaintenanceOrder`;
  const seen: string[] = [];
  let page = 0;
  while (next) {
    const r = await get(next);
    seen.push(...r.body.d.results.map((x: any) => x.MaintenanceOrder));
    next = r.body.d.__next;
    if (++page === 2) {
      const t = await fetch(`${sb.url}/__sandbox/tick`, {
        method: 'POST',
        body: JSON.stringify({ count: 60 }),
      });
      assert.equal(t.status, 200);
    }
  }
  assert.equal(seen.length, 200);
  assert.equal(new Set(seen).size, 200);
});

test('pages rendered ahead never serve stale data', async () => {
  const f = encodeURIComponent(
    "MaintenanceOrder ge '4000026' and MaintenanceOrder le '4000050' and MaintOrdProcessPhaseCode eq '03'",
  );
  const target = (await get(`${MO}?$filter=${f}&$top=1`)).body.d.results[0];
  const pos = Number(target.MaintenanceOrder) - 4000001;
  const first = await get(`${MO}?$orderby=MaintenanceOrder&$select=MaintenanceOrder,MaintenanceOrderDesc`);
  const chunk = await get(
    `${MO}?$orderby=MaintenanceOrder&$top=25&$skip=0&$select=MaintenanceOrder,MaintenanceOrderDesc`,
  );
  assert.equal(chunk.body.d.results.length, 25);
  // Let the sandbox render the next page and the next chunk ahead.
  await new Promise((r) => setTimeout(r, 50));
  const s = await csrf(sb, 'API_MAINTENANCEORDER');
  const changed = await send(
    'PATCH',
    target.__metadata.uri,
    { MaintenanceOrderDesc: 'Changed after page 1' },
    { session: s, ifMatch: target.__metadata.etag },
  );
  assert.equal(changed.status, 204, changed.text);
  const second = await get(first.body.d.__next);
  assert.equal(second.body.d.results[pos - 25].MaintenanceOrderDesc, 'Changed after page 1');
  const nextChunk = await get(
    `${MO}?$orderby=MaintenanceOrder&$top=25&$skip=25&$select=MaintenanceOrder,MaintenanceOrderDesc`,
  );
  assert.equal(nextChunk.body.d.results[pos - 25].MaintenanceOrderDesc, 'Changed after page 1');
});
