// Evaluates $filter / $orderby / $skip / $top / $skiptoken over a store.
// Delta reads (a LastChangeDateTime range, ordered by LastChangeDateTime or not at all) come
// straight from the time index; everything else goes through the general evaluator. The first
// page of a query fixes the ordered list of matching records (a snapshot of record numbers);
// pages reached through $skiptoken walk that snapshot, so a page costs O(page) and records
// changing mid-read are neither skipped nor repeated (their current values are rendered).
import { compileFilter, extractRange, parseFilter, type FilterNode } from './filter.ts';
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
/** Sets whose keys come from a number range in creation order, so index order is key order. */
const NUMBERED = new Set(['MaintenanceOrder', 'A_PurchaseOrder', 'Equipment']);
const MAX_SNAPSHOTS = 32;

export class QueryEngine {
  private readonly snapshots = new Map<string, Int32Array>();

  run(store: SetStore, cand: Candidates, o: QueryOptions, pageSize: number): QueryResult {
    checkOrderBy(store.type, o.orderby);
    const node = o.filter !== undefined && o.filter.trim() !== '' ? parseFilter(o.filter) : undefined;
    const pred = node ? compileFilter(node, store.type) : undefined;
    const key =
      cand.kind === 'all'
        ? `${store.name}\u0000${o.filter ?? ''}\u0000${o.orderby.map((x) => `${x.prop} ${x.desc}`).join()}`
        : undefined;
    let list = key && o.skiptoken ? this.snapshots.get(key) : undefined;
    if (!list) {
      list = this.fastPath(store, cand, node, o.orderby) ?? this.general(store, cand, node, pred, o.orderby);
      if (key) {
        this.snapshots.delete(key);
        if (this.snapshots.size >= MAX_SNAPSHOTS) this.snapshots.delete(this.snapshots.keys().next().value!);
        this.snapshots.set(key, list);
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

  /** Index order serves an orderby of LastChangeDateTime followed by key fields in the same direction. */
  private indexOrder(store: SetStore, orderby: OrderBy[]): 'asc' | 'desc' | undefined {
    if (orderby.length === 0) return 'asc';
    if (orderby[0].prop !== LCDT) return undefined;
    const dir = orderby[0].desc;
    const keys = store.type.keys;
    for (let k = 1; k < orderby.length; k++) {
      if (orderby[k].desc !== dir || keys[k - 1] !== orderby[k].prop) return undefined;
    }
    return dir ? 'desc' : 'asc';
  }

  private fastPath(
    store: SetStore,
    cand: Candidates,
    node: FilterNode | undefined,
    orderby: OrderBy[],
  ): Int32Array | undefined {
    if (cand.kind !== 'all') return undefined;
    if (!node && orderby.length === 0) {
      if (store.liveCount !== store.slots) return undefined;
      // Natural (key) order with nothing removed: position k is record k.
      const all = new Int32Array(store.slots);
      for (let i = 0; i < all.length; i++) all[i] = i;
      return all;
    }
    const ix = store.index;
    const dir = ix && this.indexOrder(store, orderby);
    if (!ix || !dir) return undefined;
    let a = 0;
    let b = ix.size;
    if (node) {
      const { range, rest } = extractRange(node, LCDT);
      if (!range || rest) return undefined;
      if (range.lo !== undefined) a = ix.lowerBound(range.lo, range.loInclusive);
      if (range.hi !== undefined) b = ix.lowerBound(range.hi, !range.hiInclusive);
      if (b < a) b = a;
    }
    const slice = ix.slice(a, b).slice();
    return dir === 'asc' ? slice : slice.reverse();
  }

  private general(
    store: SetStore,
    cand: Candidates,
    node: FilterNode | undefined,
    pred: ((r: Rec) => boolean) | undefined,
    orderby: OrderBy[],
  ): Int32Array {
    const list: number[] = [];
    const keep = (i: number) => {
      if (!pred) return true;
      const r = store.get(i);
      return !!r && pred(r);
    };
    const ix = store.index;
    const split = ix && node && cand.kind === 'all' ? extractRange(node, LCDT) : undefined;
    const range = split?.range;
    let inIndexOrder = false;
    if (cand.kind === 'list') {
      for (const i of cand.indices) if (keep(i)) list.push(i);
    } else if (ix && range) {
      // The range narrows the scan; the predicate only runs when more than the range is asked.
      const a = range.lo === undefined ? 0 : ix.lowerBound(range.lo, range.loInclusive);
      const b = range.hi === undefined ? ix.size : ix.lowerBound(range.hi, !range.hiInclusive);
      for (let p = a; p < b; p++) if (!split.rest || keep(ix.at(p))) list.push(ix.at(p));
      inIndexOrder = true;
    } else {
      for (const i of store.indices()) if (keep(i)) list.push(i);
    }
    return Int32Array.from(this.sort(store, list, orderby, inIndexOrder));
  }

  private sort(store: SetStore, list: number[], orderby: OrderBy[], inIndexOrder: boolean): number[] {
    // Without $orderby: key order, or LastChangeDateTime order after a range scan of the index.
    if (orderby.length === 0) return list;
    if (inIndexOrder && this.indexOrder(store, orderby) === 'asc') return list;
    const single =
      orderby.length === 1 && store.type.keys.length === 1 && orderby[0].prop === store.type.keys[0];
    if (single && NUMBERED.has(store.name)) {
      list.sort((a, b) => a - b);
      return orderby[0].desc ? list.reverse() : list;
    }
    const props = orderby.map((x) => store.type.properties.get(x.prop)!);
    const onlyTime = props.every((p) => p.name === LCDT) && !!store.index;
    const keys: Value[][] = list.map((i) => {
      const r = onlyTime ? undefined : store.get(i);
      return props.map((p) => {
        if (p.name === LCDT && store.index) return store.lastChange(i);
        const v = r?.[p.name];
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
