// One entity set's records: generated ones (regenerated from the seed on each read), records
// created through the API, sparse overrides for changed fields, removals, and for sets whose type
// has LastChangeDateTime a timestamp array plus the sorted index over it.
import type { EntitySetModel, EntityTypeModel } from './edmx.ts';
import type { Value } from './edm-values.ts';
import { TimeIndex } from './indexes.ts';

/** A record: EDMX property values plus internal fields whose names start with "$". */
export type Rec = Record<string, Value | undefined>;

export interface SetSource {
  baseCount: number;
  /** Deterministic record i (without LastChangeDateTime, which the store owns). */
  gen(i: number): Rec;
  /** Index of the generated record with these key values, or -1. */
  findBase(key: Rec): number;
  /** Initial LastChangeDateTime of generated record i, for types that have the property. */
  baseLcdt?(i: number): number;
  /** Fields derived from others after overrides apply (e.g. LastChangeDate from LastChangeDateTime). */
  finish?(r: Rec): void;
  /** Generated records are numbered in key order (a number range), so index order is key order. */
  keyOrdered?: boolean;
  /** Cheap accessors for a few fields of generated records, so filters need not build whole records. */
  fast?: Record<string, (i: number) => Value>;
}

export type EtagKind = 'lcdt' | 'version' | 'none';

export class SetStore {
  readonly name: string;
  readonly service: string;
  readonly model: EntitySetModel;
  readonly type: EntityTypeModel;
  readonly etagKind: EtagKind;
  readonly index?: TimeIndex;
  /** Created children of a parent record (by the parent's index in its own set). */
  readonly extraChildren = new Map<number, number[]>();
  private readonly src: SetSource;
  private readonly created: Rec[] = [];
  private readonly createdKeys = new Map<string, number>();
  private readonly overrides = new Map<number, Rec>();
  private readonly removed = new Set<number>();
  private lcdt: Float64Array;
  private readonly onChange: () => void;
  private lastCreatedKey?: Rec;
  /** Index order is key order: true for number ranges as long as creations keep ascending keys. */
  keyOrdered: boolean;
  /** Bumped on every change of this set; cached query results compare it. */
  version = 0;

  constructor(service: string, model: EntitySetModel, src: SetSource, onChange: () => void) {
    this.name = model.name;
    this.service = service;
    this.model = model;
    this.type = model.entityType;
    this.src = src;
    this.onChange = onChange;
    this.keyOrdered = src.keyOrdered === true;
    const hasLcdt = this.type.properties.get('LastChangeDateTime')?.type === 'Edm.DateTimeOffset';
    const writable = model.updatable || model.deletable || model.creatable;
    this.etagKind = hasLcdt ? 'lcdt' : writable ? 'version' : 'none';
    this.lcdt = new Float64Array(hasLcdt ? Math.max(16, src.baseCount) : 0);
    if (hasLcdt) {
      if (!src.baseLcdt) throw new Error(`${this.name}: LastChangeDateTime source missing`);
      for (let i = 0; i < src.baseCount; i++) this.lcdt[i] = src.baseLcdt(i);
      this.index = new TimeIndex(() => this.lcdt, src.baseCount);
    }
  }

  get baseCount(): number {
    return this.src.baseCount;
  }
  /** Number of index slots (generated + created), including removed ones. */
  get slots(): number {
    return this.src.baseCount + this.created.length;
  }
  get liveCount(): number {
    return this.slots - this.removed.size;
  }
  isLive(i: number): boolean {
    return i >= 0 && i < this.slots && !this.removed.has(i);
  }
  lastChange(i: number): number {
    return this.lcdt[i];
  }
  maxLastChange(): number {
    const ix = this.index;
    return ix && ix.size ? this.lcdt[ix.at(ix.size - 1)] : 0;
  }

  get(i: number): Rec | undefined {
    if (!this.isLive(i)) return undefined;
    let r: Rec;
    if (i < this.src.baseCount) {
      r = this.src.gen(i);
      const o = this.overrides.get(i);
      if (o) Object.assign(r, o);
    } else {
      r = { ...this.created[i - this.src.baseCount] };
    }
    if (this.index) r.LastChangeDateTime = this.lcdt[i];
    this.src.finish?.(r);
    return r;
  }

  /** Value of a field without generating the record, or undefined when the record must be built. */
  fastValue(i: number, prop: string): Value | undefined {
    if (prop === 'LastChangeDateTime' && this.index) return this.isLive(i) ? this.lcdt[i] : undefined;
    const f = this.src.fast?.[prop];
    if (!f || i >= this.src.baseCount) return undefined;
    const o = this.overrides.get(i);
    if (o && prop in o) return o[prop];
    return f(i);
  }

  hasFast(prop: string): boolean {
    return (prop === 'LastChangeDateTime' && !!this.index) || !!this.src.fast?.[prop];
  }

  keyString(r: Rec): string {
    return this.type.keys.map((k) => String(r[k] ?? '')).join('\u0000');
  }

  /** Index of the live record with these key values, or -1. */
  find(key: Rec): number {
    const c = this.createdKeys.get(this.keyString(key));
    if (c !== undefined) return this.isLive(c) ? c : -1;
    const i = this.src.findBase(key);
    return i >= 0 && this.isLive(i) ? i : -1;
  }

  /** Natural order: generated records by index (= key order), then created ones. */
  *indices(): Generator<number> {
    const n = this.slots;
    if (this.removed.size === 0) {
      for (let i = 0; i < n; i++) yield i;
    } else {
      for (let i = 0; i < n; i++) if (!this.removed.has(i)) yield i;
    }
  }

  /** Applies changed fields; `stamp` moves LastChangeDateTime (and the index position). */
  update(i: number, patch: Rec, stamp?: number): void {
    if (!this.isLive(i)) throw new Error(`${this.name}: update of missing record ${i}`);
    if (this.etagKind === 'version') patch = { ...patch, $v: Number(this.get(i)?.$v ?? 1) + 1 };
    if (i < this.src.baseCount) this.overrides.set(i, { ...this.overrides.get(i), ...patch });
    else Object.assign(this.created[i - this.src.baseCount], patch);
    if (stamp !== undefined && this.index) {
      this.index.remove(i, this.lcdt[i]);
      this.lcdt[i] = stamp;
      this.index.insert(i);
    }
    this.version++;
    this.onChange();
  }

  create(r: Rec, stamp?: number): number {
    const i = this.slots;
    if (this.keyOrdered) {
      const prev =
        this.lastCreatedKey ?? (this.src.baseCount ? this.src.gen(this.src.baseCount - 1) : undefined);
      if (prev && compareKeys(this.type.keys, prev, r) >= 0) this.keyOrdered = false;
      this.lastCreatedKey = r;
    }
    this.created.push({ ...r });
    this.createdKeys.set(this.keyString(r), i);
    if (this.index) {
      if (i >= this.lcdt.length) {
        const grown = new Float64Array(this.lcdt.length * 2);
        grown.set(this.lcdt);
        this.lcdt = grown;
      }
      this.lcdt[i] = stamp ?? 0;
      this.index.insert(i);
    }
    this.version++;
    this.onChange();
    return i;
  }

  remove(i: number): void {
    if (!this.isLive(i)) return;
    if (this.index) this.index.remove(i, this.lcdt[i]);
    this.removed.add(i);
    this.version++;
    this.onChange();
  }

  addChild(parent: number, child: number): void {
    const xs = this.extraChildren.get(parent);
    if (xs) xs.push(child);
    else this.extraChildren.set(parent, [child]);
  }
}

/** Weak ETag of a record, in Gateway's form. */
export function etagOf(store: SetStore, r: Rec): string | undefined {
  if (store.etagKind === 'none') return undefined;
  if (store.etagKind === 'version') return `W/"'${Number(r.$v ?? 1)}'"`;
  const iso = new Date(Number(r.LastChangeDateTime)).toISOString().slice(0, 23);
  return `W/"datetimeoffset'${encodeURIComponent(iso)}0000Z'"`;
}

function compareKeys(keys: string[], a: Rec, b: Rec): number {
  for (const k of keys) {
    const x = a[k] ?? '';
    const y = b[k] ?? '';
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}
