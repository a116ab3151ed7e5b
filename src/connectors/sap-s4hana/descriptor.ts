// What SAP S/4HANA offers through Ironbridge: metadata, credential form, capability matrix.
import type { EntityCapability, SystemDescriptor } from '../types.ts';
import { credentialFields } from './credentials.ts';
import { PO_WRITABLE, WO_WRITABLE } from './write-input.ts';
import { WORK_ORDER_ACTIONS } from './writers.ts';

const reference = (
  incremental: boolean,
  deleteDetection: EntityCapability['delete_detection'],
): EntityCapability => ({
  read: true,
  create: false,
  update: false,
  delete: false,
  incremental,
  delete_detection: deleteDetection,
  kind: 'reference',
  select_fields: true,
});

export const descriptor: SystemDescriptor = {
  id: 'sap-s4hana',
  name: 'SAP S/4HANA',
  category: 'ERP',
  deployments: ['cloud', 'on_premise'],
  credit_tier: 3,
  protocol: 'odata-v2',
  docs_url: 'https://api.sap.com/products/SAPS4HANA/apis/ODATA',
  credential_fields: credentialFields,
  capabilities: {
    purchase_orders: {
      read: true,
      create: true,
      update: true,
      delete: false,
      incremental: true,
      delete_detection: 'marker',
      kind: 'transactional',
      writable_fields: PO_WRITABLE,
      select_fields: true,
      rules: [
        'A purchase order with deletion code L (deleted) cannot be changed; neither can its deleted lines.',
        'Purchase orders are not deleted through the API: SAP sets a deletion code instead.',
        'Company code, purchasing organization and group come from connection settings, else from the plant and the supplier’s purchasing data.',
        'Updates change header fields and existing lines by line_number; lines with a new line_number are added; lines are never removed.',
        'Delivery dates are written as the line’s first schedule line on create only.',
        'Status, number and amounts are computed by SAP (release strategy, goods receipts, invoices).',
      ],
    },
    work_orders: {
      read: true,
      create: true,
      update: true,
      delete: false,
      incremental: true,
      delete_detection: 'marker',
      kind: 'transactional',
      writable_fields: WO_WRITABLE,
      select_fields: true,
      rules: [
        'The order type (type) is set on create only.',
        'Status changes go through actions (release, technically_complete, close, ...), never through update.',
        'Maintenance orders cannot be deleted; the mark_for_deletion action sets the deletion flag (DLFL).',
        'Operations and components (parts) are maintained in SAP, not through this API.',
      ],
      actions: Object.keys(WORK_ORDER_ACTIONS),
    },
    assets: reference(true, 'marker'),
    items: reference(true, 'marker'),
    inventory: reference(false, 'reconciliation'),
    vendors: reference(false, 'marker'),
    // Locations are derived from two key-only reads (see README): nothing to narrow.
    locations: { ...reference(false, 'reconciliation'), select_fields: false },
  },
};
