// Evaluates $filter / $orderby / $skip / $top / $skiptoken over a store.
// The ordered list of matching record numbers is computed once per (set, filter, orderby) and
// cached: later requests for other chunks ($skip) reuse it while the set is unchanged, and pages
// reached through $skiptoken walk the list of their first page even after changes, so records
// changing mid-read are neither skipped nor repeated (their current values are rendered).
// Computing the list avoids building records where it can: LastChangeDateTime ranges come
// from the time index, key order is index order for number-range sets, and filters on a few
// cheap fields (keys, creation dates...) read those fields without generating the record.
import { compileFilter, extractRange, parseFilter, type FilterNode, type Range } from './filter.ts';
import { checkOrderBy, type OrderBy, type QueryOptions } from './query-options.ts';
import { defaultValue, type Value } from './edm-values.ts';
import type { Rec, SetStore } from './store.ts';

export type Candidates = { kind: 'all' } | { kind: 'list'; indices: number[] };

export interface QueryResult {
  /** Matches of the filter (what $inlinecount reports). */
  count: number;
  page: number[];
  /** Offset for the next page's $skiptoken, when there is one. */
  next?: number;
}

const LCDT = 'LastChangeDateTime';
const MAX_CACHED = 32;

function propsOf(node: FilterNode | undefined, out = new Set<string>()): Set<string> {
  if (!node) return out;
  if (node.k === 'prop') out.add(node.name);
  else if (node.k === 'not') propsOf(node.a, out);
  else if (node.k === 'and' || node.k === 'or' || node.k === 'cmp') {
    propsOf(node.a, out);
    propsOf(node.b, out);
  } else if (node.k === 'fn') for (const a of node.args) propsOf(a, out);
  return out;
}

const inRange = (r: Range, t: number) =>
  (r.lo === undefined || t > r.lo || (r.loInclusive && t === r.lo)) &&
  (r.hi === undefined || t < r.hi || (r.hiInclusive && t === r.hi));

export class QueryEngine {
  private readonly cache = new Map<string, { version: number; list: Int32Array }>();

  run(store: SetStore, cand: Candidates, o: QueryOptions, pageSize: number): QueryResult {
    checkOrderBy(store.type, o.orderby);
    const node = o.filter !== undefined && o.filter.trim() !== '' ? parseFilter(o.filter) : undefined;
    if (node) compileFilter(node, store.type); // validates even when the answer comes from the cache
    const key =
      cand.kind === 'all'
        ? `${store.name}\u0000${o.filter ?? ''}\u0000${o.orderby.map((x) => `${x.prop} ${x.desc}`).join()}`
        : undefined;
    const hit = key ? this.cache.get(key) : undefined;
    let list = hit && (o.skiptoken || hit.version === store.version) ? hit.list : undefined;
    if (!list) {
      list = this.compute(store, cand, node, o.orderby);
      if (key) {
        this.cache.delete(key);
        if (this.cache.size >= MAX_CACHED) this.cache.delete(this.cache.keys().next().value!);
        this.cache.set(key, { version: store.version, list });
      }
    }
    const count = list.length;
    const start = Math.min(count, o.skip ?? 0);
    const end = o.top === undefined ? count : Math.min(count, start + o.top);
    const from = Math.min(end, start + (o.skiptoken ?? 0));
    const to = Math.min(end, from + pageSize);
    const page: number[] = [];
    for (let k = from; k < to; k++) if (store.isLive(list[k])) page.push(list[k]);
    return { count, page, next: to < end ? to - start : undefined };
  }

  /** 'asc'/'desc' when the orderby is LastChangeDateTime, then optionally key fields, one direction. */
  private timeOrder(store: SetStore, orderby: OrderBy[]): 'asc' | 'desc' | undefined {
    if (orderby.length === 0 || orderby[0].prop !== LCDT) return undefined;
    const dir = orderby[0].desc;
    for (let k = 1; k < orderby.length; k++) {
      if (orderby[k].desc !== dir || store.type.keys[k - 1] !== orderby[k].prop) return undefined;
    }
    return dir ? 'desc' : 'asc';
  }

  /** 'asc'/'desc' when the orderby is (a prefix of) the key fields in one direction, or empty. */
  private keyOrder(store: SetStore, orderby: OrderBy[]): 'asc' | 'desc' | undefined {
    if (orderby.length === 0) return 'asc';
    const dir = orderby[0].desc;
    for (let k = 0; k < orderby.length; k++) {
      if (orderby[k].desc !== dir || store.type.keys[k] !== orderby[k].prop) return undefined;
    }
    return dir ? 'desc' : 'asc';
  }

  /** A per-record test that reads as little of the record as the filter needs. */
  private matcher(store: SetStore, node: FilterNode | undefined): (i: number) => boolean {
    if (!node) return () => true;
    const split = store.index ? extractRange(node, LCDT) : { range: undefined, rest: node };
    const range = split.range;
    const rest = split.rest;
    const pred = rest ? compileFilter(rest, store.type) : undefined;
    const props = [...propsOf(rest)];
    const cheap = props.every((p) => store.hasFast(p));
    return (i) => {
      if (range && !inRange(range, store.lastChange(i))) return false;
      if (!pred) return true;
      let r: Rec | undefined;
      if (cheap) {
        const light: Rec = {};
        for (const p of props) {
          const v = store.fastValue(i, p);
          if (v === undefined) {
            r = store.get(i);
            break;
          }
          light[p] = v;
        }
        r ??= light;
      } else r = store.get(i);
      return !!r && pred(r);
    };
  }

  private compute(
    store: SetStore,
    cand: Candidates,
    node: FilterNode | undefined,
    orderby: OrderBy[],
  ): Int32Array {
    const ix = store.index;
    const keep = this.matcher(store, node);
    if (cand.kind === 'list') {
      return Int32Array.from(this.sort(store, cand.indices.filter(keep), orderby));
    }
    const timeDir = ix && this.timeOrder(store, orderby);
    const range = ix && node ? extractRange(node, LCDT).range : undefined;
    if (ix && (timeDir || (range && orderby.length === 0))) {
      // Walk the time index over the range (everything when there is none).
      const a = range?.lo === undefined ? 0 : ix.lowerBound(range.lo, range.loInclusive);
      const b = range?.hi === undefined ? ix.size : Math.max(a, ix.lowerBound(range.hi, !range.hiInclusive));
      const exact = node && !extractRange(node, LCDT).rest;
      const slice = exact || !node ? ix.slice(a, b).slice() : ix.slice(a, b).filter(keep);
      return timeDir === 'desc' ? slice.reverse() : slice;
    }
    const keyDir = this.keyOrder(store, orderby);
    if (keyDir && (store.keyOrdered || orderby.length === 0)) {
      // Index order is key order here, so a filtered scan needs no sort.
      const out: number[] = [];
      for (const i of store.indices()) if (keep(i)) out.push(i);
      return keyDir === 'desc' ? Int32Array.from(out).reverse() : Int32Array.from(out);
    }
    const out: number[] = [];
    for (const i of store.indices()) if (keep(i)) out.push(i);
    return Int32Array.from(this.sort(store, out, orderby));
  }

  private sort(store: SetStore, list: number[], orderby: OrderBy[]): number[] {
    if (orderby.length === 0) return list;
    const props = orderby.map((x) => store.type.properties.get(x.prop)!);
    const cheap = props.every((p) => store.hasFast(p.name));
    const keys: Value[][] = list.map((i) => {
      const r = cheap ? undefined : store.get(i);
      return props.map((p) => {
        const v = cheap ? (store.fastValue(i, p.name) ?? store.get(i)?.[p.name]) : r?.[p.name];
        return v === undefined ? defaultValue(p.type) : v;
      });
    });
    const pos = list.map((_, k) => k);
    pos.sort((x, y) => {
      for (let c = 0; c < props.length; c++) {
        const a = keys[x][c];
        const b = keys[y][c];
        if (a === b) continue;
        const cmp = a === null ? -1 : b === null ? 1 : a < b ? -1 : 1;
        return orderby[c].desc ? -cmp : cmp;
      }
      return list[x] - list[y];
    });
    return pos.map((k) => list[k]);
  }
}
