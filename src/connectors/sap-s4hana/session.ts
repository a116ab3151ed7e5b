// A session of one SAP S/4HANA connection: check, readers, live get, writers, passthrough, stats.
import { ConnectorError } from '../errors.ts';
import { customObjectSpec } from './custom-objects.ts';
import { entitySetProperties } from '../../protocols/odata-v2/index.ts';
import { ENTITIES } from '../types.ts';
import type {
  ConnectionConfig,
  CustomObjectDef,
  ConnectorSession,
  EntityName,
  PassthroughRequest,
  PassthroughResponse,
  ReadPage,
  ReadRequest,
  SessionStats,
  SourceRecord,
  WriteResult,
} from '../types.ts';
import { openConnection } from './connection.ts';
import type { SapConnection } from './connection.ts';
import { PLANT_SPEC, SERVICES, SPECS, selectFor } from './entities.ts';
import { passthrough } from './passthrough.ts';
import {
  readEntitySet,
  readLocations,
  storageLocationExists,
  storageLocationRecord,
  toRecord,
} from './readers.ts';
import {
  createPurchaseOrder,
  createWorkOrder,
  updatePurchaseOrder,
  updateWorkOrder,
  workOrderAction,
} from './writers.ts';

function entityName(entity: string): EntityName {
  if (!(ENTITIES as readonly string[]).includes(entity)) {
    throw new ConnectorError('not_supported', `SAP S/4HANA has no entity ${entity}`);
  }
  return entity as EntityName;
}

const TRANSACTIONAL = new Set<EntityName>(['purchase_orders', 'work_orders']);

export class SapSession implements ConnectorSession {
  readonly #conn: SapConnection;

  constructor(config: ConnectionConfig) {
    this.#conn = openConnection(config);
  }

  /** One small authenticated read; 401/403 surface as auth_rejected. */
  async check(): Promise<void> {
    await this.#conn.service(SERVICES.plant).list('A_Plant', { top: 1, select: ['Plant'] });
  }

  readonly #metadata = new Map<string, Promise<string>>();

  /** Header properties of the entity's set, from the service's own $metadata (cached per session). */
  async sourceFields(entity: string) {
    let spec;
    if (entity.startsWith('custom:')) {
      const defs = (this.#conn.settings.custom_objects ?? []) as CustomObjectDef[];
      const def = defs.find((d) => d.name === entity.slice('custom:'.length));
      if (!def) return null;
      spec = customObjectSpec(def);
    } else {
      const name = entityName(entity);
      spec = name === 'locations' ? PLANT_SPEC : SPECS[name];
    }
    let edmx = this.#metadata.get(spec.service);
    if (!edmx) {
      const svc = this.#conn.service(spec.service);
      edmx = svc.getJson('$metadata').then((r) => String(r.body));
      this.#metadata.set(spec.service, edmx);
      edmx.catch(() => this.#metadata.delete(spec.service));
    }
    const props = entitySetProperties(await edmx, spec.set);
    return (
      props?.map((p) => ({ path: p.name, type: p.type, ...(p.label ? { label: p.label } : {}) })) ?? null
    );
  }

  read(entity: string, req: ReadRequest): AsyncIterable<ReadPage> {
    if (entity.startsWith('custom:')) {
      const name = entity.slice('custom:'.length);
      const defs = (this.#conn.settings.custom_objects ?? []) as CustomObjectDef[];
      const def = defs.find((d) => d.name === name);
      if (!def)
        throw new ConnectorError('not_found', `custom object ${name} is not declared on this connection`);
      return readEntitySet(this.#conn, customObjectSpec(def), req, false);
    }
    const name = entityName(entity);
    if (name === 'locations') return readLocations(this.#conn, req);
    return readEntitySet(this.#conn, SPECS[name], req, TRANSACTIONAL.has(name));
  }

  async get(
    entity: string,
    remoteId: string,
    opts: { fields?: string[] } = {},
  ): Promise<SourceRecord | null> {
    const name = entityName(entity);
    if (name === 'locations') {
      const [plant, storageLocation] = remoteId.split('/');
      if (storageLocation !== undefined) {
        return (await storageLocationExists(this.#conn, plant, storageLocation))
          ? storageLocationRecord(plant, storageLocation)
          : null;
      }
      const got = await this.#conn.service(PLANT_SPEC.service).get(PLANT_SPEC.set, PLANT_SPEC.key(remoteId));
      return got ? toRecord(PLANT_SPEC, got.entity) : null;
    }
    const spec = SPECS[name];
    let key;
    try {
      key = spec.key(remoteId);
    } catch {
      return null; // a malformed compound id names no record
    }
    // The same selection as a sync's, so a live read stores what the next sync would (same hash).
    const got = await this.#conn
      .service(spec.service)
      .get(spec.set, key, { expand: spec.expand, select: selectFor(spec, opts.fields) });
    return got ? toRecord(spec, got.entity) : null;
  }

  async create(entity: EntityName, input: Record<string, unknown>): Promise<WriteResult> {
    if (entity === 'purchase_orders') return createPurchaseOrder(this.#conn, input);
    if (entity === 'work_orders') return createWorkOrder(this.#conn, input);
    throw new ConnectorError('not_supported', `SAP S/4HANA does not create ${entity} through Ironbridge`);
  }

  async update(entity: EntityName, remoteId: string, input: Record<string, unknown>): Promise<WriteResult> {
    if (entity === 'purchase_orders') return updatePurchaseOrder(this.#conn, remoteId, input);
    if (entity === 'work_orders') return updateWorkOrder(this.#conn, remoteId, input);
    throw new ConnectorError('not_supported', `SAP S/4HANA does not update ${entity} through Ironbridge`);
  }

  async delete(entity: EntityName): Promise<void> {
    throw new ConnectorError(
      'not_supported',
      `SAP S/4HANA does not delete ${entity} through its APIs (deletion flags instead)`,
    );
  }

  async action(
    entity: EntityName,
    remoteId: string,
    action: string,
    input?: Record<string, unknown>,
  ): Promise<WriteResult> {
    if (entity === 'work_orders') return workOrderAction(this.#conn, remoteId, action, input);
    throw new ConnectorError('not_supported', `SAP S/4HANA has no actions on ${entity}`);
  }

  passthrough(req: PassthroughRequest): Promise<PassthroughResponse> {
    return passthrough(this.#conn, req);
  }

  stats(): SessionStats {
    return this.#conn.http.stats();
  }

  async close(): Promise<void> {
    this.#conn.http.cookies?.clear();
  }
}
