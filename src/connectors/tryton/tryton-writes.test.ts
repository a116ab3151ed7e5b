// Purchase writes through the connector against the real trytond, checked through Tryton's own API.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { compileMapping } from '../../mappings/index.ts';
import { isConnectorError } from '../errors.ts';
import type { ConnectorErrorKind } from '../errors.ts';
import type { ConnectorSession, SourceRecord } from '../types.ts';
import { tryton } from './index.ts';
import { sandboxConnection, startTryton } from './sandbox/index.ts';
import type { TrytonSandbox } from './sandbox/index.ts';
import { trytonLogin } from './sandbox/raw-rpc.ts';
import type { TrytonRaw, TrytonRawError } from './sandbox/raw-rpc.ts';
import { translateRpcError } from '../../protocols/jsonrpc/index.ts';
import { TRYTON_ERRORS } from './rpc.ts';

let sb: TrytonSandbox;
let raw: TrytonRaw;
let session: ConnectorSession;
const ids: Record<string, number> = {};

before(async () => {
  sb = await startTryton();
  raw = await trytonLogin(sb.url, sb.database, sb.user, sb.password);
  session = tryton.open(sandboxConnection(sb));
  const find = async (model: string, domain: unknown[]) =>
    (await raw.call<{ id: number }[]>(`model.${model}.search_read`, [domain, 0, 1, null, ['id']]))[0].id;
  ids.acme = await find('party.party', [['name', '=', 'Acme Industrial Supply']]);
  ids.nordhafen = await find('party.party', [['name', '=', 'Nordhafen Hydraulik GmbH']]);
  ids.bearing = await find('product.product', [['code', '=', 'BRG-6204']]);
  ids.seal = await find('product.product', [['code', '=', 'SEAL-P100']]);
  ids.net30 = await find('account.invoice.payment_term', [['name', '=', 'Net 30 days']]);
});
after(async () => {
  await session?.close?.();
  await sb?.close();
});

interface TrytonPurchase {
  id: number;
  state: string;
  number: string | null;
  party: number;
  invoice_address: number | null;
  payment_term: number | null;
  comment: string | null;
  purchase_date: unknown;
  lines: number[];
}
interface TrytonLine {
  id: number;
  product: number | null;
  quantity: number;
  unit_price: { decimal: string };
  description: string;
  unit: number;
  sequence: number | null;
}

async function trytonPurchase(id: number): Promise<TrytonPurchase | undefined> {
  const fields = [
    'state',
    'number',
    'party',
    'invoice_address',
    'payment_term',
    'comment',
    'purchase_date',
    'lines',
  ];
  const rows = await raw.call<TrytonPurchase[]>('model.purchase.purchase.search_read', [
    [['id', '=', id]],
    0,
    1,
    null,
    fields,
  ]);
  return rows[0];
}
async function trytonLines(purchase: number): Promise<TrytonLine[]> {
  return raw.call<TrytonLine[]>('model.purchase.line.search_read', [
    [['purchase', '=', purchase]],
    0,
    null,
    [
      ['sequence', 'ASC'],
      ['id', 'ASC'],
    ],
    ['product', 'quantity', 'unit_price', 'description', 'unit', 'sequence'],
  ]);
}

async function refused(p: Promise<unknown>, kind: ConnectorErrorKind, message?: RegExp): Promise<void> {
  await assert.rejects(p, (e) => {
    assert.ok(isConnectorError(e), String(e));
    assert.equal(e.kind, kind, e.message);
    if (message) assert.match(e.message, message);
    return true;
  });
}

const status = (r: SourceRecord) =>
  compileMapping(tryton.mappings.purchase_orders!, { functions: tryton.mappingFunctions }).apply(r.data, {
    connectionId: 'c',
  }).values.status;

async function draft(extra: Record<string, unknown> = {}): Promise<SourceRecord> {
  const { record } = await session.create!('purchase_orders', {
    vendor_id: String(ids.acme),
    order_date: '2026-04-01',
    notes: 'Quarterly bearings',
    lines: [
      { item_id: String(ids.bearing), quantity: 25, unit_price: 4.05 },
      {
        item_id: String(ids.seal),
        quantity: 2,
        unit_price: '83.50',
        description: 'Seal kits for P100 pumps',
      },
    ],
    ...extra,
  });
  return record;
}

test('create: a draft with lines lands in Tryton in one piece, with what the client would fill in', async () => {
  const record = await draft();
  assert.equal(status(record), 'DRAFT');
  const p = (await trytonPurchase(Number(record.remoteId)))!;
  assert.equal(p.state, 'draft');
  assert.equal(p.party, ids.acme);
  assert.equal(p.comment, 'Quarterly bearings');
  assert.deepEqual(p.purchase_date, { __class__: 'date', year: 2026, month: 4, day: 1 });
  assert.ok(p.invoice_address, 'the supplier address is the invoice address');
  assert.equal(p.payment_term, ids.net30, "the supplier's payment term");
  const lines = await trytonLines(p.id);
  assert.deepEqual(
    lines.map((l) => [l.sequence, l.product, l.quantity, Number(l.unit_price.decimal), l.description]),
    [
      [1, ids.bearing, 25, 4.05, 'Ball bearing 6204-2RS'],
      [2, ids.seal, 2, 83.5, 'Seal kits for P100 pumps'],
    ],
  );
  assert.ok(lines.every((l) => l.unit));
});

test('create refuses bad input before anything reaches Tryton', async () => {
  const before = (await raw.call<unknown[]>('model.purchase.purchase.search', [[]])).length;
  await refused(draft({ vendor_id: '999999' }), 'invalid_input', /vendor 999999/);
  await refused(
    draft({ lines: [{ item_id: '999999', quantity: 1, unit_price: 1 }] }),
    'invalid_input',
    /999999/,
  );
  await refused(
    draft({ lines: [{ item_id: String(ids.bearing), unit_price: 1 }] }),
    'invalid_input',
    /quantity/,
  );
  await refused(draft({ status: 'APPROVED' }), 'field_not_writable', /status/);
  await refused(
    draft({ lines: [{ item_id: String(ids.bearing), quantity: 1, received_quantity: 1 }] }),
    'field_not_writable',
  );
  await refused(session.create!('vendors', { name: 'x' }), 'not_supported');
  assert.equal((await raw.call<unknown[]>('model.purchase.purchase.search', [[]])).length, before);
});

test('update of a draft: header fields and a new set of lines', async () => {
  const record = await draft();
  const id = Number(record.remoteId);
  const oldLines = (await trytonLines(id)).map((l) => l.id);
  const { record: updated } = await session.update!('purchase_orders', record.remoteId, {
    vendor_id: String(ids.nordhafen),
    notes: 'Switched supplier',
    lines: [{ item_code: 'OIL-VG46', quantity: 60, unit_price: 2.99 }],
  });
  assert.equal((updated.data.party as { id: number }).id, ids.nordhafen);
  const p = (await trytonPurchase(id))!;
  assert.equal(p.party, ids.nordhafen);
  assert.equal(p.comment, 'Switched supplier');
  const lines = await trytonLines(id);
  assert.equal(lines.length, 1);
  assert.equal(lines[0].quantity, 60);
  assert.ok(!oldLines.includes(lines[0].id));
  const gone = await raw.call<unknown[]>('model.purchase.line.search', [[['id', 'in', oldLines]]]);
  assert.deepEqual(gone, []);
});

test('quote and confirm move the state; then Tryton refuses changes and nothing is written', async () => {
  const record = await draft();
  const id = record.remoteId;
  const quoted = await session.action!('purchase_orders', id, 'quote');
  assert.equal(quoted.record.data.state, 'quotation');
  assert.equal(status(quoted.record), 'PENDING_APPROVAL');
  assert.ok(quoted.record.data.number, 'Tryton numbers a purchase when it is quoted');
  const confirmed = await session.action!('purchase_orders', id, 'confirm');
  assert.ok(['confirmed', 'processing'].includes(String(confirmed.record.data.state)));
  assert.equal(status(confirmed.record), 'APPROVED');

  const before = (await trytonPurchase(Number(id)))!;
  const linesBefore = await trytonLines(Number(id));
  await refused(
    session.update!('purchase_orders', id, {
      notes: 'changed after confirmation',
      lines: [{ item_id: String(ids.seal), quantity: 99, unit_price: 1 }],
    }),
    'business_rule',
    /To modify the header of purchase "[^"]+", it must be in draft state\./,
  );
  assert.deepEqual(await trytonPurchase(Number(id)), before);
  assert.deepEqual(await trytonLines(Number(id)), linesBefore);

  // Tryton's own refusal to delete, and the workflow refusing a step out of order.
  await refused(session.delete!('purchase_orders', id), 'business_rule', /you must cancel it/);
  assert.ok(await trytonPurchase(Number(id)));
  await refused(session.action!('purchase_orders', id, 'quote'), 'business_rule', /only in state "draft"/);
  await refused(session.action!('purchase_orders', id, 'approve'), 'not_supported');
});

test('Tryton rules on confirming come back as business_rule with its message', async () => {
  const record = await draft();
  // A purchase without an invoice address can be quoted but not confirmed: Tryton says so itself.
  await raw.call('model.purchase.purchase.write', [[Number(record.remoteId)], { invoice_address: null }]);
  await session.action!('purchase_orders', record.remoteId, 'quote');
  await refused(
    session.action!('purchase_orders', record.remoteId, 'confirm'),
    'business_rule',
    /Invoice Address/,
  );
  assert.equal((await trytonPurchase(Number(record.remoteId)))!.state, 'quotation');
});

test('delete of a draft removes it from Tryton; a missing purchase is not_found', async () => {
  const record = await draft();
  await session.delete!('purchase_orders', record.remoteId);
  assert.equal(await trytonPurchase(Number(record.remoteId)), undefined);
  assert.equal(await session.get('purchase_orders', record.remoteId), null);
  await refused(session.delete!('purchase_orders', record.remoteId), 'not_found');
  await refused(session.update!('purchase_orders', 'abc', { notes: 'x' }), 'not_found');
});

test('cancel of a draft, and changes of a purchase changed meanwhile are a conflict', async () => {
  const record = await draft();
  const cancelled = await session.action!('purchase_orders', record.remoteId, 'cancel');
  assert.equal(status(cancelled.record), 'CANCELLED');
  await refused(
    session.update!('purchase_orders', record.remoteId, { notes: 'x' }),
    'business_rule',
    /draft state/,
  );

  // The connector writes with Tryton's timestamp check; a stale timestamp gets Tryton's
  // ConcurrencyException, which the connector's error rules turn into a conflict.
  const other = await draft();
  const id = Number(other.remoteId);
  const [row] = await raw.call<{ _timestamp: string }[]>('model.purchase.purchase.read', [
    [id],
    ['_timestamp'],
  ]);
  await new Promise((r) => setTimeout(r, 1100)); // SQLite timestamps of Tryton count whole seconds
  await raw.call('model.purchase.purchase.write', [[id], { comment: 'edited in Tryton' }]);
  const stale = raw.call('model.purchase.purchase.write', [[id], { comment: 'stale' }], {
    _timestamp: { [`purchase.purchase,${id}`]: row._timestamp },
  });
  const answer = await stale.then(
    () => assert.fail('Tryton accepted a stale write'),
    (e: TrytonRawError) => e.error,
  );
  const translated = translateRpcError(answer, TRYTON_ERRORS);
  assert.equal(translated.kind, 'conflict');
  assert.equal(translated.message, 'Records were modified in the meanwhile');
  assert.equal((await trytonPurchase(id))!.comment, 'edited in Tryton');
});
