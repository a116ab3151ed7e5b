// POST / PATCH / MERGE / PUT / DELETE on entity sets: the EDMX annotations (sap:creatable,
// sap:updatable, sap:deletable on sets and properties), value types, ETags and deep insert,
// then the business rules of the set.
import type { IncomingMessage } from 'node:http';
import type { ServiceModel } from './edmx.ts';
import { decodeBodyValue } from './edm-values.ts';
import { SapError, badRequest, notFound } from './errors.ts';
import { renderEntity, entityUri, fullShape, type Shape } from './serializer.ts';
import { etagOf, type Rec, type SetStore } from './store.ts';
import type { Resource } from './uri.ts';
import { linkOf, parentLinkOf, removeCascade, type World } from './world.ts';
import { RULES, type WriteCtx } from './rules/index.ts';
import { renderCtx } from './odata-read.ts';
import { json, type Reply, type SandboxState } from './state.ts';

const invalidProp = (name: string, why: string) =>
  new SapError(400, '/IWBEP/CM_MGW_RT/004', `Property '${name}' ${why}`, {
    details: [
      { code: '/IWBEP/CM_MGW_RT/004', message: `Property '${name}' ${why}`, propertyref: name, target: name },
    ],
  });

function asObject(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw badRequest('Request body must be a JSON object');
  const o = body as Record<string, unknown>;
  // Tolerate the response wrapper {"d": {...}} some clients echo back.
  const keys = Object.keys(o);
  if (keys.length === 1 && keys[0] === 'd' && typeof o.d === 'object' && o.d !== null)
    return o.d as Record<string, unknown>;
  return o;
}

interface Decoded {
  values: Rec;
  children: Map<string, Rec[]>;
}

function decodeBody(
  world: World,
  store: SetStore,
  body: unknown,
  mode: 'create' | 'update',
  current?: Rec,
): Decoded {
  const obj = asObject(body);
  const values: Rec = {};
  const children = new Map<string, Rec[]>();
  for (const [k, v] of Object.entries(obj)) {
    if (k === '__metadata') continue;
    const p = store.type.properties.get(k);
    if (!p) {
      if (!store.type.navs.has(k)) throw invalidProp(k, `is invalid for type '${store.type.name}'`);
      if (mode === 'update') throw invalidProp(k, 'is a navigation property and cannot be changed here');
      const link = linkOf(world, store.name, k);
      if (!link) throw invalidProp(k, 'does not support deep insert in the sandbox');
      const list = Array.isArray(v) ? v : (v as { results?: unknown })?.results;
      if (!Array.isArray(list)) throw invalidProp(k, 'must be {"results":[...]} for a deep insert');
      const target = world.stores.get(link.child)!;
      children.set(
        k,
        list
          .map((item) => decodeBody(world, target, item, 'create'))
          .map((d, n) => {
            if (d.children.size) throw invalidProp(`${k}[${n}]`, 'nested deep insert is not supported');
            return d.values;
          }),
      );
      continue;
    }
    if (mode === 'update' && store.type.keys.includes(k)) {
      if (v === current?.[k]) continue;
      throw invalidProp(k, 'is part of the key and cannot be changed');
    }
    if (mode === 'create' && !p.creatable && v !== null && v !== '') throw invalidProp(k, 'is not creatable');
    if (mode === 'update' && !p.updatable) throw invalidProp(k, 'is not updatable');
    const dec = decodeBodyValue(p, v);
    if (!dec.ok) throw invalidProp(k, `has an invalid value: ${dec.reason}`);
    if (dec.value === null && !p.nullable) throw invalidProp(k, 'must not be null');
    if (!(mode === 'create' && !p.creatable)) values[k] = dec.value;
  }
  return { values, children };
}

/** Compares If-Match with the record's ETag: missing → 428, stale → 412. */
export function checkIfMatch(req: IncomingMessage, store: SetStore, rec: Rec): void {
  const etag = etagOf(store, rec);
  if (!etag) return;
  const header = req.headers['if-match'];
  if (!header) {
    throw new SapError(
      428,
      '/IWBEP/CM_MGW_RT/134',
      'Precondition required: send the ETag of the entity in If-Match',
    );
  }
  const strip = (t: string) => t.trim().replace(/^W\//, '');
  if (header.trim() === '*') return;
  if (!header.split(/,(?=\s*(?:W\/)?")/).some((t) => strip(t) === strip(etag))) {
    throw new SapError(
      412,
      '/IWBEP/CM_MGW_RT/131',
      'Precondition failed: the entity was changed by someone else (ETag mismatch)',
    );
  }
}

function userFields(store: SetStore, user: string): Rec {
  const out: Rec = {};
  for (const f of ['LastChangedByUser', 'LastChangeByUser']) if (store.type.properties.has(f)) out[f] = user;
  return out;
}

/** Moves the parent document's LastChangeDateTime (an item change changes the document). */
function touchParent(world: World, set: string, rec: Rec, stamp: number, user: string): void {
  const link = parentLinkOf(world, set);
  if (!link) return;
  const parent = world.stores.get(link.parent)!;
  const key: Rec = {};
  for (const k of link.keys) key[k] = rec[k];
  const i = parent.find(key);
  if (i >= 0) parent.update(i, userFields(parent, user), parent.index ? stamp : undefined);
}

function createRecord(
  c: WriteCtx,
  store: SetStore,
  values: Rec,
  children: Map<string, Rec[]>,
): { index: number; expanded: string[] } {
  RULES[store.name]?.create?.(c, values, children);
  for (const k of store.type.keys) {
    if (values[k] === undefined || values[k] === null) throw invalidProp(k, 'is a key and must be given');
  }
  if (store.find(values) >= 0) {
    throw new SapError(
      400,
      '/IWBEP/CM_MGW_RT/017',
      `Entity with key ${store.keyString(values).replace(/\u0000/g, ',')} already exists`,
    );
  }
  const link = parentLinkOf(c.world, store.name);
  let parentIndex = -1;
  if (link) {
    const key: Rec = {};
    for (const k of link.keys) key[k] = values[k];
    parentIndex = c.world.stores.get(link.parent)!.find(key);
    if (parentIndex < 0) throw notFound(link.parent);
  }
  const index = store.create(values, c.stamp);
  if (link) store.addChild(parentIndex, index);
  const expanded: string[] = [];
  try {
    for (const [nav, list] of children) {
      const childLink = linkOf(c.world, store.name, nav)!;
      const childStore = c.world.stores.get(childLink.child)!;
      for (const child of list) {
        for (const k of childLink.keys) child[k] = values[k];
        createRecord(c, childStore, child, new Map());
      }
      expanded.push(nav);
    }
  } catch (e) {
    // A deep insert is one unit of work: a refused child undoes the parent.
    removeCascade(c.world, store.name, index);
    throw e;
  }
  return { index, expanded };
}

function setNotAllowed(store: SetStore, what: 'Create' | 'Update' | 'Delete'): SapError {
  const annotation = { Create: 'creatable', Update: 'updatable', Delete: 'deletable' }[what];
  return new SapError(
    405,
    '/IWBEP/CM_MGW_RT/110',
    `${what} of entity set '${store.name}' is not allowed (sap:${annotation}="false")`,
  );
}

export function handleWrite(
  st: SandboxState,
  svc: ServiceModel,
  res: Resource,
  method: 'POST' | 'PATCH' | 'MERGE' | 'PUT' | 'DELETE',
  req: IncomingMessage,
  body: unknown,
  origin: string,
  user: string,
): Reply {
  if (res.kind !== 'set')
    throw new SapError(405, '/IWBEP/CM_MGW_RT/110', `Method ${method} is not allowed on this resource`);
  const world = st.world;
  const store = world.stores.get(res.set);
  if (!store || store.service !== svc.name) {
    throw new SapError(
      501,
      '/IWBEP/CM_MGW_RT/051',
      `Entity set '${res.set}' is not implemented in the sandbox`,
    );
  }
  if (res.nav || res.count)
    throw new SapError(405, '/IWBEP/CM_MGW_RT/110', 'Writes through navigation properties are not supported');
  const c: WriteCtx = { world, user, stamp: 0 };

  if (method === 'POST') {
    if (res.key) throw new SapError(405, '/IWBEP/CM_MGW_RT/110', 'POST is not allowed on a single entity');
    if (!store.model.creatable) throw setNotAllowed(store, 'Create');
    const d = decodeBody(world, store, body, 'create');
    c.stamp = world.clock.stamp();
    const { index, expanded } = createRecord(c, store, d.values, d.children);
    touchParent(world, store.name, store.get(index)!, c.stamp, user);
    const rec = store.get(index)!;
    const shape: Shape = fullShape(store.type);
    shape.navs = shape.navs.map((n) =>
      expanded.includes(n.nav.name)
        ? {
            nav: n.nav,
            expand: fullShape(world.stores.get(linkOf(world, store.name, n.nav.name)!.child)!.type),
          }
        : n,
    );
    const etag = etagOf(store, rec);
    return json(201, `{"d":${renderEntity(renderCtx(st, origin), store, index, rec, shape)}}`, {
      location: entityUri(origin, store, rec),
      ...(etag ? { etag } : {}),
    });
  }

  if (!res.key) throw new SapError(405, '/IWBEP/CM_MGW_RT/110', `${method} needs a key predicate`);
  const i = store.find(res.key);
  if (method === 'DELETE') {
    if (!store.model.deletable) throw setNotAllowed(store, 'Delete');
    if (i < 0) throw notFound(res.set);
    const current = store.get(i)!;
    checkIfMatch(req, store, current);
    c.stamp = world.clock.stamp();
    const soft = RULES[store.name]?.remove?.(c, i, current);
    if (soft) store.update(i, { ...soft, ...userFields(store, user) }, store.index ? c.stamp : undefined);
    else removeCascade(world, store.name, i);
    touchParent(world, store.name, current, c.stamp, user);
    return { status: 204, headers: { dataserviceversion: '2.0' } };
  }

  if (!store.model.updatable) throw setNotAllowed(store, 'Update');
  if (i < 0) throw notFound(res.set);
  const current = store.get(i)!;
  checkIfMatch(req, store, current);
  const d = decodeBody(world, store, body, 'update', current);
  c.stamp = world.clock.stamp();
  const patch = { ...d.values, ...userFields(store, user) };
  RULES[store.name]?.update?.(c, i, current, patch);
  store.update(i, patch, store.index ? c.stamp : undefined);
  touchParent(world, store.name, current, c.stamp, user);
  const etag = etagOf(store, store.get(i)!);
  return { status: 204, headers: { dataserviceversion: '2.0', ...(etag ? { etag } : {}) } };
}
