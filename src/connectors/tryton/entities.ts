// What the connector reads from Tryton per unified entity: the model, the fields (dotted fields pull
// related records into the same call) and the timestamps that reveal a change. A record's change can
// live in a related row (a purchase line, a receipt move, a product template, a party address), so
// incremental reads look at those timestamps too.
import type { Context } from './rpc.ts';

export interface ModelSpec {
  model: string;
  fields: string[];
  /** Timestamp fields (dotted through relations) whose change makes the record changed. */
  changePaths: string[];
  /** Context of every read, e.g. `active_test: false` so archived records stay visible. */
  context?: Context;
  /** Domain every read applies. */
  domain?: unknown[];
}

const ADDRESS = ['name', 'street', 'city', 'postal_code', 'country.code', 'country.name', 'subdivision.name'];
const at = (prefix: string, fields: string[]): string[] => fields.map((f) => `${prefix}.${f}`);

export const PURCHASE: ModelSpec = {
  model: 'purchase.purchase',
  fields: [
    'id',
    'number',
    'reference',
    'description',
    'state',
    'shipment_state',
    'invoice_state',
    'invoice_method',
    'purchase_date',
    'delivery_date',
    'comment',
    'create_date',
    'write_date',
    'party.name',
    'party.code',
    ...at('invoice_address', ADDRESS),
    'warehouse.name',
    'warehouse.code',
    ...at('warehouse.address', ADDRESS),
    'company.party.name',
    ...at('company.party.addresses', ADDRESS),
    'currency.code',
    'payment_term.name',
    'untaxed_amount',
    'tax_amount',
    'total_amount',
    'quoted_by.rec_name',
    'confirmed_by.rec_name',
    'create_uid.name',
    'lines.sequence',
    'lines.type',
    'lines.description',
    'lines.note',
    'lines.quantity',
    'lines.unit_price',
    'lines.amount',
    'lines.delivery_date',
    'lines.to_location',
    'lines.product.code',
    'lines.product.name',
    'lines.unit.symbol',
    'lines.unit.name',
    'lines.write_date',
    'lines.moves.state',
    'lines.moves.quantity',
    'lines.moves.effective_date',
    'lines.moves.write_date',
  ],
  changePaths: ['create_date', 'write_date', 'lines.write_date', 'lines.moves.write_date'],
};

export const PARTY: ModelSpec = {
  model: 'party.party',
  fields: [
    'id',
    'code',
    'name',
    'active',
    'email',
    'phone',
    'website',
    'tax_identifier.code',
    'tax_identifier.type',
    'supplier_payment_term.name',
    'categories.name',
    ...at('addresses', ADDRESS),
    'addresses.write_date',
    'contact_mechanisms.write_date',
    'create_date',
    'write_date',
  ],
  changePaths: ['create_date', 'write_date', 'addresses.write_date', 'contact_mechanisms.write_date'],
  context: { active_test: false },
};

export const PRODUCT: ModelSpec = {
  model: 'product.product',
  fields: [
    'id',
    'code',
    'name',
    'description',
    'type',
    'consumable',
    'active',
    'cost_price',
    'list_price',
    'default_uom.symbol',
    'default_uom.name',
    'purchase_uom.symbol',
    'account_category.name',
    'categories.name',
    'template.write_date',
    'create_date',
    'write_date',
  ],
  changePaths: ['create_date', 'write_date', 'template.write_date'],
  context: { active_test: false },
};

/** Locations that hold or group stock; supplier, customer, lost-and-found and drop are virtual. */
export const LOCATION_TYPES = ['warehouse', 'storage', 'production', 'view'];

export const LOCATION: ModelSpec = {
  model: 'stock.location',
  fields: [
    'id',
    'name',
    'code',
    'type',
    'active',
    'parent',
    'warehouse',
    ...at('address', ADDRESS),
    'create_date',
    'write_date',
  ],
  changePaths: ['create_date', 'write_date'],
  context: { active_test: false },
  domain: [['type', 'in', LOCATION_TYPES]],
};

export const ASSET: ModelSpec = {
  model: 'account.asset',
  fields: [
    'id',
    'number',
    'state',
    'value',
    'depreciated_amount',
    'residual_value',
    'purchase_date',
    'start_date',
    'end_date',
    'depreciation_method',
    'frequency',
    'comment',
    'quantity',
    'unit.symbol',
    'product.code',
    'product.name',
    'product.account_category.name',
    'company.currency.code',
    'create_date',
    'write_date',
  ],
  changePaths: ['create_date', 'write_date'],
};

/** Stock of one product in one storage location (with_childs off: each location's own stock). */
export const STOCK_PRODUCT_FIELDS = [
  'id',
  'code',
  'name',
  'default_uom.symbol',
  'quantity',
  'forecast_quantity',
];
