import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  sapAssetStatus,
  sapEarliestDelivery,
  sapLineAmount,
  sapPoStatus,
  sapPoTotal,
  sapText,
  sapUnitPrice,
  sapVendorStatus,
  sapWoActual,
  sapWoComponents,
  sapWoHours,
  sapWoStatus,
} from './mapping-functions.ts';

const item = (o: Record<string, unknown>) => ({
  PurchasingDocumentDeletionCode: '',
  IsCompletelyDelivered: false,
  IsFinallyInvoiced: false,
  ...o,
});

test('prices are per price unit; amounts and totals skip deleted items', () => {
  assert.equal(sapUnitPrice('250.00', '100'), 2.5);
  assert.equal(sapUnitPrice('12.5', '0'), 12.5);
  assert.equal(sapUnitPrice(null, '1'), null);
  assert.equal(sapLineAmount('3', '0.1', '1'), 0.3);
  assert.equal(sapLineAmount('10', '250', '100'), 25);
  const items = {
    results: [
      item({ OrderQuantity: '2', NetPriceAmount: '10.5', NetPriceQuantity: '1' }),
      item({
        OrderQuantity: '1',
        NetPriceAmount: '99',
        NetPriceQuantity: '1',
        PurchasingDocumentDeletionCode: 'L',
      }),
      item({ OrderQuantity: '4', NetPriceAmount: '1.25', NetPriceQuantity: '1' }),
    ],
  };
  assert.equal(sapPoTotal(items), 26);
  assert.equal(sapPoTotal({ results: [] }), null);
});

test('purchase order status follows deletion, deliveries, invoices and the release state', () => {
  assert.equal(
    sapPoStatus({ PurchasingDocumentDeletionCode: 'L', PurchasingProcessingStatus: '05' }),
    'CANCELLED',
  );
  assert.equal(sapPoStatus({ PurchasingProcessingStatus: '01' }), 'DRAFT');
  assert.equal(sapPoStatus({ PurchasingProcessingStatus: '08' }), 'DRAFT');
  assert.equal(sapPoStatus({ PurchasingProcessingStatus: '03' }), 'PENDING_APPROVAL');
  assert.equal(
    sapPoStatus({ PurchasingProcessingStatus: '02', ReleaseIsNotCompleted: true }),
    'PENDING_APPROVAL',
  );
  assert.equal(sapPoStatus({ PurchasingProcessingStatus: '05' }), 'APPROVED');
  assert.equal(
    sapPoStatus({ PurchasingProcessingStatus: '02', to_PurchaseOrderItem: { results: [item({})] } }),
    'APPROVED',
  );
  const two = (a: Record<string, unknown>, b: Record<string, unknown>) => ({
    PurchasingProcessingStatus: '05',
    to_PurchaseOrderItem: { results: [item(a), item(b)] },
  });
  assert.equal(sapPoStatus(two({ IsCompletelyDelivered: true }, {})), 'PARTIALLY_RECEIVED');
  assert.equal(
    sapPoStatus(two({ IsCompletelyDelivered: true }, { IsCompletelyDelivered: true })),
    'RECEIVED',
  );
  assert.equal(
    sapPoStatus(
      two({ IsCompletelyDelivered: true, IsFinallyInvoiced: true }, { PurchasingDocumentDeletionCode: 'L' }),
    ),
    'CLOSED',
    'deleted lines do not hold an order open',
  );
  assert.equal(sapPoStatus({ PurchasingProcessingStatus: '99' }), null);
  assert.equal(sapPoStatus(null), null);
});

test('earliest delivery date from schedule lines', () => {
  const items = {
    results: [
      { to_ScheduleLine: { results: [{ ScheduleLineDeliveryDate: '/Date(1706745600000)/' }] } },
      {
        to_ScheduleLine: {
          results: [
            { ScheduleLineDeliveryDate: '/Date(1704067200000)/' },
            { ScheduleLineDeliveryDate: null },
          ],
        },
      },
    ],
  };
  assert.equal(sapEarliestDelivery(items), '2024-01-01');
  assert.equal(sapEarliestDelivery(items.results[0].to_ScheduleLine), '2024-02-01');
  assert.equal(sapEarliestDelivery(null), null);
});

test('maintenance order status from the system status line', () => {
  assert.equal(sapWoStatus('CRTD MANC NMAT'), 'REQUESTED');
  assert.equal(sapWoStatus('REL PRC SETC'), 'SCHEDULED');
  assert.equal(sapWoStatus('REL PCNF PRC'), 'IN_PROGRESS');
  assert.equal(sapWoStatus('REL CNF PRC'), 'COMPLETED');
  assert.equal(sapWoStatus('TECO PRC'), 'COMPLETED');
  assert.equal(sapWoStatus('CLSD'), 'CLOSED');
  assert.equal(sapWoStatus('REL DLFL'), 'CANCELLED');
  assert.equal(sapWoStatus('REL LKD PRC'), 'ON_HOLD');
  assert.equal(sapWoStatus('REL PRC', '/Date(1704103200000+0000)/'), 'COMPLETED');
  assert.equal(sapWoStatus('XXXX'), null);
  assert.equal(sapWoStatus(''), null);
});

test('work order components, hours and actual dates come from the operations', () => {
  const order = {
    to_MaintenanceOrderOperation: {
      results: [
        {
          MaintOrdOperationWorkDuration: '2.5',
          MaintOrdOpWorkDurationUnit: 'H',
          ActualWorkQuantity: '1',
          OpActualExecutionStartDateTime: '/Date(1704103200000+0000)/',
          OpActualExecutionEndDateTime: '/Date(1704110400000+0000)/',
          to_MaintOrderOpComponent_2: { results: [{ Product: 'P1' }, { Product: 'P2', IsDeleted: true }] },
        },
        {
          MaintOrdOperationWorkDuration: '30',
          MaintOrdOpWorkDurationUnit: 'MIN',
          ActualWorkQuantity: null,
          OpActualExecutionStartDateTime: '/Date(1704099600000+0000)/',
          OpActualExecutionEndDateTime: null,
          to_MaintOrderOpComponent_2: { results: [{ Product: 'P3' }] },
        },
      ],
    },
  };
  assert.deepEqual(
    sapWoComponents(order).map((c) => c.Product),
    ['P1', 'P3'],
  );
  assert.equal(sapWoHours(order.to_MaintenanceOrderOperation, 'planned'), 3);
  assert.equal(sapWoHours(order.to_MaintenanceOrderOperation, 'actual'), 1);
  assert.equal(sapWoHours({ results: [] }, 'actual'), null);
  assert.equal(sapWoActual(order.to_MaintenanceOrderOperation, 'start'), '2024-01-01T09:00:00.000Z');
  assert.equal(sapWoActual(order.to_MaintenanceOrderOperation, 'end'), '2024-01-01T12:00:00.000Z');
});

test('texts, vendor and asset status', () => {
  const d = {
    results: [
      { Language: 'DE', ProductDescription: 'Pumpe' },
      { Language: 'EN', ProductDescription: 'Pump' },
    ],
  };
  assert.equal(sapText(d, 'EN'), 'Pump');
  assert.equal(sapText(d, 'FR'), 'Pumpe');
  assert.equal(sapText(null, 'EN'), null);
  assert.equal(sapVendorStatus({ DeletionIndicator: false, PurchasingIsBlocked: false }), 'ACTIVE');
  assert.equal(sapVendorStatus({ PurchasingIsBlocked: true }), 'BLOCKED');
  assert.equal(sapVendorStatus({ DeletionIndicator: true, PurchasingIsBlocked: true }), 'INACTIVE');
  assert.equal(sapAssetStatus({ EquipmentIsInactive: true }), 'INACTIVE');
  assert.equal(sapAssetStatus({ EquipmentIsMarkedForDeletion: true }), 'DECOMMISSIONED');
  assert.equal(sapAssetStatus({}), 'ACTIVE');
});
