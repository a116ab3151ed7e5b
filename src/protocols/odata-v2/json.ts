// Reading OData v2 JSON bodies: `{"d": {...}}` for one entity, `{"d": {"results": [...],
// "__count": "91", "__next": "..."}}` for a collection.

export type ODataEntity = Record<string, unknown>;

export interface ODataCollection {
  results: ODataEntity[];
  count: number | null;
  next: string | null;
}

function d(body: unknown): unknown {
  if (body && typeof body === 'object' && 'd' in body) return (body as { d: unknown }).d;
  return undefined;
}

export function readCollection(body: unknown): ODataCollection {
  const data = d(body);
  // OData v1 servers answer a bare array under "d".
  if (Array.isArray(data)) return { results: data as ODataEntity[], count: null, next: null };
  if (!data || typeof data !== 'object' || !Array.isArray((data as { results?: unknown }).results)) {
    throw new TypeError('not an OData v2 collection: expected {"d":{"results":[...]}}');
  }
  const c = data as { results: ODataEntity[]; __count?: unknown; __next?: unknown };
  const count = c.__count == null ? null : Number(c.__count);
  return {
    results: c.results,
    count: count !== null && Number.isFinite(count) ? count : null,
    next: typeof c.__next === 'string' && c.__next !== '' ? c.__next : null,
  };
}

export function readEntity(body: unknown): ODataEntity {
  const data = d(body);
  if (!data || typeof data !== 'object' || Array.isArray(data))
    throw new TypeError('not an OData v2 entity: expected {"d":{...}}');
  return data as ODataEntity;
}

/** The entity's ETag from `__metadata.etag`, if the service sends one. */
export function entityEtag(entity: ODataEntity): string | null {
  const meta = entity.__metadata;
  if (meta && typeof meta === 'object' && typeof (meta as { etag?: unknown }).etag === 'string') {
    return (meta as { etag: string }).etag;
  }
  return null;
}

function isDeferred(v: unknown): boolean {
  return (
    !!v && typeof v === 'object' && !Array.isArray(v) && '__deferred' in v && Object.keys(v).length === 1
  );
}

/**
 * The entity as data: without `__metadata` and without `__deferred` stubs of navigations that were
 * not expanded; expanded navigations are kept (collections as `{results: [...]}`), cleaned too.
 */
export function cleanEntity(entity: ODataEntity): ODataEntity {
  // Runs on every synced record: a plain for-in with cheap checks (scalars are the common case).
  const out: ODataEntity = {};
  for (const k in entity) {
    if (k === '__metadata') continue;
    const v = entity[k];
    if (v === null || typeof v !== 'object') {
      out[k] = v;
      continue;
    }
    if (isDeferred(v)) continue;
    out[k] = cleanValue(v);
  }
  return out;
}

function cleanValue(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(cleanValue);
  if (!v || typeof v !== 'object') return v;
  const o = v as Record<string, unknown>;
  if (Array.isArray(o.results) && Object.keys(o).every((k) => k === 'results' || k.startsWith('__'))) {
    return { results: o.results.map(cleanValue) };
  }
  return cleanEntity(o);
}

/**
 * What `cleanEntity` gives, made in place for the entities of a page just parsed: the members it
 * leaves out are set to undefined, which JSON.stringify skips. Copying every record of a sync into
 * new objects cost five times as much as this.
 */
export function stripEntity(entity: ODataEntity): ODataEntity {
  for (const k in entity) {
    const v = entity[k];
    if (v === null || typeof v !== 'object') continue;
    if (k === '__metadata' || isDeferred(v)) entity[k] = undefined;
    else stripValue(v);
  }
  return entity;
}

function stripValue(v: object): void {
  if (Array.isArray(v)) {
    for (const x of v) if (x && typeof x === 'object') stripValue(x);
    return;
  }
  const o = v as Record<string, unknown>;
  if (Array.isArray(o.results) && Object.keys(o).every((k) => k === 'results' || k.startsWith('__'))) {
    for (const k in o) if (k !== 'results') o[k] = undefined;
    stripValue(o.results);
    return;
  }
  stripEntity(o);
}
