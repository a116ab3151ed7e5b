// Custom objects on SAP: any entity set of an OData service under /sap/opu/odata/sap/, declared in
// connection settings as {name, source: "SERVICE/EntitySet", keys: [...], change_field?}.
import { odataDateToIso } from '../../protocols/odata-v2/index.ts';
import type { ODataEntity } from '../../protocols/odata-v2/index.ts';
import type { CustomObjectDef, EntityName } from '../types.ts';
import type { EntitySpec, ServiceName } from './entities.ts';

const SOURCE = /^([A-Z][A-Z0-9_]*)\/([A-Za-z][A-Za-z0-9_]*)$/;
const PROPERTY = /^[A-Za-z][A-Za-z0-9_]*$/;

export function validateSapCustomObject(def: CustomObjectDef): string | null {
  if (!SOURCE.test(def.source))
    return 'source must be "<SERVICE>/<EntitySet>", e.g. "API_PRODUCT_SRV/A_ProductPlant"';
  if (!def.keys?.length)
    return 'keys must list the key properties of the entity set, as its $metadata declares them';
  const bad = [...def.keys, ...(def.change_field ? [def.change_field] : [])].find((k) => !PROPERTY.test(k));
  return bad ? `"${bad}" is not a property name` : null;
}

export function customObjectSpec(def: CustomObjectDef): EntitySpec {
  const [, service, set] = SOURCE.exec(def.source)!;
  const keys = def.keys!;
  const change = def.change_field ?? undefined;
  return {
    entity: `custom:${def.name}` as EntityName,
    service: service as ServiceName,
    set,
    keys,
    changedAt: change,
    remoteId: (e: ODataEntity) => keys.map((k) => encodeURIComponent(String(e[k] ?? ''))).join('/'),
    key: (id: string) => {
      const parts = id.split('/');
      return Object.fromEntries(keys.map((k, i) => [k, decodeURIComponent(parts[i] ?? '')]));
    },
    created: () => null,
    updated: (e: ODataEntity) => (change ? odataDateToIso(e[change]) : null),
    deleted: () => false,
  };
}
