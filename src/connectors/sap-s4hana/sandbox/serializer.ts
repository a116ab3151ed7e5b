// Renders records as OData v2 verbose JSON, property by property from the EDMX model: every
// property of the type (or of $select) in EDMX order, navigation properties as __deferred
// links unless expanded. Pages of 1,000 wide records are the hot path, so each shape compiles
// to a per-property plan and records are written straight into a growing byte buffer.
import type { EntityTypeModel, NavModel, PropertyModel } from './edmx.ts';
import { defaultJson, encodeJson, uriLiteral, type Value } from './edm-values.ts';
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

/** Appends UTF-8 text to a buffer that grows by doubling. */
export class JsonWriter {
  private buf = Buffer.allocUnsafe(64 * 1024);
  private off = 0;
  write(s: string): void {
    // Worst case 3 bytes per UTF-16 unit.
    if (this.off + s.length * 3 > this.buf.length) {
      let size = this.buf.length * 2;
      while (this.off + s.length * 3 > size) size *= 2;
      const grown = Buffer.allocUnsafe(size);
      this.buf.copy(grown, 0, 0, this.off);
      this.buf = grown;
    }
    this.off += this.buf.write(s, this.off);
  }
  toBuffer(): Buffer {
    return this.buf.subarray(0, this.off);
  }
}

interface PropPlan {
  name: string;
  prefix: string;
  dflt: string;
  enc: (v: Value) => string;
}

const NEEDS_ESCAPE = /["\\\u0000-\u001f\u2028\u2029]/;

function encoderFor(p: PropertyModel): (v: Value) => string {
  switch (p.type) {
    case 'Edm.String':
      return (v) => {
        const s = String(v);
        return NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`;
      };
    case 'Edm.Decimal': {
      const scale = p.scale;
      return (v) => `"${Number(v).toFixed(scale)}"`;
    }
    case 'Edm.DateTime':
      return (v) => `"\\/Date(${v})\\/"`;
    case 'Edm.DateTimeOffset':
      return (v) => `"\\/Date(${v}+0000)\\/"`;
    case 'Edm.Boolean':
      return (v) => (v ? 'true' : 'false');
    default:
      return (v) => encodeJson(p, v);
  }
}

const plans = new WeakMap<Shape, PropPlan[]>();
function planOf(shape: Shape): PropPlan[] {
  let plan = plans.get(shape);
  if (!plan) {
    plan = shape.props.map((p) => {
      const prefix = `,${JSON.stringify(p.name)}:`;
      return { name: p.name, prefix, dflt: prefix + defaultJson(p), enc: encoderFor(p) };
    });
    plans.set(shape, plan);
  }
  return plan;
}

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

const jsonString = (s: string) => (NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`);

export function writeEntity(
  w: JsonWriter,
  ctx: RenderContext,
  store: SetStore,
  index: number,
  r: Rec,
  shape: Shape,
): void {
  const uri = jsonString(entityUri(ctx.origin, store, r));
  const etag = etagOf(store, r);
  let out = `{"__metadata":{"id":${uri},"uri":${uri},"type":"${store.type.qualifiedName}"`;
  if (etag) out += `,"etag":${JSON.stringify(etag)}`;
  out += '}';
  const plan = planOf(shape);
  for (let k = 0; k < plan.length; k++) {
    const pp = plan[k];
    const v = r[pp.name];
    out += v === undefined ? pp.dflt : v === null ? `${pp.prefix}null` : pp.prefix + pp.enc(v);
  }
  for (const n of shape.navs) {
    out += `,"${n.nav.name}":`;
    if (!n.expand) {
      out += `{"__deferred":{"uri":${uri.slice(0, -1)}/${n.nav.name}"}}`;
      continue;
    }
    w.write(out);
    out = '';
    const res = ctx.resolveNav(store, index, r, n.nav);
    const target = res.store;
    if (n.nav.toMany) {
      w.write('{"results":[');
      let first = true;
      for (const j of target ? res.indices : []) {
        const c = target!.get(j);
        if (!c) continue;
        if (!first) w.write(',');
        first = false;
        writeEntity(w, ctx, target!, j, c, n.expand);
      }
      w.write(']}');
    } else {
      const j = res.indices[0];
      const c = target && j !== undefined ? target.get(j) : undefined;
      if (target && c) writeEntity(w, ctx, target, j, c, n.expand);
      else w.write('null');
    }
  }
  w.write(out + '}');
}

/** One entity as a JSON string (single-entity replies; collections use writeEntity). */
export function renderEntity(
  ctx: RenderContext,
  store: SetStore,
  index: number,
  r: Rec,
  shape: Shape,
): string {
  const w = new JsonWriter();
  writeEntity(w, ctx, store, index, r, shape);
  return w.toBuffer().toString('utf8');
}

/** Shape for a type with everything selected and nothing expanded. */
export function fullShape(type: EntityTypeModel): Shape {
  return { type, props: type.propertyList, navs: [...type.navs.values()].map((nav) => ({ nav })) };
}
