// Default unified mappings of the Tryton connector, as data (src/mappings/README.md). Records are
// Tryton's reads with related records nested (see records.ts), so paths read like Tryton's own
// dotted field names: `party.name`, `lines[0].product.code`.
import type { EntityMapping } from '../../mappings/types.ts';
import type { EntityName } from '../types.ts';

/** A unified address from a nested party.address (null when there is none). */
function address(path: string): string {
  return (
    `if(${path}, {'street': ${path}.street, 'city': ${path}.city, 'postal_code': ${path}.postal_code, ` +
    `'region': ${path}.subdivision.name, 'country': ${path}.country.code}, null)`
  );
}

/**
 * Tryton purchase state → unified status (the `processing` split needs the receipts, so it is a
 * function: `tryton_purchase_status` in mapping-functions.ts):
 *   draft → DRAFT, quotation → PENDING_APPROVAL, confirmed → APPROVED,
 *   processing → APPROVED (nothing received yet) | PARTIALLY_RECEIVED (some goods received) |
 *                RECEIVED (shipment_state received: all goods in, invoicing still open),
 *   done → CLOSED (received and invoiced: nothing left to happen), cancelled → CANCELLED.
 */
export const TRYTON_MAPPINGS: Partial<Record<EntityName, EntityMapping>> = {
  purchase_orders: {
    fields: {
      number: 'number',
      status: 'tryton_purchase_status(state, shipment_state, lines)',
      vendor_id: "ref('vendors', party.id)",
      order_date: 'date(purchase_date)',
      required_date: 'date(delivery_date)',
      delivery_date: 'date(first(lines).delivery_date) ?? date(delivery_date)',
      currency: 'currency.code',
      total_amount: 'decimal(total_amount)',
      payment_terms: 'payment_term.name',
      ship_to: address('warehouse.address'),
      bill_to: address('first(company.party.addresses)'),
      buyer: 'coalesce(confirmed_by.rec_name, quoted_by.rec_name, create_uid.name)',
      notes: 'comment',
      lines: {
        each: 'lines',
        fields: {
          line_number: 'coalesce(sequence, id)',
          item_id: "ref('items', product.id)",
          item_code: 'product.code',
          description: 'description ?? product.name',
          quantity: 'number(quantity)',
          unit_of_measure: 'unit.symbol',
          unit_price: 'decimal(unit_price)',
          amount: 'decimal(amount)',
          delivery_date: 'date(delivery_date)',
          received_quantity: 'tryton_received_quantity(moves)',
          location_id: "ref('locations', coalesce(to_location, $root.warehouse.id))",
        },
      },
    },
  },
  vendors: {
    fields: {
      code: 'code',
      name: 'name',
      // Tryton has no supplier block; an archived party is inactive.
      status: "if(active, 'ACTIVE', 'INACTIVE')",
      tax_id: 'tax_identifier.code',
      email: 'email',
      phone: 'phone',
      address: address('first(addresses)'),
      currency: 'null',
      payment_terms: 'supplier_payment_term.name',
    },
  },
  items: {
    fields: {
      code: 'code',
      name: 'name',
      description: 'description',
      // Tryton knows goods, services and assets; consumable goods are materials, stocked goods parts.
      type: "map(type, {'service': 'SERVICE', 'assets': 'PRODUCT'}, if(consumable, 'MATERIAL', 'SPARE_PART'))",
      unit_of_measure: 'default_uom.symbol',
      unit_cost: 'decimal(cost_price)',
      currency: 'cost_currency',
      manufacturer: 'null',
      manufacturer_part_number: 'null',
    },
  },
  inventory: {
    fields: {
      item_id: "ref('items', product.id)",
      location_id: "ref('locations', location.id)",
      quantity_on_hand: 'number(quantity)',
      quantity_reserved: 'number(reserved_quantity)',
      quantity_available: 'number(available_quantity)',
      reorder_point: 'null',
      unit_of_measure: 'product.default_uom.symbol',
      bin: 'null',
    },
  },
  locations: {
    fields: {
      code: 'code',
      name: 'name',
      type: "map(type, {'warehouse': 'WAREHOUSE', 'storage': 'STOREROOM', 'production': 'AREA', 'view': 'SITE'})",
      parent_id: "ref('locations', parent)",
      address: address('address'),
    },
  },
  assets: {
    fields: {
      tag: 'number',
      name: 'product.name',
      description: 'comment',
      status: "map(state, {'draft': 'INACTIVE', 'running': 'ACTIVE', 'closed': 'DECOMMISSIONED'})",
      category: 'product.account_category.name',
      location_id: 'null',
      parent_id: 'null',
      manufacturer: 'null',
      model: 'null',
      serial_number: 'null',
      install_date: 'date(start_date)',
      criticality: 'null',
      purchase_cost: 'decimal(value)',
    },
  },
};
