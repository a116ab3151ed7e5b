// Compact indexes over generated records: parent→children ranges as prefix sums, and the
// LastChangeDateTime order that lets a delta query cost O(page) instead of O(volume).

/** Children of parent p are the flat indices [start[p], start[p+1]). */
export class Nested {
  readonly start: Int32Array;
  constructor(parentCount: number, countOf: (p: number) => number) {
    this.start = new Int32Array(parentCount + 1);
    for (let p = 0; p < parentCount; p++) this.start[p + 1] = this.start[p] + countOf(p);
  }
  get total(): number {
    return this.start[this.start.length - 1];
  }
  count(p: number): number {
    return this.start[p + 1] - this.start[p];
  }
  /** Parent of flat child index j (binary search over the prefix sums). */
  parentOf(j: number): number {
    const s = this.start;
    let lo = 0;
    let hi = s.length - 2;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (s[mid] <= j) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}

/** Record indices sorted by (timestamp, index); kept sorted as records change. */
export class TimeIndex {
  private order: Int32Array;
  private n: number;
  private readonly ts: () => Float64Array;
  constructor(ts: () => Float64Array, count: number) {
    this.ts = ts;
    const t = ts();
    const idx = new Int32Array(count);
    for (let i = 0; i < count; i++) idx[i] = i;
    idx.sort((a, b) => t[a] - t[b] || a - b);
    this.order = idx;
    this.n = count;
  }
  get size(): number {
    return this.n;
  }
  at(pos: number): number {
    return this.order[pos];
  }
  /** View of positions [from, to) — valid until the next change. */
  slice(from: number, to: number): Int32Array {
    return this.order.subarray(from, to);
  }
  /** First position whose (t, i) is not before (ms, idx). */
  private lowerBoundPair(ms: number, idx: number): number {
    const t = this.ts();
    let lo = 0;
    let hi = this.n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const j = this.order[mid];
      if (t[j] < ms || (t[j] === ms && j < idx)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
  /** First position with timestamp >= ms (inclusive) or > ms (exclusive). */
  lowerBound(ms: number, inclusive: boolean): number {
    const t = this.ts();
    let lo = 0;
    let hi = this.n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const v = t[this.order[mid]];
      if (v < ms || (!inclusive && v === ms)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
  /** Removes idx, whose timestamp is still `ms` in the backing array. */
  remove(idx: number, ms: number): void {
    const pos = this.lowerBoundPair(ms, idx);
    if (pos >= this.n || this.order[pos] !== idx) return;
    this.order.copyWithin(pos, pos + 1, this.n);
    this.n--;
  }
  /** Inserts idx at its place for the timestamp now in the backing array. */
  insert(idx: number): void {
    const ms = this.ts()[idx];
    const pos = this.lowerBoundPair(ms, idx);
    if (this.n === this.order.length) {
      const grown = new Int32Array(Math.max(16, this.order.length * 2));
      grown.set(this.order);
      this.order = grown;
    }
    this.order.copyWithin(pos + 1, pos, this.n);
    this.order[pos] = idx;
    this.n++;
  }
}
