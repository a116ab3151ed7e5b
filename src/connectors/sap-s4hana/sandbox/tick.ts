// Simulated activity in the source system (POST /__sandbox/tick): existing records change and
// get a fresh LastChangeDateTime, so incremental reads have something to pick up.
import { Rng, STREAM } from './random.ts';
import { ST, TRANSITIONS, statusFields } from './order-status.ts';
import type { Rec, SetStore } from './store.ts';
import { childrenOf, linkOf, type World } from './world.ts';
import type { SandboxState } from './state.ts';

export interface Changed {
  entitySet: string;
  key: string | Record<string, unknown>;
}

/** Key as reported to callers: the value for single keys, an object for compound ones. */
export function reportKey(store: SetStore, r: Rec): Changed['key'] {
  if (store.type.keys.length === 1) return String(r[store.type.keys[0]]);
  return Object.fromEntries(store.type.keys.map((k) => [k, r[k]]));
}

export const WEIGHTS: [string, number][] = [
  ['MaintenanceOrder', 50],
  ['A_PurchaseOrder', 20],
  ['Equipment', 10],
  ['A_Product', 10],
  ['A_MatlStkInAcctMod', 10],
];

function pickLive(store: SetStore, r: Rng, ok: (rec: Rec) => boolean = () => true): number {
  for (let attempt = 0; attempt < 12; attempt++) {
    const i = r.int(store.slots);
    const rec = store.get(i);
    if (rec && ok(rec)) return i;
  }
  for (const i of store.indices()) if (ok(store.get(i)!)) return i;
  return -1;
}

const ORDER_STEPS: Record<number, string> = {
  [ST.CRTD]: 'ReleaseMaintenanceOrder',
  [ST.REL]: 'SetMaintOrdToTechCompleted',
  [ST.MWC]: 'SetMaintOrdToTechCompleted',
  [ST.TECO]: 'SetMaintOrderStatusToClosed',
};

function changeOrder(store: SetStore, i: number, r: Rng, stamp: number): void {
  const rec = store.get(i)!;
  const st = Number(rec.$st ?? 0);
  const fl = Number(rec.$fl ?? 0);
  const step = ORDER_STEPS[st];
  const patch: Rec = { LastChangeByUser: 'CB9980000012' };
  if (step && r.chance(0.6) && !TRANSITIONS[step].check(st, fl)) {
    const next = TRANSITIONS[step].apply(st, fl);
    Object.assign(patch, statusFields(next.st, next.fl));
    if (next.st === ST.TECO) patch.MaintOrderReferenceDateTime = stamp;
  } else {
    patch.MaintPriority = r.pick(['1', '2', '3', '4']);
  }
  store.update(i, patch, stamp);
}

function changePurchaseOrder(world: World, store: SetStore, i: number, r: Rng, stamp: number): void {
  const link = linkOf(world, 'A_PurchaseOrder', 'to_PurchaseOrderItem')!;
  const items = world.stores.get('A_PurchaseOrderItem')!;
  const open = childrenOf(world, link, i).filter((j) => {
    const it = items.get(j)!;
    return !it.IsCompletelyDelivered && !it.PurchasingDocumentDeletionCode;
  });
  if (open.length && !store.get(i)!.PurchasingDocumentDeletionCode) {
    const j = open[r.int(open.length)];
    const it = items.get(j)!;
    items.update(
      j,
      r.chance(0.5)
        ? { IsCompletelyDelivered: true }
        : { OrderQuantity: Number(it.OrderQuantity) + r.range(1, 10) },
    );
  }
  store.update(i, {}, stamp);
}

/** `sets`: change only records of these entity sets (default: all, by their weights). */
export function tick(st: SandboxState, count: number, deletes: number, sets?: string[]): Changed[] {
  const world = st.world;
  const r = new Rng(world.ctx.seed, STREAM.tick, st.ticks++);
  const changed: Changed[] = [];
  const weights = sets ? WEIGHTS.filter(([set]) => sets.includes(set)) : WEIGHTS;
  const total = weights.reduce((s, [, w]) => s + w, 0);
  for (let n = 0; n < count && total > 0; n++) {
    let u = r.int(total);
    const set = weights.find(([, w]) => (u -= w) < 0)![0];
    const store = world.stores.get(set)!;
    const i = pickLive(store, r);
    if (i < 0) continue;
    const stamp = world.clock.stamp();
    if (set === 'MaintenanceOrder') changeOrder(store, i, r, stamp);
    else if (set === 'A_PurchaseOrder') changePurchaseOrder(world, store, i, r, stamp);
    else if (set === 'Equipment')
      store.update(i, { ABCIndicator: r.pick(['A', 'B', 'C']), LastChangedByUser: 'CB9980000012' }, stamp);
    else if (set === 'A_Product')
      store.update(i, { GrossWeight: r.range(1, 50_000) / 1000, LastChangedByUser: 'CB9980000012' }, stamp);
    else {
      const q = Number(store.get(i)!.MatlWrhsStkQtyInMatlBaseUnit ?? 0);
      store.update(i, { MatlWrhsStkQtyInMatlBaseUnit: Math.max(0, q + r.range(-5, 20)) });
    }
    changed.push({ entitySet: set, key: reportKey(store, store.get(i)!) });
  }
  const pos = world.stores.get('A_PurchaseOrder')!;
  const items = world.stores.get('A_PurchaseOrderItem')!;
  const link = linkOf(world, 'A_PurchaseOrder', 'to_PurchaseOrderItem')!;
  for (let n = 0; n < deletes; n++) {
    const i = pickLive(pos, r, (rec) => !rec.PurchasingDocumentDeletionCode);
    if (i < 0) break;
    for (const j of childrenOf(world, link, i)) items.update(j, { PurchasingDocumentDeletionCode: 'L' });
    pos.update(i, { PurchasingDocumentDeletionCode: 'L' }, world.clock.stamp());
    changed.push({ entitySet: 'A_PurchaseOrder', key: reportKey(pos, pos.get(i)!) });
  }
  return changed;
}
