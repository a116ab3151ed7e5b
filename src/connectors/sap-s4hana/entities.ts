// Where each unified entity lives in S/4HANA: service, entity set, key, expansions, order, change
// timestamp, and how a remote id, dates and deletion markers are read from an entity.
import type { EntityKey, ODataEntity, Filter } from '../../protocols/odata-v2/index.ts';
import { eq, lit, odataDateToIso } from '../../protocols/odata-v2/index.ts';
import type { EntityName } from '../types.ts';

export const SERVICES = {
  purchaseOrder: 'API_PURCHASEORDER_PROCESS_SRV',
  maintenanceOrder: 'API_MAINTENANCEORDER',
  equipment: 'API_EQUIPMENT',
  product: 'API_PRODUCT_SRV',
  stock: 'API_MATERIAL_STOCK_SRV',
  businessPartner: 'API_BUSINESS_PARTNER',
  plant: 'API_PLANT_SRV',
} as const;
export type ServiceName = (typeof SERVICES)[keyof typeof SERVICES];

export interface EntitySpec {
  entity: EntityName;
  service: ServiceName;
  set: string;
  /** Key properties in EDMX order. */
  keys: string[];
  expand?: string[];
  /**
   * `$select` with expansions: every header property (`*`), and of the expanded children only
   * what the default mappings read. Children are most of an order's bytes (an operation has 110+
   * properties); reading them whole would make syncs several times slower. See README.
   */
  select?: string[];
  /**
   * Header properties the remote id, dates and deletion marker are read from, beyond keys and the
   * change/creation stamps: always selected when a read is limited to mapped fields.
   */
  tracks?: string[];
  /** Always-on condition (e.g. only the current time slice of equipment). */
  filter?: Filter;
  /** Edm.DateTimeOffset change timestamp the set can be filtered on; absent → full reads only. */
  changedAt?: string;
  /** Creation timestamp and its EDM type, the other half of the initial-sync window. */
  createdAt?: { property: string; type: 'datetime' | 'datetimeoffset' };
  remoteId(e: ODataEntity): string;
  /** Key predicate of the record with this remote id. */
  key(remoteId: string): EntityKey;
  created(e: ODataEntity): string | null;
  updated(e: ODataEntity): string | null;
  deleted(e: ODataEntity): boolean;
}

const s = (v: unknown): string => (v == null ? '' : String(v));
const iso = (v: unknown) => odataDateToIso(v);
const never = () => false;

/** Equipment is time-dependent; the slice valid "until further notice" ends on 9999-12-31. */
export const EQUIPMENT_CURRENT = new Date('9999-12-31T00:00:00Z');

/** Stock rows are keyed by eleven fields; the remote id joins them all (URL-encoded) with '/'. */
export const STOCK_KEYS = [
  'Material',
  'Plant',
  'StorageLocation',
  'Batch',
  'Supplier',
  'Customer',
  'WBSElementInternalID',
  'SDDocument',
  'SDDocumentItem',
  'InventorySpecialStockType',
  'InventoryStockType',
];

export function stockRemoteId(e: ODataEntity): string {
  return STOCK_KEYS.map((k) => encodeURIComponent(s(e[k]))).join('/');
}

function stockKey(remoteId: string): EntityKey {
  const parts = remoteId.split('/');
  if (parts.length !== STOCK_KEYS.length)
    throw new RangeError(`inventory remote id needs ${STOCK_KEYS.length} parts`);
  return Object.fromEntries(STOCK_KEYS.map((k, i) => [k, decodeURIComponent(parts[i])]));
}

/** SystemStatusText is a blank-separated list of four-letter codes; DLFL = deletion flag. */
export function hasSystemStatus(e: ODataEntity, code: string): boolean {
  return s(e.SystemStatusText).split(/\s+/).includes(code);
}

export const SPECS: Record<Exclude<EntityName, 'locations'>, EntitySpec> = {
  purchase_orders: {
    entity: 'purchase_orders',
    service: SERVICES.purchaseOrder,
    set: 'A_PurchaseOrder',
    keys: ['PurchaseOrder'],
    expand: ['to_PurchaseOrderItem', 'to_PurchaseOrderItem/to_ScheduleLine'],
    select: [
      '*',
      ...[
        'PurchaseOrder',
        'PurchaseOrderItem',
        'Material',
        'PurchaseOrderItemText',
        'OrderQuantity',
        'PurchaseOrderQuantityUnit',
        'NetPriceAmount',
        'NetPriceQuantity',
        'DocumentCurrency',
        'Plant',
        'StorageLocation',
        'IsCompletelyDelivered',
        'IsFinallyInvoiced',
        'PurchasingDocumentDeletionCode',
        'DeliveryAddressStreetName',
        'DeliveryAddressHouseNumber',
        'DeliveryAddressCityName',
        'DeliveryAddressPostalCode',
        'DeliveryAddressRegion',
        'DeliveryAddressCountry',
        'MaterialGroup',
      ].map((p) => `to_PurchaseOrderItem/${p}`),
      ...[
        'PurchasingDocument',
        'PurchasingDocumentItem',
        'ScheduleLine',
        'ScheduleLineDeliveryDate',
        'ScheduleLineOrderQuantity',
      ].map((p) => `to_PurchaseOrderItem/to_ScheduleLine/${p}`),
    ],
    changedAt: 'LastChangeDateTime',
    createdAt: { property: 'CreationDate', type: 'datetime' },
    remoteId: (e) => s(e.PurchaseOrder),
    key: (id) => id,
    created: (e) => iso(e.CreationDate),
    updated: (e) => iso(e.LastChangeDateTime),
    // 'L' = deleted; 'S' (blocked) is not a deletion.
    tracks: ['PurchasingDocumentDeletionCode'],
    deleted: (e) => e.PurchasingDocumentDeletionCode === 'L',
  },
  work_orders: {
    entity: 'work_orders',
    service: SERVICES.maintenanceOrder,
    set: 'MaintenanceOrder',
    keys: ['MaintenanceOrder'],
    expand: ['to_MaintenanceOrderOperation', 'to_MaintenanceOrderOperation/to_MaintOrderOpComponent_2'],
    select: [
      '*',
      ...[
        'MaintenanceOrder',
        'MaintenanceOrderOperation',
        'MaintenanceOrderSubOperation',
        'OperationDescription',
        'WorkCenter',
        'MaintOrdOperationWorkDuration',
        'ActualWorkQuantity',
        'MaintOrdOpWorkDurationUnit',
        'OpActualExecutionStartDateTime',
        'OpActualExecutionEndDateTime',
        'IsMarkedForDeletion',
      ].map((p) => `to_MaintenanceOrderOperation/${p}`),
      ...[
        'MaintenanceOrder',
        'MaintenanceOrderOperation',
        'MaintenanceOrderSubOperation',
        'MaintOrderComponentInternalID',
        'MaintenanceOrderComponent',
        'Reservation',
        'ReservationItem',
        'Product',
        'MaintOrdOperationComponentText',
        'MaintOrdOpCompRequiredQuantity',
        'BaseUnit',
        'Plant',
        'StorageLocation',
        'IsDeleted',
      ].map((p) => `to_MaintenanceOrderOperation/to_MaintOrderOpComponent_2/${p}`),
    ],
    changedAt: 'LastChangeDateTime',
    createdAt: { property: 'MaintOrderCreationDateTime', type: 'datetimeoffset' },
    remoteId: (e) => s(e.MaintenanceOrder),
    key: (id) => id,
    created: (e) => iso(e.MaintOrderCreationDateTime),
    updated: (e) => iso(e.LastChangeDateTime),
    tracks: ['SystemStatusText'],
    deleted: (e) => hasSystemStatus(e, 'DLFL'),
  },
  assets: {
    entity: 'assets',
    service: SERVICES.equipment,
    set: 'Equipment',
    keys: ['Equipment', 'ValidityEndDate'],
    filter: eq('ValidityEndDate', lit.datetime(EQUIPMENT_CURRENT)),
    changedAt: 'LastChangeDateTime',
    createdAt: { property: 'CreationDate', type: 'datetime' },
    remoteId: (e) => s(e.Equipment),
    key: (id) => ({ Equipment: id, ValidityEndDate: lit.datetime(EQUIPMENT_CURRENT) }),
    created: (e) => iso(e.CreationDate),
    updated: (e) => iso(e.LastChangeDateTime),
    tracks: ['EquipmentIsMarkedForDeletion'],
    deleted: (e) => e.EquipmentIsMarkedForDeletion === true,
  },
  items: {
    entity: 'items',
    service: SERVICES.product,
    set: 'A_Product',
    keys: ['Product'],
    expand: ['to_Description'],
    changedAt: 'LastChangeDateTime',
    createdAt: { property: 'CreationDate', type: 'datetime' },
    remoteId: (e) => s(e.Product),
    key: (id) => id,
    created: (e) => iso(e.CreationDate),
    updated: (e) => iso(e.LastChangeDateTime),
    tracks: ['IsMarkedForDeletion'],
    deleted: (e) => e.IsMarkedForDeletion === true,
  },
  inventory: {
    entity: 'inventory',
    service: SERVICES.stock,
    set: 'A_MatlStkInAcctMod',
    keys: STOCK_KEYS,
    remoteId: stockRemoteId,
    key: stockKey,
    created: () => null,
    updated: () => null,
    deleted: never,
  },
  vendors: {
    entity: 'vendors',
    service: SERVICES.businessPartner,
    set: 'A_Supplier',
    keys: ['Supplier'],
    expand: ['to_SupplierPurchasingOrg'],
    remoteId: (e) => s(e.Supplier),
    key: (id) => id,
    created: (e) => iso(e.CreationDate),
    updated: () => null,
    tracks: ['CreationDate', 'DeletionIndicator'],
    deleted: (e) => e.DeletionIndicator === true,
  },
};

export const PLANT_SPEC: EntitySpec = {
  entity: 'locations',
  service: SERVICES.plant,
  set: 'A_Plant',
  keys: ['Plant'],
  remoteId: (e) => s(e.Plant),
  key: (id) => id,
  created: () => null,
  updated: () => null,
  deleted: never,
};

/** Storage locations are derived from product/storage-location rows (see README). */
export const STORAGE_LOCATION_SOURCE = {
  service: SERVICES.product,
  set: 'A_ProductStorageLocation',
  select: ['Plant', 'StorageLocation'],
  orderby: ['Plant', 'StorageLocation'],
} as const;

const PROPERTY_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * `$select` of a read. Without `fields`: the spec's own (every header property). With `fields` (a
 * connection reading mapped fields only): keys, change and creation stamps, the spec's tracked
 * properties and the requested header properties, plus the spec's expansions as it selects them.
 */
export function selectFor(spec: EntitySpec, fields?: string[]): string[] | undefined {
  if (!fields) return spec.select;
  const navs = new Set((spec.expand ?? []).map((e) => e.split('/')[0]));
  const header = new Set<string>(spec.keys);
  if (spec.changedAt) header.add(spec.changedAt);
  if (spec.createdAt) header.add(spec.createdAt.property);
  for (const f of spec.tracks ?? []) header.add(f);
  for (const f of fields) if (!navs.has(f) && PROPERTY_NAME.test(f)) header.add(f);
  const children = (spec.select ?? []).filter((p) => p.includes('/'));
  // An expansion the spec does not narrow is read whole, as in a full read.
  const whole = [...navs].filter((n) => !children.some((c) => c.startsWith(`${n}/`)));
  return [...header, ...whole, ...children];
}
