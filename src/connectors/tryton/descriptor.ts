// What Ironbridge shows and enforces for Tryton: credential form, entities, operations, rules.
import type { EntityCapability, SystemDescriptor } from '../types.ts';
import { LINE_WRITABLE, PURCHASE_ACTIONS, PURCHASE_WRITABLE } from './purchase-writes.ts';

const readOnly = (kind: EntityCapability['kind'], incremental: boolean): EntityCapability => ({
  read: true,
  create: false,
  update: false,
  delete: false,
  incremental,
  // Tryton deletes rows for good and archives with `active`; archived records are still read.
  delete_detection: 'reconciliation',
  kind,
});

export const TRYTON_DESCRIPTOR: SystemDescriptor = {
  id: 'tryton',
  name: 'Tryton',
  category: 'ERP',
  deployments: ['cloud', 'on_premise'],
  credit_tier: 2,
  protocol: 'json-rpc',
  docs_url: 'https://docs.tryton.org/',
  credential_fields: [
    {
      name: 'database',
      label: 'Database',
      type: 'text',
      required: true,
      secret: false,
      description: 'Name of the Tryton database (the first path segment of the JSON-RPC URL).',
    },
    {
      name: 'username',
      label: 'Login',
      type: 'text',
      required: true,
      secret: false,
      description: 'Tryton user login.',
    },
    { name: 'password', label: 'Password', type: 'password', required: true, secret: true },
  ],
  capabilities: {
    purchase_orders: {
      read: true,
      create: true,
      update: true,
      delete: true,
      incremental: true,
      delete_detection: 'reconciliation',
      kind: 'transactional',
      writable_fields: [...PURCHASE_WRITABLE, ...LINE_WRITABLE.map((f) => `lines[].${f}`)],
      actions: [...PURCHASE_ACTIONS],
      rules: [
        'Only draft purchases can be changed; Tryton refuses changes to quotations and later states ("To modify the header of purchase … it must be in draft state").',
        'Updating lines replaces all lines of the draft (unified lines carry no Tryton line id).',
        'Delete: drafts and quotations (Tryton cancels them first); confirmed and later purchases must be cancelled in Tryton, which refuses otherwise.',
        'quote: draft → quotation (Tryton assigns the number and needs an invoice address and a warehouse); confirm: quotation → confirmed, then processing; cancel: draft or quotation → cancelled.',
        'A write that finds the purchase changed since it was read is refused as a conflict (Tryton timestamp check).',
        'References carry Tryton ids: vendor_id is a party id, lines[].item_id a product id.',
      ],
    },
    vendors: readOnly('reference', true),
    items: readOnly('reference', true),
    inventory: readOnly('reference', false),
    locations: readOnly('reference', true),
    assets: readOnly('reference', true),
    work_orders: {
      read: false,
      create: false,
      update: false,
      delete: false,
      incremental: false,
      delete_detection: 'none',
      kind: 'transactional',
      rules: ['Tryton has no maintenance or work-order module.'],
    },
  },
};
