// Shared inputs of the generators: seed, the anchor "now", how many records of each kind a
// volume means, and the history timeline (numbers are assigned in creation order, like SAP
// number ranges, and changes fall between creation and now).
import { unit } from '../random.ts';

export const DAY = 86_400_000;
export const HISTORY_DAYS = 730;
const SPAN = HISTORY_DAYS * DAY;

export interface Scale {
  orders: number;
  purchaseOrders: number;
  equipment: number;
  products: number;
  suppliers: number;
}

/** Everything scales with the number of maintenance orders; small volumes keep a usable floor. */
export function scaleFor(volume: number): Scale {
  const v = Math.max(0, Math.floor(volume));
  return {
    orders: v,
    purchaseOrders: Math.max(30, Math.ceil(v / 4)),
    equipment: Math.max(40, Math.ceil(v / 10)),
    products: Math.max(60, Math.ceil(v / 20)),
    suppliers: Math.max(25, Math.ceil(v / 100)),
  };
}

export interface Ctx {
  seed: number;
  now: number;
  scale: Scale;
}

/** Creation instant of record i of `count`: increasing with i over the last two years. */
export function createdAt(ctx: Ctx, stream: number, i: number, count: number): number {
  const start = ctx.now - SPAN;
  return Math.floor(start + ((i + unit(ctx.seed, stream, i, 101)) / Math.max(1, count)) * (SPAN - 3_600_000));
}

/** Last change between creation and now (uniform), so recent windows hold a sizeable share. */
export function changedAt(ctx: Ctx, stream: number, i: number, created: number): number {
  const u = unit(ctx.seed, stream, i, 202);
  return Math.floor(created + (ctx.now - 1000 - created) * u);
}

/** Fraction of the history elapsed since creation: 0 = just now, 1 = two years ago. */
export const ageOf = (ctx: Ctx, created: number) => Math.min(1, Math.max(0, (ctx.now - created) / SPAN));

export const dayStart = (ms: number) => ms - (((ms % DAY) + DAY) % DAY);
export const timeOfDay = (ms: number) => ((ms % DAY) + DAY) % DAY;
const ZERO_RUNS: string[] = Array.from({ length: 24 }, (_, k) => '0'.repeat(k));
/** String(n).padStart(w, '0'), without building the filler each time. */
export function pad(n: number, w: number): string {
  const s = String(n);
  const k = w - s.length;
  return k <= 0 ? s : k < ZERO_RUNS.length ? ZERO_RUNS[k] + s : s.padStart(w, '0');
}
export const trunc = (s: string, n: number) => (s.length > n ? s.slice(0, n) : s);
/** The far-future validity end SAP uses for current time segments (9999-12-31). */
export const END_OF_TIME = Date.UTC(9999, 11, 31);
