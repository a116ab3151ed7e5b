// Renders records as OData v2 verbose JSON, property by property from the EDMX model: every
// property of the type (or of $select) in EDMX order, navigation properties as __deferred
// links unless expanded. Pages of 1,000 wide records are the hot path, so each shape compiles
// to a per-property plan whose constant parts (property names, quotes, default values, the
// entity type, the URI prefix of a set) are built once, records are rendered into strings that
// are encoded into the page buffer in large pieces, and the common value forms (plain strings,
// integral decimals, dates, times of day, ETags, URI-safe keys) skip the general encoders.
import type { EntityTypeModel, NavModel, PropertyModel } from './edmx.ts';
import { defaultJson, encodeJson, formatTime, uriLiteral, type Value } from './edm-values.ts';
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

/** Text is collected in a string and encoded into the buffer in pieces of about this many units. */
const FLUSH_AT = 16 * 1024;

// Page buffers come back once their reply is on the wire (Reply.release) and serve later pages:
// writing into memory that is already mapped costs much less than into fresh allocations.
const pool: Buffer[] = [];
const POOL_SIZE = 4;
const POOL_MAX_BYTES = 64 * 1024 * 1024;

function takeBuffer(size: number): Buffer {
  let best = -1;
  for (let k = 0; k < pool.length; k++) {
    if (pool[k].length >= size && (best < 0 || pool[k].length < pool[best].length)) best = k;
  }
  if (best >= 0) return pool.splice(best, 1)[0];
  // Rounded up, so that the next page of about the same size fits the buffer again.
  const unit = size > 1024 * 1024 ? 1024 * 1024 : 64 * 1024;
  return Buffer.allocUnsafeSlow(Math.ceil(size / unit) * unit);
}

/** Keeps the largest buffers, up to POOL_SIZE of them and POOL_MAX_BYTES in all. */
function giveBuffer(b: Buffer): void {
  if (b.length > POOL_MAX_BYTES || pool.includes(b)) return;
  pool.push(b);
  pool.sort((x, y) => y.length - x.length);
  let total = 0;
  for (let k = 0; k < pool.length; k++) {
    total += pool[k].length;
    if (k >= POOL_SIZE || total > POOL_MAX_BYTES) {
      pool.length = k;
      break;
    }
  }
}

/** Appends UTF-8 text to a buffer that grows by doubling. */
export class JsonWriter {
  private buf: Buffer;
  private off = 0;
  private pending = '';
  private readonly pooled: boolean;
  /** toBuffer() handed out a view of `buf`: the pool gets it back from release() only. */
  private exported = false;
  private released = false;
  /**
   * `sizeHint`: expected bytes, so that a page is written without growing the buffer. `pooled`:
   * the buffer comes from the page pool and goes back there with release().
   */
  constructor(sizeHint = 64 * 1024, pooled = false) {
    const size = Math.max(1024, Math.ceil(sizeHint));
    this.pooled = pooled;
    this.buf = pooled ? takeBuffer(size) : Buffer.allocUnsafe(size);
  }
  write(s: string): void {
    this.pending += s;
    if (this.pending.length >= FLUSH_AT) this.flush();
  }
  private flush(): void {
    const s = this.pending;
    this.pending = '';
    // Worst case 3 bytes per UTF-16 unit.
    if (this.off + s.length * 3 > this.buf.length) {
      let size = this.buf.length * 2;
      while (this.off + s.length * 3 > size) size *= 2;
      const grown = this.pooled ? takeBuffer(size) : Buffer.allocUnsafe(size);
      this.buf.copy(grown, 0, 0, this.off);
      if (this.pooled && !this.exported) giveBuffer(this.buf);
      this.buf = grown;
    }
    this.off += this.buf.write(s, this.off);
  }
  toBuffer(): Buffer {
    if (this.pending) this.flush();
    this.exported = true;
    return this.buf.subarray(0, this.off);
  }
  /** Hands a pooled buffer back: only once nothing reads what toBuffer() returned any more. */
  release(): void {
    if (!this.pooled || this.released) return;
    this.released = true;
    giveBuffer(this.buf);
  }
}

const NEEDS_ESCAPE = /["\\\u0000-\u001f\u2028\u2029]/;

/**
 * A copy of s as one flat string. Text built by concatenation is a tree that every page would
 * walk again when it copies the text out; constants are flattened once instead.
 */
const flat = (s: string): string => JSON.parse(JSON.stringify(s)) as string;
const jsonString = (s: string) => (NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`);

// How a property's values are encoded (plain numbers rather than an enum: erasable syntax only).
const K_STRING = 0;
const K_DECIMAL = 1;
const K_DATETIME = 2;
const K_DATETIMEOFFSET = 3;
const K_BOOLEAN = 4;
const K_TIME = 5;
const K_INT = 6;
const K_INT64 = 7;
const K_OTHER = 8;

function kindOf(p: PropertyModel): number {
  switch (p.type) {
    case 'Edm.String':
      return K_STRING;
    case 'Edm.Decimal':
      return K_DECIMAL;
    case 'Edm.DateTime':
      return K_DATETIME;
    case 'Edm.DateTimeOffset':
      return K_DATETIMEOFFSET;
    case 'Edm.Boolean':
      return K_BOOLEAN;
    case 'Edm.Time':
      return K_TIME;
    case 'Edm.Byte':
    case 'Edm.SByte':
    case 'Edm.Int16':
    case 'Edm.Int32':
      return K_INT;
    case 'Edm.Int64':
      return K_INT64;
    default:
      return K_OTHER;
  }
}

// What a record holds for a property: nothing (the default is rendered), null, true or false
// (booleans: constant text), or a value whose text varies.
const C_DEFAULT = 0;
const C_NULL = 1;
const C_TRUE = 2;
const C_FALSE = 3;
const C_VALUE = 4;

interface PropPlan {
  name: string;
  kind: number;
  p: PropertyModel;
  scale: number;
  /** Fraction of integral decimals (`.000` for scale 3). */
  zeros: string | undefined;
  /** The rendered property per class but C_VALUE, whose text goes between `open` and `close`. */
  constant: string[];
  open: string;
  close: string;
}

/**
 * Records of a set mostly fill the same properties, so the properties of a shape render as a few
 * layouts: constant text (names, punctuation, defaults, booleans) around the value texts. A trie
 * over the classes of the properties leads to the layout of a record, compiled on first use.
 */
interface LayoutNode {
  next: (LayoutNode | undefined)[];
  /** At the end of the properties: constant text before the 1st value, between values, after the last. */
  segments?: string[];
}

interface NavPlan {
  nav: NavModel;
  expand?: Shape;
  /** `,"Name":` */
  prefix: string;
  /** `,"Name":{"__deferred":{"uri":` and `/Name"}}` around the entity URI. */
  deferredOpen: string;
  deferredClose: string;
}

interface Plan {
  props: PropPlan[];
  navs: NavPlan[];
  layouts: LayoutNode;
  layoutNodes: number;
}

/** Bounds the layout trie of a shape (records with ever new combinations of filled properties). */
const MAX_LAYOUT_NODES = 20_000;
const layoutNode = (): LayoutNode => ({ next: [undefined, undefined, undefined, undefined, undefined] });

function propPlan(p: PropertyModel): PropPlan {
  const prefix = `,${JSON.stringify(p.name)}:`;
  const kind = kindOf(p);
  const [open, close] =
    kind === K_DATETIME
      ? [`${prefix}"\\/Date(`, ')\\/"']
      : kind === K_DATETIMEOFFSET
        ? [`${prefix}"\\/Date(`, '+0000)\\/"']
        : kind === K_INT || kind === K_OTHER
          ? [prefix, '']
          : [`${prefix}"`, '"'];
  return {
    name: p.name,
    kind,
    p,
    scale: p.scale,
    zeros: Number.isInteger(p.scale) && p.scale >= 0 && p.scale < ZEROS.length ? ZEROS[p.scale] : undefined,
    constant: [prefix + defaultJson(p), `${prefix}null`, `${prefix}true`, `${prefix}false`].map(flat),
    open: flat(open),
    close: flat(close),
  };
}

const plans = new WeakMap<Shape, Plan>();
function planOf(shape: Shape): Plan {
  let plan = plans.get(shape);
  if (!plan) {
    plan = {
      props: shape.props.map(propPlan),
      navs: shape.navs.map((n) => ({
        nav: n.nav,
        expand: n.expand,
        prefix: flat(`,"${n.nav.name}":`),
        deferredOpen: flat(`,"${n.nav.name}":{"__deferred":{"uri":`),
        deferredClose: flat(`/${n.nav.name}"}}`),
      })),
      layouts: layoutNode(),
      layoutNodes: 0,
    };
    plans.set(shape, plan);
  }
  return plan;
}

function compileLayout(props: PropPlan[], classes: Uint8Array): string[] {
  const segments: string[] = [];
  let seg = '';
  for (let k = 0; k < props.length; k++) {
    const pp = props[k];
    const c = classes[k];
    if (c === C_VALUE) {
      segments.push(seg + pp.open);
      seg = pp.close;
    } else seg += pp.constant[c];
  }
  segments.push(seg);
  return segments.map(flat);
}

// ---- keys and URIs ---------------------------------------------------------------------------

interface KeyPlan {
  props: PropertyModel[];
  /** `Name=` per key field (compound keys only). */
  names: string[];
  /** Every key is rendered through encodeURIComponent or from digits only: no JSON escaping. */
  jsonSafe: boolean;
  /** String keys only: the text around plain key values, `(A='`, `',B='`, …, `')`. */
  plainParts?: string[];
}

const URI_SAFE_TYPES = new Set(['Edm.String', 'Edm.DateTime', 'Edm.DateTimeOffset', 'Edm.Time']);
const keyPlans = new WeakMap<EntityTypeModel, KeyPlan>();
function keyPlanOf(type: EntityTypeModel): KeyPlan {
  let kp = keyPlans.get(type);
  if (!kp) {
    const props = type.keys.map((k) => type.properties.get(k)!);
    const names = type.keys.map((k) => (props.length === 1 ? '' : `${k}=`));
    kp = {
      props,
      names: type.keys.map((k) => `${k}=`),
      jsonSafe: props.every((p) => URI_SAFE_TYPES.has(p.type)),
      plainParts: props.every((p) => p.type === 'Edm.String')
        ? [...names.map((n, k) => flat(`${k === 0 ? '(' : "',"}${n}'`)), "')"]
        : undefined,
    };
    keyPlans.set(type, kp);
  }
  return kp;
}

/** Characters encodeURIComponent keeps, minus the quote (doubled in literals). */
const URI_PLAIN = /^[A-Za-z0-9_.!~*()-]*$/;

function keyLiteral(p: PropertyModel, v: Value | undefined): string {
  if (typeof v === 'string' && p.type === 'Edm.String' && URI_PLAIN.test(v)) return `'${v}'`;
  return uriLiteral(p.type, v ?? '');
}

/** Key predicate as Gateway writes it: ('4500000001') or (A='x',B=datetime'...'). */
export function keyPredicate(type: EntityTypeModel, r: Rec): string {
  const kp = keyPlanOf(type);
  const ps = kp.props;
  if (ps.length === 1) return `(${keyLiteral(ps[0], r[ps[0].name])})`;
  let out = '(';
  for (let k = 0; k < ps.length; k++) {
    if (k > 0) out += ',';
    out += kp.names[k] + keyLiteral(ps[k], r[ps[k].name]);
  }
  return `${out})`;
}

export const serviceRoot = (origin: string, service: string) => `${origin}/sap/opu/odata/sap/${service}/`;

export function entityUri(origin: string, store: SetStore, r: Rec): string {
  return `${serviceRoot(origin, store.service)}${store.name}${keyPredicate(store.type, r)}`;
}

interface SetPlan {
  origin: string;
  /** `http://host/sap/opu/odata/sap/SERVICE/Set` */
  root: string;
  /** The same as the start of a JSON string (opening quote, escaped when needed). */
  rootOpen: string;
  /** rootOpen and the key plan's first plain part. */
  keyOpen: string;
  /** `","type":"<qualified name>"` */
  typeTail: string;
}

const setPlans = new WeakMap<SetStore, SetPlan>();
function setPlanOf(origin: string, store: SetStore): SetPlan {
  let sp = setPlans.get(store);
  if (!sp || sp.origin !== origin) {
    const root = serviceRoot(origin, store.service) + store.name;
    const rootOpen = flat(jsonString(root).slice(0, -1));
    sp = {
      origin,
      root,
      rootOpen,
      keyOpen: flat(rootOpen + (keyPlanOf(store.type).plainParts?.[0] ?? '')),
      typeTail: flat(`","type":"${store.type.qualifiedName}"`),
    };
    setPlans.set(store, sp);
  }
  return sp;
}

/** The URI of entity r as an unterminated JSON string: `"http://…/Set(key)`. */
function uriJson(sp: SetPlan, type: EntityTypeModel, r: Rec): string {
  const kp = keyPlanOf(type);
  const parts = kp.plainParts;
  if (parts) {
    // String keys made of characters encodeURIComponent keeps: `'value'` as they are.
    const ps = kp.props;
    let out = sp.keyOpen;
    let k = 0;
    for (; k < ps.length; k++) {
      const v = r[ps[k].name];
      if (typeof v !== 'string' || !URI_PLAIN.test(v)) break;
      out += k === 0 ? v : parts[k] + v;
    }
    if (k === ps.length) return out + parts[k];
  }
  const pred = keyPredicate(type, r);
  // Predicates of such keys are plain ASCII (percent-encoded): they never change the escaping.
  return kp.jsonSafe ? sp.rootOpen + pred : jsonString(sp.root + pred).slice(0, -1);
}

// ---- ETags -----------------------------------------------------------------------------------

const DAY_MS = 86_400_000;
/** Below 10000-01-01: ISO strings of these instants have 4-digit years. */
const MAX_ISO4 = 253_402_300_800_000;
const D2: string[] = Array.from({ length: 100 }, (_, n) => flat(String(n).padStart(2, '0')));
const D3: string[] = Array.from({ length: 1000 }, (_, n) => flat(String(n).padStart(3, '0')));
const dayPrefixes = new Map<number, string>();

/** `YYYY-MM-DDTHH%3AMM%3ASS.mmm` of epoch ms in [0, MAX_ISO4): the ETag's percent-encoded stamp. */
function isoStampEncoded(ms: number): string {
  const day = Math.floor(ms / DAY_MS);
  let date = dayPrefixes.get(day);
  if (date === undefined) {
    if (dayPrefixes.size >= 20_000) dayPrefixes.clear();
    date = flat(new Date(day * DAY_MS).toISOString().slice(0, 11));
    dayPrefixes.set(day, date);
  }
  let t = ms - day * DAY_MS;
  const h = Math.floor(t / 3_600_000);
  t -= h * 3_600_000;
  const m = Math.floor(t / 60_000);
  t -= m * 60_000;
  const s = Math.floor(t / 1000);
  return `${date}${D2[h]}%3A${D2[m]}%3A${D2[s]}.${D3[t - s * 1000]}`;
}

const VERSION_ETAGS: string[] = Array.from({ length: 64 }, (_, n) => flat(`,"etag":"W/\\"'${n}'\\""`));

/** `,"etag":"…"` of a record (the JSON form of etagOf), or '' when its set has none. */
export function etagMember(store: SetStore, r: Rec): string {
  const kind = store.etagKind;
  if (kind === 'none') return '';
  if (kind === 'lcdt') {
    const ms = Number(r.LastChangeDateTime);
    if (Number.isInteger(ms) && ms >= 0 && ms < MAX_ISO4)
      return `,"etag":"W/\\"datetimeoffset'${isoStampEncoded(ms)}0000Z'\\""`;
  } else {
    const n = Number(r.$v ?? 1);
    if (Number.isInteger(n) && n >= 0 && n < VERSION_ETAGS.length) return VERSION_ETAGS[n];
  }
  const etag = etagOf(store, r);
  return etag ? `,"etag":${JSON.stringify(etag)}` : '';
}

// ---- values ----------------------------------------------------------------------------------

/** `PThhHmmMssS` per second of the day, filled on use. */
const TIMES: string[] = Array.from({ length: 86_400 }, () => '');
function timeText(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (!(s >= 0 && s < 86_400)) return formatTime(ms);
  return TIMES[s] || (TIMES[s] = flat(formatTime(s * 1000)));
}

const ZEROS: string[] = Array.from({ length: 21 }, (_, n) => flat(n === 0 ? '' : `.${'0'.repeat(n)}`));
/** Number(v).toFixed(scale); `zeros`: its fraction for integers (`.000`), when the scale has one. */
function decimalText(v: Value, scale: number, zeros: string | undefined): string {
  const n = Number(v);
  // Safe integers print all their digits, as toFixed does (larger ones may print rounded).
  if (zeros !== undefined && Number.isSafeInteger(n)) return String(n) + zeros;
  return n.toFixed(scale);
}

/**
 * `${v}` of a number, faster for epoch milliseconds: V8 converts large doubles slowly, so they are
 * written as the millions plus two groups of three digits from a table.
 */
function numberText(v: Value): string {
  if (typeof v === 'number' && v >= 1e6 && v < 1e15 && Number.isInteger(v)) {
    const hi = Math.floor(v / 1e6);
    const lo = v - hi * 1e6;
    if (lo >= 0 && lo < 1e6) {
      const a = Math.floor(lo / 1000);
      return String(hi) + D3[a] + D3[lo - a * 1000];
    }
  }
  return `${v}`;
}

/** The varying text of a value: what goes between the plan's `open` and `close`. */
function valueText(pp: PropPlan, v: Value): string {
  switch (pp.kind) {
    case K_STRING: {
      const s = typeof v === 'string' ? v : String(v);
      return NEEDS_ESCAPE.test(s) ? JSON.stringify(s).slice(1, -1) : s;
    }
    case K_DECIMAL:
      return decimalText(v, pp.scale, pp.zeros);
    case K_DATETIME:
    case K_DATETIMEOFFSET:
      return numberText(v);
    case K_TIME:
      return timeText(Number(v));
    case K_INT:
    case K_INT64:
      return String(Math.trunc(Number(v)));
    default:
      return encodeJson(pp.p, v);
  }
}

// Scratch space of one entity's properties (filled and consumed before any nested entity).
let classes = new Uint8Array(256);
const texts: string[] = [];

/** The properties of r as JSON members, each starting with a comma. */
function propsJson(plan: Plan, r: Rec): string {
  const props = plan.props;
  if (classes.length < props.length) classes = new Uint8Array(props.length * 2);
  if (plan.layoutNodes > MAX_LAYOUT_NODES) {
    plan.layouts = layoutNode();
    plan.layoutNodes = 0;
  }
  let node = plan.layouts;
  let m = 0;
  for (let k = 0; k < props.length; k++) {
    const pp = props[k];
    const v = r[pp.name];
    let c: number;
    if (v === undefined) c = C_DEFAULT;
    else if (v === null) c = C_NULL;
    else if (pp.kind === K_BOOLEAN) c = v ? C_TRUE : C_FALSE;
    else {
      c = C_VALUE;
      texts[m++] = valueText(pp, v);
    }
    classes[k] = c;
    let next = node.next[c];
    if (!next) {
      next = node.next[c] = layoutNode();
      plan.layoutNodes++;
    }
    node = next;
  }
  const segments = (node.segments ??= compileLayout(props, classes));
  let out = segments[0];
  for (let j = 0; j < m; j++) out += texts[j] + segments[j + 1];
  return out;
}

export function writeEntity(
  w: JsonWriter,
  ctx: RenderContext,
  store: SetStore,
  index: number,
  r: Rec,
  shape: Shape,
): void {
  const sp = setPlanOf(ctx.origin, store);
  const uri = uriJson(sp, store.type, r);
  const plan = planOf(shape);
  let out = `{"__metadata":{"id":${uri}","uri":${uri}${sp.typeTail}${etagMember(store, r)}}${propsJson(plan, r)}`;
  const navs = plan.navs;
  for (let k = 0; k < navs.length; k++) {
    const n = navs[k];
    if (!n.expand) {
      out += n.deferredOpen + uri + n.deferredClose;
      continue;
    }
    w.write(out + n.prefix);
    out = '';
    const res = ctx.resolveNav(store, index, r, n.nav);
    const target = res.store;
    if (n.nav.toMany) {
      w.write('{"results":[');
      let first = true;
      if (target) {
        for (const j of res.indices) {
          const c = target.get(j);
          if (!c) continue;
          if (!first) w.write(',');
          first = false;
          writeEntity(w, ctx, target, j, c, n.expand);
        }
      }
      w.write(']}');
    } else {
      const j = res.indices[0];
      const c = target && j !== undefined ? target.get(j) : undefined;
      if (target && c) writeEntity(w, ctx, target, j, c, n.expand);
      else w.write('null');
    }
  }
  w.write(`${out}}`);
}

/** One entity as a JSON string (single-entity replies; collections use writeEntity). */
export function renderEntity(
  ctx: RenderContext,
  store: SetStore,
  index: number,
  r: Rec,
  shape: Shape,
): string {
  const w = new JsonWriter(16 * 1024);
  writeEntity(w, ctx, store, index, r, shape);
  return w.toBuffer().toString('utf8');
}

const bytesPerEntity = new WeakMap<Shape, number>();
/** Buffer size for a page of `count` entities of this shape, from the pages rendered before. */
export function pageSizeHint(shape: Shape, count: number): number {
  const per = bytesPerEntity.get(shape);
  return per === undefined ? 64 * 1024 : per * count * 1.1 + 1024;
}
export function notePageSize(shape: Shape, count: number, bytes: number): void {
  if (count >= 50) bytesPerEntity.set(shape, Math.max(bytesPerEntity.get(shape) ?? 0, bytes / count));
}

/** Shape for a type with everything selected and nothing expanded. */
export function fullShape(type: EntityTypeModel): Shape {
  return { type, props: type.propertyList, navs: [...type.navs.values()].map((nav) => ({ nav })) };
}
