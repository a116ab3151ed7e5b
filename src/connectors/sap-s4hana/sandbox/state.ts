// Shared state of one running sandbox and the reply type handlers produce.
import type { QueryEngine } from './query-engine.ts';
import type { AuthState } from './auth.ts';
import type { Faults, Stats } from './faults.ts';
import type { NavModel } from './edmx.ts';
import type { NavResult } from './serializer.ts';
import type { Rec, SetStore } from './store.ts';
import { childrenOf, linkOf, type ChildLink, type World } from './world.ts';

export interface SandboxState {
  world: World;
  engine: QueryEngine;
  auth: AuthState;
  faults: Faults;
  stats: Stats;
  pageSize: number;
  ticks: number;
  /** Next pages rendered ahead while the client digests the current one (see odata-read). */
  prefetched: Map<string, { version: number; page?: { reply: Reply; next?: number; count: number } }>;
}

export interface Reply {
  status: number;
  headers: Record<string, string>;
  body?: string | Buffer;
  /** Work to run once the reply has been handed to the network (e.g. rendering the next page). */
  after?: () => void;
  /** Called once the body has been handed to the network: its memory may then be reused. */
  release?: () => void;
}

export const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', dataserviceversion: '2.0' };

export const json = (status: number, body: unknown, headers: Record<string, string> = {}): Reply => ({
  status,
  headers: { ...JSON_HEADERS, ...headers },
  body: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body),
});

// Composition link of each (set, navigation), looked up once: expanded pages resolve it per record.
const links = new WeakMap<SetStore, Map<NavModel, ChildLink | null>>();

/** Targets of a navigation property: composition children, a parent by key, or nothing served. */
export function resolveNav(world: World, store: SetStore, index: number, rec: Rec, nav: NavModel): NavResult {
  let known = links.get(store);
  if (!known) links.set(store, (known = new Map()));
  let link = known.get(nav);
  if (link === undefined) known.set(nav, (link = linkOf(world, store.name, nav.name) ?? null));
  if (link) return { store: world.stores.get(link.child), indices: childrenOf(world, link, index) };
  const target = nav.targetSet ? world.stores.get(nav.targetSet) : undefined;
  if (!target || target.service !== store.service || nav.toMany) return { indices: [] };
  const key: Rec = {};
  for (const k of target.type.keys) {
    if (!(k in rec) && !store.type.properties.has(k)) return { store: target, indices: [] };
    key[k] = rec[k] ?? '';
  }
  const j = target.find(key);
  return { store: target, indices: j >= 0 ? [j] : [] };
}
