// Streaming readers: one OData page at a time becomes one ReadPage with a resume token.
import { ConnectorError } from '../errors.ts';
import { and, cleanEntity, eq, ge, lit, ne, or, stripEntity } from '../../protocols/odata-v2/index.ts';
import type { Filter, ODataEntity } from '../../protocols/odata-v2/index.ts';
import type { ReadPage, ReadRequest, SourceRecord } from '../types.ts';
import type { SapConnection } from './connection.ts';
import { PLANT_SPEC, STORAGE_LOCATION_SOURCE, selectFor } from './entities.ts';
import type { EntitySpec } from './entities.ts';

/** Records per request when the caller does not say; keeps each response small. */
export const DEFAULT_PAGE_SIZE = 500;

interface ResumeState {
  v: 1;
  entity: string;
  /** Locations read two sources one after the other. */
  phase?: number;
  /** The OData layer's own token (query + position). */
  odata: string | null;
  /** Last storage location emitted, to drop repeats across pages. */
  last?: string;
}

function encode(state: ResumeState): string {
  return Buffer.from(JSON.stringify(state), 'utf8').toString('base64url');
}

function decode(token: string, entity: string): ResumeState {
  let state: ResumeState;
  try {
    state = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as ResumeState;
  } catch {
    throw new ConnectorError('invalid_input', 'unreadable resume token');
  }
  if (state?.v !== 1 || state.entity !== entity) {
    throw new ConnectorError('invalid_input', `resume token is not one of ${entity}`);
  }
  return state;
}

export function toRecord(spec: EntitySpec, e: ODataEntity): SourceRecord {
  return recordOf(spec, cleanEntity(e));
}

/** The record of an entity already cleaned (`stripEntity` in place, for the pages of a read). */
function recordOf(spec: EntitySpec, e: ODataEntity): SourceRecord {
  return {
    remoteId: spec.remoteId(e),
    data: e,
    remoteCreatedAt: spec.created(e),
    remoteUpdatedAt: spec.updated(e),
    deleted: spec.deleted(e),
  };
}

/**
 * `since` → changed at or after it. `windowStart` (initial sync of transactional data) → changed
 * or created at or after it: creation is asked too in case a system leaves the change stamp empty.
 */
export function readFilter(spec: EntitySpec, req: ReadRequest, transactional: boolean): Filter {
  const parts: Filter[] = [];
  if (spec.filter) parts.push(spec.filter);
  if (req.since && spec.changedAt) parts.push(ge(spec.changedAt, lit.datetimeOffset(req.since)));
  if (req.windowStart && transactional && spec.changedAt) {
    const created = spec.createdAt;
    const createdCond = created
      ? ge(
          created.property,
          created.type === 'datetime'
            ? lit.datetime(startOfUtcDay(req.windowStart))
            : lit.datetimeOffset(req.windowStart),
        )
      : null;
    parts.push(or(ge(spec.changedAt, lit.datetimeOffset(req.windowStart)), createdCond));
  }
  return and(...parts);
}

// Edm.DateTime creation dates carry no time; comparing from midnight keeps the window's first day.
function startOfUtcDay(d: Date): Date {
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
}

function pageSize(conn: SapConnection, req: ReadRequest): number {
  const fromSettings = conn.settings.page_size;
  const n = req.pageSize ?? (typeof fromSettings === 'number' ? fromSettings : DEFAULT_PAGE_SIZE);
  return Math.max(1, Math.min(5000, Math.floor(n)));
}

/** Entity sets read in key order, so that resume positions stay valid while data changes. */
export async function* readEntitySet(
  conn: SapConnection,
  spec: EntitySpec,
  req: ReadRequest,
  transactional: boolean,
): AsyncGenerator<ReadPage> {
  const state = req.resume ? decode(req.resume, spec.entity) : null;
  const pages = conn.service(spec.service).pages(
    spec.set,
    {
      filter: readFilter(spec, req, transactional),
      expand: spec.expand,
      select: selectFor(spec, req.fields),
      orderby: spec.keys,
    },
    { pageSize: pageSize(conn, req), resume: state?.odata ?? null, signal: req.signal },
  );
  for await (const page of pages) {
    yield {
      records: page.results.map((e) => recordOf(spec, stripEntity(e))),
      resume: page.resume ? encode({ v: 1, entity: spec.entity, odata: page.resume }) : null,
    };
  }
}

/** Synthetic record of a storage location: the two key fields are all S/4HANA's released APIs expose. */
export function storageLocationRecord(plant: string, storageLocation: string): SourceRecord {
  return {
    remoteId: `${plant}/${storageLocation}`,
    data: { Plant: plant, StorageLocation: storageLocation },
    remoteCreatedAt: null,
    remoteUpdatedAt: null,
    deleted: false,
  };
}

/**
 * Locations: plants from A_Plant, then storage locations as the distinct (Plant, StorageLocation)
 * pairs of A_ProductStorageLocation, read sorted so duplicates are adjacent (constant memory).
 */
export async function* readLocations(conn: SapConnection, req: ReadRequest): AsyncGenerator<ReadPage> {
  let state: ResumeState = req.resume
    ? decode(req.resume, 'locations')
    : { v: 1, entity: 'locations', phase: 0, odata: null };
  const size = pageSize(conn, req);
  if ((state.phase ?? 0) === 0) {
    const plants = conn
      .service(PLANT_SPEC.service)
      .pages(
        PLANT_SPEC.set,
        { orderby: PLANT_SPEC.keys },
        { pageSize: size, resume: state.odata, signal: req.signal },
      );
    for await (const page of plants) {
      const next: ResumeState = page.resume
        ? { v: 1, entity: 'locations', phase: 0, odata: page.resume }
        : { v: 1, entity: 'locations', phase: 1, odata: null };
      yield { records: page.results.map((e) => recordOf(PLANT_SPEC, stripEntity(e))), resume: encode(next) };
      state = next;
    }
  }
  const src = STORAGE_LOCATION_SOURCE;
  const slocs = conn
    .service(src.service)
    .pages(
      src.set,
      { select: [...src.select], orderby: [...src.orderby], filter: ne('StorageLocation', '') },
      { pageSize: size, resume: state.odata, signal: req.signal },
    );
  let last = state.last ?? '';
  for await (const page of slocs) {
    const records: SourceRecord[] = [];
    for (const row of page.results) {
      const plant = String(row.Plant ?? '');
      const sloc = String(row.StorageLocation ?? '');
      const id = `${plant}/${sloc}`;
      if (!plant || !sloc || id === last) continue;
      last = id;
      records.push(storageLocationRecord(plant, sloc));
    }
    yield {
      records,
      resume: page.resume ? encode({ v: 1, entity: 'locations', phase: 1, odata: page.resume, last }) : null,
    };
  }
}

/** Whether a storage location exists (some product is extended to it). */
export async function storageLocationExists(
  conn: SapConnection,
  plant: string,
  storageLocation: string,
  signal?: AbortSignal,
): Promise<boolean> {
  const src = STORAGE_LOCATION_SOURCE;
  const found = await conn.service(src.service).list(
    src.set,
    {
      filter: and(eq('Plant', plant), eq('StorageLocation', storageLocation)),
      select: [...src.select],
      top: 1,
    },
    { signal },
  );
  return found.results.length > 0;
}
