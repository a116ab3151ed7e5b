// settings.remote_fields: whether syncs read every source field of a record ("all", the default) or
// only those the connection's effective mapping reads ("mapped", optionally plus listed extras).
// Reading mapped fields makes wide records (an SAP order header has 110 properties) several times
// cheaper to sync and store; the price is that remote_data holds only those fields, and a mapping
// change that reads a new source field needs a re-read, which is requested automatically.
import { sourceFields, type EntityMapping } from '../mappings/index.ts';
import type { Connector, EntityCapability, EntityName } from '../connectors/types.ts';
import { isCustom } from '../custom-objects/index.ts';

export type RemoteFieldsSetting = 'all' | 'mapped' | string[];

/** The setting in force for one entity: a string for every entity, or an object per entity. */
export function remoteFieldsSetting(
  settings: Record<string, unknown> | null,
  entity: string,
): RemoteFieldsSetting {
  const v = settings?.remote_fields;
  const pick = v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>)[entity] : v;
  if (pick === 'mapped') return 'mapped';
  if (Array.isArray(pick)) return pick.filter((f): f is string => typeof f === 'string');
  return 'all';
}

/**
 * Source fields a read of `entity` must return, or undefined for every field (setting "all", a
 * mapping that reads whole records, or a connector that cannot narrow its reads).
 */
export function fieldsToFetch(
  connector: Connector,
  settings: Record<string, unknown> | null,
  entity: string,
  mapping: EntityMapping,
): string[] | undefined {
  if (isCustom(entity)) return undefined;
  const cap = connector.descriptor.capabilities[entity as EntityName] as EntityCapability | undefined;
  if (!cap?.select_fields) return undefined;
  const setting = remoteFieldsSetting(settings, entity);
  if (setting === 'all') return undefined;
  const used = sourceFields(mapping, connector.mappingFunctionReads);
  if (used.whole) return undefined;
  const extra = Array.isArray(setting) ? setting : [];
  return [...new Set([...used.fields, ...extra])].sort();
}

/** Fields `after` needs that a read for `before` did not return (['*'] when `after` needs all). */
export function missingFields(before: string[] | undefined, after: string[] | undefined): string[] {
  if (before === undefined) return [];
  if (after === undefined) return ['*'];
  const had = new Set(before);
  return after.filter((f) => !had.has(f));
}
