// Deterministic pseudo-randomness keyed by (seed, stream, index): any record can be regenerated
// on its own, in any order, which is what lets the sandbox keep 400,000 orders without storing them.

/** 32-bit integer mix of a few numbers (murmur3-style finalizer). */
export function hash32(a: number, b: number, c: number, d = 0): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ b;
  h = Math.imul(h ^ (h >>> 15), 0xc2b2ae35) ^ c;
  h = Math.imul(h ^ (h >>> 13), 0x27d4eb2f) ^ d;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Small sequential generator (mulberry32) for the fields of one record. */
export class Rng {
  private s: number;
  constructor(seed: number, stream: number, index: number) {
    this.s = hash32(seed, stream, index);
  }
  /** A generator at the same position: it draws the same numbers from here on. */
  copy(): Rng {
    const c = new Rng(0, 0, 0);
    c.s = this.s;
    return c;
  }
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)];
  }
}

/** Uniform [0,1) from a hash, for single draws that must not depend on a record's other fields. */
export const unit = (seed: number, stream: number, index: number, salt = 0) =>
  hash32(seed, stream, index, salt) / 4294967296;

/** Stream ids: one per kind of generated record. */
export const STREAM = {
  plant: 1,
  supplier: 2,
  product: 3,
  productPlant: 4,
  productSloc: 5,
  stock: 6,
  equipment: 7,
  order: 8,
  operation: 9,
  component: 10,
  purchaseOrder: 11,
  poItem: 12,
  counts: 13,
  tick: 14,
} as const;
