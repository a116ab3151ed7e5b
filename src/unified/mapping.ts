// The mapping in force for one connection and entity: the connector's default merged with the
// connection's overrides. Compiled mappings are cached by content, so an override shows on the
// very next request in every process without any invalidation message.
import { createHash } from 'node:crypto';
import {
  compileMapping,
  mergeMappings,
  type CompiledMapping,
  type EntityMapping,
} from '../mappings/index.ts';
import type { Connector } from '../connectors/types.ts';
import type { Queryable } from '../store/db.ts';

export interface EffectiveMapping {
  mapping: EntityMapping;
  compiled: CompiledMapping;
  /** Changes whenever the effective mapping changes; stored next to materialised records. */
  hash: string;
  overrides: Record<string, unknown>;
}

const compiledCache = new Map<string, EffectiveMapping>();

export async function loadOverrides(
  q: Queryable,
  connectionId: string,
  entity: string,
): Promise<Record<string, any>> {
  const rows = await q.query<{ field: string; mapping: unknown }>(
    'SELECT field, mapping FROM field_mappings WHERE connection_id = $1 AND entity = $2 ORDER BY field',
    [connectionId, entity],
  );
  return Object.fromEntries(rows.map((r) => [r.field, r.mapping]));
}

export function defaultMapping(connector: Connector, entity: string): EntityMapping {
  return (connector.mappings as Record<string, EntityMapping | undefined>)[entity] ?? { fields: {} };
}

export function effectiveFrom(
  connector: Connector,
  entity: string,
  overrides: Record<string, any>,
): EffectiveMapping {
  const base = defaultMapping(connector, entity);
  const key = `${connector.descriptor.id}\u0000${entity}\u0000${JSON.stringify(overrides)}`;
  let hit = compiledCache.get(key);
  if (!hit) {
    const mapping = Object.keys(overrides).length ? mergeMappings(base, overrides) : base;
    const compiled = compileMapping(mapping, { functions: connector.mappingFunctions as any });
    const hash = createHash('sha256').update(JSON.stringify(mapping)).digest('hex').slice(0, 16);
    hit = { mapping, compiled, hash, overrides };
    if (compiledCache.size > 5000) compiledCache.clear();
    compiledCache.set(key, hit);
  }
  return hit;
}

export async function effectiveMapping(
  q: Queryable,
  connector: Connector,
  connectionId: string,
  entity: string,
): Promise<EffectiveMapping> {
  return effectiveFrom(connector, entity, await loadOverrides(q, connectionId, entity));
}
