// Key predicates of entity addresses: `A_Plant('1010')`, `Equipment(Equipment='10000001',ValidityEndDate=datetime'9999-12-31T00:00:00')`.
import { toLiteral } from './literals.ts';
import type { LiteralInput } from './literals.ts';

export type KeyValue = LiteralInput;
/** A single key value, or property → value for compound keys (order is kept as given). */
export type EntityKey = KeyValue | Record<string, KeyValue>;

// Literal syntax characters stay as they are; everything else that could break the path is escaped.
const encode = (literal: string): string =>
  encodeURIComponent(literal).replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%3D/g, '=');

export function keyPredicate(key: EntityKey): string {
  if (key !== null && typeof key === 'object' && !(key instanceof Date) && !('odata' in key)) {
    const entries = Object.entries(key);
    if (entries.length === 0) throw new TypeError('empty key');
    if (entries.length === 1) return `(${encode(toLiteral(entries[0][1]))})`;
    return `(${entries.map(([k, v]) => `${k}=${encode(toLiteral(v))}`).join(',')})`;
  }
  return `(${encode(toLiteral(key as KeyValue))})`;
}

export function entityPath(entitySet: string, key: EntityKey): string {
  return `${entitySet}${keyPredicate(key)}`;
}
