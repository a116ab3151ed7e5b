import type { z } from 'zod';
import type { EntityName } from '../connectors/types.ts';
import { Asset, Inventory, Item, Location, PurchaseOrder, Vendor, WorkOrder } from './entities.ts';

export * from './entities.ts';
export { Address } from './common.ts';

export interface EntityInfo {
  name: EntityName;
  /** URL path segment, kebab-case. */
  path: string;
  /** Singular, for event types (`work_order.updated`). */
  singular: string;
  schema: z.ZodObject;
  /** Filters accepted on lists besides the common ones, each a unified field. */
  filters: string[];
  /** expand=name → the entity a reference field points to. */
  expands: Record<string, { field: string; entity: EntityName } | { lines: true }>;
}

export const ENTITY_INFO: Record<EntityName, EntityInfo> = {
  purchase_orders: {
    name: 'purchase_orders',
    path: 'purchase-orders',
    singular: 'purchase_order',
    schema: PurchaseOrder,
    filters: ['status', 'vendor_id'],
    expands: { lines: { lines: true }, vendor: { field: 'vendor_id', entity: 'vendors' } },
  },
  work_orders: {
    name: 'work_orders',
    path: 'work-orders',
    singular: 'work_order',
    schema: WorkOrder,
    filters: ['status', 'priority', 'type', 'asset_id', 'location_id'],
    expands: {
      asset: { field: 'asset_id', entity: 'assets' },
      location: { field: 'location_id', entity: 'locations' },
    },
  },
  assets: {
    name: 'assets',
    path: 'assets',
    singular: 'asset',
    schema: Asset,
    filters: ['status', 'location_id', 'parent_id'],
    expands: { location: { field: 'location_id', entity: 'locations' } },
  },
  items: { name: 'items', path: 'items', singular: 'item', schema: Item, filters: ['type'], expands: {} },
  inventory: {
    name: 'inventory',
    path: 'inventory',
    singular: 'inventory',
    schema: Inventory,
    filters: ['item_id', 'location_id'],
    expands: {
      item: { field: 'item_id', entity: 'items' },
      location: { field: 'location_id', entity: 'locations' },
    },
  },
  vendors: {
    name: 'vendors',
    path: 'vendors',
    singular: 'vendor',
    schema: Vendor,
    filters: ['status'],
    expands: {},
  },
  locations: {
    name: 'locations',
    path: 'locations',
    singular: 'location',
    schema: Location,
    filters: ['type', 'parent_id'],
    expands: {},
  },
};
