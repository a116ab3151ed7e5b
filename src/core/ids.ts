import { hash, randomBytes } from 'node:crypto';

// Unified record ids are derived from (connection, entity, remote id): stable across resyncs and
// computable inside a mapping (`ref('vendors', Supplier)`) without a database lookup.
const ENTITY_PREFIX: Record<string, string> = {
  purchase_orders: 'po',
  work_orders: 'wo',
  assets: 'ast',
  items: 'itm',
  inventory: 'inv',
  vendors: 'vnd',
  locations: 'loc',
};

export function recordId(connectionId: string, entity: string, remoteId: string): string {
  const prefix = ENTITY_PREFIX[entity] ?? 'obj';
  // One-shot hashing: a Hash object per id cost three times as much (this runs for every synced record).
  const digest = hash('sha256', `${connectionId}\u0000${entity}\u0000${remoteId}`, 'base64url');
  return `${prefix}_${digest.slice(0, 24)}`;
}

/** Random id for rows we create (connections, runs, events): prefix + 128 random bits. */
export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(16).toString('base64url')}`;
}
