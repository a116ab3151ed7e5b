// Tryton's error shapes (as its server sends them) and the status rules of the default mappings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { translateRpcError } from '../../protocols/jsonrpc/index.ts';
import { purchaseStatus, receivedQuantity } from './mapping-functions.ts';
import { nestDotted, latestTimestamp } from './records.ts';
import { TRYTON_ERRORS } from './rpc.ts';

test('UserError → business_rule with message and description', () => {
  const e = translateRpcError(
    ['UserError', ['To delete purchase "3" you must cancel it.', '', null]],
    TRYTON_ERRORS,
  );
  assert.equal(e.kind, 'business_rule');
  assert.equal(e.message, 'To delete purchase "3" you must cancel it.');
  assert.equal(e.remote?.code, 'UserError');
  const d = translateRpcError(
    ['UserError', ['Not valid.', 'Pick another address.', [['party', '=', 3]]]],
    TRYTON_ERRORS,
  );
  assert.equal(d.message, 'Not valid. Pick another address.');
});

test('UserWarning → business_rule with the warning text, not its key', () => {
  const e = translateRpcError(
    ['UserWarning', ['f3d0e4.done', 'Stock moves "40u" have no origin.', '']],
    TRYTON_ERRORS,
  );
  assert.equal(e.kind, 'business_rule');
  assert.equal(e.message, 'Stock moves "40u" have no origin.');
  assert.deepEqual(e.remote?.details, {
    key: 'f3d0e4.done',
    message: 'Stock moves "40u" have no origin.',
    description: '',
  });
});

test('ConcurrencyException → conflict; unnamed server errors → remote_error', () => {
  assert.equal(
    translateRpcError(['ConcurrencyException', 'Records were modified in the meanwhile'], TRYTON_ERRORS).kind,
    'conflict',
  );
  const unknownField = translateRpcError(["'nmae'", ''], TRYTON_ERRORS);
  assert.equal(unknownField.kind, 'remote_error');
  assert.equal(unknownField.remote?.code, "'nmae'");
});

test('purchase status table', () => {
  const line = (...states: string[]) => ({ moves: states.map((state) => ({ state, quantity: 1 })) });
  assert.equal(purchaseStatus('draft', 'none', []), 'DRAFT');
  assert.equal(purchaseStatus('quotation', 'none', []), 'PENDING_APPROVAL');
  assert.equal(purchaseStatus('confirmed', 'none', []), 'APPROVED');
  assert.equal(purchaseStatus('processing', 'waiting', [line('draft'), line('draft')]), 'APPROVED');
  assert.equal(purchaseStatus('processing', 'waiting', [line('done'), line('draft')]), 'PARTIALLY_RECEIVED');
  assert.equal(purchaseStatus('processing', 'exception', [line('done', 'cancelled')]), 'PARTIALLY_RECEIVED');
  assert.equal(purchaseStatus('processing', 'received', [line('done')]), 'RECEIVED');
  assert.equal(purchaseStatus('done', 'received', [line('done')]), 'CLOSED');
  assert.equal(purchaseStatus('cancelled', 'none', []), 'CANCELLED');
  assert.equal(purchaseStatus('archived', 'none', []), null);
  assert.equal(purchaseStatus(null, null, null), null);
});

test('received quantity counts done moves only', () => {
  assert.equal(
    receivedQuantity([
      { state: 'done', quantity: 0.1 },
      { state: 'done', quantity: 0.2 },
      { state: 'draft', quantity: 5 },
    ]),
    0.3,
  );
  assert.equal(receivedQuantity(null), 0);
});

test('dotted reads nest under the field; the latest related timestamp is the update time', () => {
  const dt = (second: number) => ({
    __class__: 'datetime',
    year: 2026,
    month: 1,
    day: 1,
    hour: 0,
    minute: 0,
    second,
    microsecond: 0,
  });
  const row = {
    id: 1,
    party: 7,
    'party.': { id: 7, name: 'Acme', 'country.': { id: 2, code: 'DE' } },
    'lines.': [{ id: 3, write_date: dt(9), 'moves.': [{ id: 4, write_date: dt(30) }] }],
    write_date: null,
    create_date: dt(1),
    total: { __class__: 'Decimal', decimal: '1.00' },
  };
  const data = nestDotted(row) as Record<string, unknown>;
  assert.deepEqual(data.party, { id: 7, name: 'Acme', country: { id: 2, code: 'DE' } });
  assert.deepEqual(data.total, { __class__: 'Decimal', decimal: '1.00' });
  assert.equal(
    latestTimestamp(data, ['create_date', 'write_date', 'lines.write_date']),
    '2026-01-01T00:00:09.000Z',
  );
  assert.equal(latestTimestamp(data, ['create_date', 'lines.moves.write_date']), '2026-01-01T00:00:30.000Z');
  assert.equal(latestTimestamp(data, ['write_date']), null);
});
