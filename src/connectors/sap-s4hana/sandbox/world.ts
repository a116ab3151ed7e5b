// The sandbox's data: one store per served entity set, built from the seed, plus the
// parent/child links the navigation properties of the EDMX follow.
import { loadServices, type ServiceModel } from './edmx.ts';
import { SetStore, type SetSource } from './store.ts';
import { SandboxClock } from './clock.ts';
import type { Nested } from './indexes.ts';
import { scaleFor, type Ctx } from './data/context.ts';
import {
  descriptionNesting,
  descriptionSource,
  plantSource,
  productSource,
  supplierSource,
} from './data/master.ts';
import {
  buildStockLayout,
  materialStockSource,
  productPlantSource,
  productSlocSource,
  stockRowSource,
  stockRowsOfMaterial,
} from './data/stock.ts';
import { buildHasSubordinates, equipmentSource } from './data/equipment.ts';
import {
  componentNesting,
  componentSource,
  operationNesting,
  operationSource,
  orderSource,
} from './data/orders.ts';
import { itemNesting, purchaseOrderItemSource, purchaseOrderSource } from './data/purchasing.ts';

/** A composition in the EDMX: parent set, its to-many navigation, and the shared key fields. */
export interface ChildLink {
  parent: string;
  nav: string;
  child: string;
  keys: string[];
  /** Generated children of generated parent i: flat indices [from, to). */
  baseRange(i: number): [number, number];
}

export interface World {
  ctx: Ctx;
  clock: SandboxClock;
  services: Map<string, ServiceModel>;
  /** Served sets by entity set name (unique across the served services). */
  stores: Map<string, SetStore>;
  links: ChildLink[];
  /** Bumped on every change; read caches compare it. */
  version: number;
}

export interface WorldOptions {
  seed: number;
  volume: number;
  now?: Date;
}

const rangeOf =
  (n: Nested) =>
  (i: number): [number, number] => [n.start[i], n.start[i + 1]];

export function buildWorld(opts: WorldOptions): World {
  const clock = new SandboxClock(opts.now);
  const ctx: Ctx = { seed: opts.seed, now: clock.start, scale: scaleFor(opts.volume) };
  const services = loadServices();
  const world: World = { ctx, clock, services, stores: new Map(), links: [], version: 0 };
  const bump = () => {
    world.version++;
  };
  const add = (service: string, set: string, src: SetSource) => {
    const model = services.get(service)?.entitySets.get(set);
    if (!model) throw new Error(`EDMX of ${service} has no entity set ${set}`);
    world.stores.set(set, new SetStore(service, model, src, bump));
  };

  const descs = descriptionNesting(ctx);
  const stock = buildStockLayout(ctx);
  const ops = operationNesting(ctx);
  const comps = componentNesting(ctx, ops);
  const items = itemNesting(ctx);

  add('API_PLANT_SRV', 'A_Plant', plantSource());
  add('API_BUSINESS_PARTNER', 'A_Supplier', supplierSource(ctx));
  add('API_PRODUCT_SRV', 'A_Product', productSource(ctx));
  add('API_PRODUCT_SRV', 'A_ProductDescription', descriptionSource(ctx, descs));
  add('API_PRODUCT_SRV', 'A_ProductPlant', productPlantSource(ctx, stock));
  add('API_PRODUCT_SRV', 'A_ProductStorageLocation', productSlocSource(ctx, stock));
  add('API_MATERIAL_STOCK_SRV', 'A_MaterialStock', materialStockSource(ctx, stock));
  add('API_MATERIAL_STOCK_SRV', 'A_MatlStkInAcctMod', stockRowSource(ctx, stock));
  add('API_EQUIPMENT', 'Equipment', equipmentSource(ctx, buildHasSubordinates(ctx)));
  add('API_MAINTENANCEORDER', 'MaintenanceOrder', orderSource(ctx));
  add('API_MAINTENANCEORDER', 'MaintenanceOrderOperation', operationSource(ctx, ops));
  add('API_MAINTENANCEORDER', 'MaintOrderOpComponent', componentSource(ctx, ops, comps));
  add('API_PURCHASEORDER_PROCESS_SRV', 'A_PurchaseOrder', purchaseOrderSource(ctx));
  add('API_PURCHASEORDER_PROCESS_SRV', 'A_PurchaseOrderItem', purchaseOrderItemSource(ctx, items));

  world.links = [
    {
      parent: 'A_PurchaseOrder',
      nav: 'to_PurchaseOrderItem',
      child: 'A_PurchaseOrderItem',
      keys: ['PurchaseOrder'],
      baseRange: rangeOf(items),
    },
    {
      parent: 'MaintenanceOrder',
      nav: 'to_MaintenanceOrderOperation',
      child: 'MaintenanceOrderOperation',
      keys: ['MaintenanceOrder'],
      baseRange: rangeOf(ops),
    },
    {
      parent: 'MaintenanceOrderOperation',
      nav: 'to_MaintOrderOpComponent_2',
      child: 'MaintOrderOpComponent',
      keys: ['MaintenanceOrder', 'MaintenanceOrderOperation', 'MaintenanceOrderSubOperation'],
      baseRange: rangeOf(comps),
    },
    {
      parent: 'A_Product',
      nav: 'to_Description',
      child: 'A_ProductDescription',
      keys: ['Product'],
      baseRange: rangeOf(descs),
    },
    {
      parent: 'A_Product',
      nav: 'to_Plant',
      child: 'A_ProductPlant',
      keys: ['Product'],
      baseRange: rangeOf(stock.productPlants),
    },
    {
      parent: 'A_ProductPlant',
      nav: 'to_StorageLocation',
      child: 'A_ProductStorageLocation',
      keys: ['Product', 'Plant'],
      baseRange: rangeOf(stock.slocs),
    },
    {
      parent: 'A_MaterialStock',
      nav: 'to_MatlStkInAcctMod',
      child: 'A_MatlStkInAcctMod',
      keys: ['Material'],
      baseRange: (m) => stockRowsOfMaterial(stock, m),
    },
  ];
  for (const l of world.links) {
    const nav = world.stores.get(l.parent)!.type.navs.get(l.nav);
    if (!nav?.toMany || nav.targetSet !== l.child)
      throw new Error(`EDMX navigation ${l.parent}/${l.nav} does not lead to ${l.child}`);
  }
  for (const s of world.stores.values()) clock.observe(s.maxLastChange());
  return world;
}

/** Live children of parent record i along a composition link (generated, then created ones). */
export function childrenOf(world: World, link: ChildLink, i: number): number[] {
  const parent = world.stores.get(link.parent)!;
  const child = world.stores.get(link.child)!;
  const out: number[] = [];
  if (i < parent.baseCount) {
    const [from, to] = link.baseRange(i);
    for (let j = from; j < to; j++) if (child.isLive(j)) out.push(j);
  }
  for (const j of child.extraChildren.get(i) ?? []) if (child.isLive(j)) out.push(j);
  return out;
}

export const linkOf = (world: World, set: string, nav: string) =>
  world.links.find((l) => l.parent === set && l.nav === nav);
export const parentLinkOf = (world: World, childSet: string) => world.links.find((l) => l.child === childSet);

/** Removes record i and, recursively, its children (SAP documents delete their items with them). */
export function removeCascade(world: World, set: string, i: number): void {
  for (const link of world.links.filter((l) => l.parent === set)) {
    for (const j of childrenOf(world, link, i)) removeCascade(world, link.child, j);
  }
  world.stores.get(set)!.remove(i);
}
