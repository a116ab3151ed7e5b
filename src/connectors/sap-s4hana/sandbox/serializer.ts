// Renders records as OData v2 verbose JSON, property by property from the EDMX model: every
// property of the type (or of $select) in EDMX order, navigation properties as __deferred
// links unless expanded. Built as strings because pages of 1,000 wide records are the hot path.
import type { EntityTypeModel, NavModel, PropertyModel } from './edmx.ts';
import { encodeJson, uriLiteral } from './edm-values.ts';
import { etagOf, type Rec, type SetStore } from './store.ts';

/** What to render of one entity type: selected properties and navigations, expanded navigations. */
export interface Shape {
  type: EntityTypeModel;
  props: PropertyModel[];
  /** Navigations to render, with the shape of their targets when expanded. */
  navs: { nav: NavModel; expand?: Shape }[];
}

export interface NavResult {
  store?: SetStore;
  indices: number[];
}

export interface RenderContext {
  /** "http://host:port" as the client addressed us. */
  origin: string;
  resolveNav(store: SetStore, index: number, rec: Rec, nav: NavModel): NavResult;
}

const keyCache = new WeakMap<PropertyModel, string>();
const propKey = (p: PropertyModel) => {
  let k = keyCache.get(p);
  if (k === undefined) {
    k = `${JSON.stringify(p.name)}:`;
    keyCache.set(p, k);
  }
  return k;
};

/** Key predicate as Gateway writes it: ('4500000001') or (A='x',B=datetime'...'). */
export function keyPredicate(type: EntityTypeModel, r: Rec): string {
  if (type.keys.length === 1) {
    const p = type.properties.get(type.keys[0])!;
    return `(${uriLiteral(p.type, r[p.name] ?? '')})`;
  }
  const parts = type.keys.map((k) => {
    const p = type.properties.get(k)!;
    return `${k}=${uriLiteral(p.type, r[k] ?? '')}`;
  });
  return `(${parts.join(',')})`;
}

export const serviceRoot = (origin: string, service: string) => `${origin}/sap/opu/odata/sap/${service}/`;

export function entityUri(origin: string, store: SetStore, r: Rec): string {
  return `${serviceRoot(origin, store.service)}${store.name}${keyPredicate(store.type, r)}`;
}

export function renderEntity(
  ctx: RenderContext,
  store: SetStore,
  index: number,
  r: Rec,
  shape: Shape,
): string {
  const uri = entityUri(ctx.origin, store, r);
  const etag = etagOf(store, r);
  let out = `{"__metadata":{"id":${JSON.stringify(uri)},"uri":${JSON.stringify(uri)},"type":"${store.type.qualifiedName}"`;
  if (etag) out += `,"etag":${JSON.stringify(etag)}`;
  out += '}';
  for (const p of shape.props) out += `,${propKey(p)}${encodeJson(p, r[p.name])}`;
  for (const n of shape.navs) {
    out += `,${JSON.stringify(n.nav.name)}:`;
    if (!n.expand) {
      out += `{"__deferred":{"uri":${JSON.stringify(`${uri}/${n.nav.name}`)}}}`;
      continue;
    }
    const res = ctx.resolveNav(store, index, r, n.nav);
    const target = res.store;
    if (n.nav.toMany) {
      const parts: string[] = [];
      if (target) {
        for (const j of res.indices) {
          const c = target.get(j);
          if (c) parts.push(renderEntity(ctx, target, j, c, n.expand));
        }
      }
      out += `{"results":[${parts.join(',')}]}`;
    } else {
      const j = res.indices[0];
      const c = target && j !== undefined ? target.get(j) : undefined;
      out += target && c ? renderEntity(ctx, target, j, c, n.expand) : 'null';
    }
  }
  return out + '}';
}

/** Shape for a type with everything selected and nothing expanded. */
export function fullShape(type: EntityTypeModel): Shape {
  return { type, props: type.propertyList, navs: [...type.navs.values()].map((nav) => ({ nav })) };
}
