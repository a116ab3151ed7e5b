// The unified model of SPEC §3: one Zod schema per entity, the single source for validation,
// TypeScript types and the OpenAPI components.
import { z } from 'zod';
import { Address, commonFields, date, dateTime, num, oneOf, ref, text } from './common.ts';

export const PurchaseOrderLine = z
  .object({
    line_number: text('Line number in the source'),
    item_id: ref('item'),
    item_code: text('Item code as in the source'),
    description: text('Line description'),
    quantity: num('Ordered quantity'),
    unit_of_measure: text('Unit of measure'),
    unit_price: num('Net price per unit'),
    amount: num('Net line amount'),
    delivery_date: date('Expected delivery date of the line'),
    received_quantity: num('Quantity received so far'),
    location_id: ref('receiving location'),
  })
  .meta({ id: 'PurchaseOrderLine' });

export const PurchaseOrder = z
  .object({
    ...commonFields,
    number: text('Purchase order number'),
    status: oneOf(
      ['DRAFT', 'PENDING_APPROVAL', 'APPROVED', 'PARTIALLY_RECEIVED', 'RECEIVED', 'CLOSED', 'CANCELLED'],
      'Life-cycle status mapped from the source',
    ),
    vendor_id: ref('vendor'),
    order_date: date('Order date'),
    required_date: date('Date the goods are required'),
    delivery_date: date('Expected delivery date'),
    currency: text('ISO 4217 currency code'),
    total_amount: num('Net total of the order'),
    payment_terms: text('Payment terms key or text'),
    ship_to: Address.nullable().describe('Delivery address'),
    bill_to: Address.nullable().describe('Invoicing address'),
    buyer: text('Buyer or purchasing group'),
    notes: text('Free text'),
    lines: z.array(PurchaseOrderLine).describe('Order lines'),
  })
  .meta({ id: 'PurchaseOrder' });

export const WorkOrderPart = z
  .object({
    item_id: ref('item'),
    quantity: num('Required quantity'),
    unit_of_measure: text('Unit of measure'),
  })
  .meta({ id: 'WorkOrderPart' });

export const WorkOrder = z
  .object({
    ...commonFields,
    number: text('Work order number'),
    title: text('Short text'),
    description: text('Long description'),
    status: oneOf(
      ['REQUESTED', 'APPROVED', 'SCHEDULED', 'IN_PROGRESS', 'ON_HOLD', 'COMPLETED', 'CLOSED', 'CANCELLED'],
      'Life-cycle status mapped from the source',
    ),
    priority: oneOf(['LOW', 'MEDIUM', 'HIGH', 'URGENT'], 'Priority'),
    type: oneOf(
      ['CORRECTIVE', 'PREVENTIVE', 'PREDICTIVE', 'INSPECTION', 'EMERGENCY', 'OTHER'],
      'Maintenance type',
    ),
    asset_id: ref('asset worked on'),
    location_id: ref('location'),
    assigned_to: text('Person or work center responsible'),
    requested_by: text('Requester'),
    scheduled_start: dateTime('Planned start'),
    scheduled_end: dateTime('Planned end'),
    actual_start: dateTime('Actual start'),
    actual_end: dateTime('Actual end'),
    due_date: date('Due date'),
    estimated_hours: num('Planned work in hours'),
    actual_hours: num('Actual work in hours'),
    failure_code: text('Failure or damage code'),
    parts: z.array(WorkOrderPart).describe('Parts and materials planned for the order'),
  })
  .meta({ id: 'WorkOrder' });

export const Asset = z
  .object({
    ...commonFields,
    tag: text('Asset tag or equipment number'),
    name: text('Name'),
    description: text('Description'),
    status: oneOf(['ACTIVE', 'INACTIVE', 'IN_REPAIR', 'DECOMMISSIONED'], 'Status'),
    category: text('Category or equipment type'),
    location_id: ref('location'),
    parent_id: ref('parent asset'),
    manufacturer: text('Manufacturer'),
    model: text('Model'),
    serial_number: text('Serial number'),
    install_date: date('Installation or start-up date'),
    criticality: text('Criticality or ABC indicator'),
    purchase_cost: num('Acquisition value'),
  })
  .meta({ id: 'Asset' });

export const Item = z
  .object({
    ...commonFields,
    code: text('Item or material number'),
    name: text('Name'),
    description: text('Description'),
    type: oneOf(['SPARE_PART', 'MATERIAL', 'SERVICE', 'PRODUCT'], 'Item type'),
    unit_of_measure: text('Base unit of measure'),
    unit_cost: num('Standard or list cost per unit'),
    currency: text('ISO 4217 currency code of unit_cost'),
    manufacturer: text('Manufacturer'),
    manufacturer_part_number: text('Manufacturer part number'),
  })
  .meta({ id: 'Item' });

export const Inventory = z
  .object({
    ...commonFields,
    item_id: ref('item'),
    location_id: ref('location'),
    quantity_on_hand: num('Quantity on hand'),
    quantity_reserved: num('Quantity reserved or blocked'),
    quantity_available: num('Quantity available for use'),
    reorder_point: num('Reorder point'),
    unit_of_measure: text('Unit of measure'),
    bin: text('Storage bin'),
  })
  .meta({ id: 'Inventory' });

export const Vendor = z
  .object({
    ...commonFields,
    code: text('Vendor number'),
    name: text('Name'),
    status: oneOf(['ACTIVE', 'BLOCKED', 'INACTIVE'], 'Status'),
    tax_id: text('Tax or VAT number'),
    email: text('E-mail address'),
    phone: text('Phone number'),
    address: Address.nullable().describe('Main address'),
    currency: text('Order currency'),
    payment_terms: text('Payment terms'),
  })
  .meta({ id: 'Vendor' });

export const Location = z
  .object({
    ...commonFields,
    code: text('Location code'),
    name: text('Name'),
    type: oneOf(
      ['SITE', 'PLANT', 'WAREHOUSE', 'STOREROOM', 'AREA', 'FUNCTIONAL_LOCATION'],
      'Kind of location',
    ),
    parent_id: ref('parent location'),
    address: Address.nullable().describe('Address'),
  })
  .meta({ id: 'Location' });
