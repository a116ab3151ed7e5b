// /__sandbox/* — test controls, no authentication: tick (simulated changes), remove (hard
// delete), stats (request counts), faults (injected failures), info (what is loaded).
import { decodeBodyValue } from './edm-values.ts';
import { SapError } from './errors.ts';
import type { Rec } from './store.ts';
import { parseKey } from './uri.ts';
import { removeCascade } from './world.ts';
import { WEIGHTS, reportKey, tick } from './tick.ts';
import { json, type Reply, type SandboxState } from './state.ts';

const fail = (status: number, message: string) => new SapError(status, 'SANDBOX/CONTROL', message);

function intField(body: Record<string, unknown>, name: string, dflt: number): number {
  const v = body[name];
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 100_000)
    throw fail(400, `'${name}' must be an integer 0..100000`);
  return v;
}

function keyFrom(st: SandboxState, set: string, key: unknown): Rec {
  const store = st.world.stores.get(set)!;
  const type = store.type;
  if (typeof key === 'string') {
    // "4500000001" for single keys, or a key predicate "Material='X',Plant='1010',...".
    if (type.keys.length === 1 && !/^\s*\w+\s*=/.test(key) && !key.startsWith("'"))
      return { [type.keys[0]]: key };
    return parseKey(type, key);
  }
  if (typeof key !== 'object' || key === null)
    throw fail(400, "'key' must be a string or an object of key fields");
  const out: Rec = {};
  for (const k of type.keys) {
    const p = type.properties.get(k)!;
    const v = (key as Record<string, unknown>)[k];
    const dec =
      typeof v === 'number' && p.type.startsWith('Edm.DateTime')
        ? { ok: true as const, value: v }
        : decodeBodyValue(p, v);
    if (v === undefined || !dec.ok) throw fail(400, `key field '${k}' is missing or invalid`);
    out[k] = dec.value;
  }
  return out;
}

export function handleControl(st: SandboxState, method: string, path: string, body: unknown): Reply {
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const route = `${method} ${path.replace(/\/+$/, '')}`;
  switch (route) {
    case 'POST /__sandbox/tick': {
      const sets = b.entitySets;
      const tickable = WEIGHTS.map(([set]) => set);
      if (
        sets !== undefined &&
        (!Array.isArray(sets) || sets.some((x) => typeof x !== 'string' || !tickable.includes(x)))
      )
        throw fail(400, `'entitySets' must list entity sets that change: ${tickable.join(', ')}`);
      const changed = tick(
        st,
        intField(b, 'count', 1),
        intField(b, 'deletes', 0),
        sets as string[] | undefined,
      );
      return json(200, { changed, now: new Date(st.world.clock.now()).toISOString() });
    }
    case 'POST /__sandbox/remove': {
      const set = b.entitySet;
      if (typeof set !== 'string' || !st.world.stores.has(set))
        throw fail(400, "'entitySet' must name a served entity set");
      const store = st.world.stores.get(set)!;
      const i = store.find(keyFrom(st, set, b.key));
      if (i < 0) throw fail(404, `No ${set} with that key`);
      const key = reportKey(store, store.get(i)!);
      removeCascade(st.world, set, i);
      return json(200, { removed: { entitySet: set, key } });
    }
    case 'GET /__sandbox/stats':
      return json(200, st.stats.toJSON());
    case 'DELETE /__sandbox/stats':
      st.stats.reset();
      return json(200, st.stats.toJSON());
    case 'GET /__sandbox/faults':
      return json(200, { faults: st.faults.describe(), credentialsRevoked: st.auth.revoked });
    case 'POST /__sandbox/faults': {
      const type = st.faults.add(b);
      if (type === 'revoke_credentials') st.auth.revoked = true;
      if (type === 'expire_csrf') st.auth.expireCsrf();
      return json(200, { faults: st.faults.describe(), credentialsRevoked: st.auth.revoked });
    }
    case 'DELETE /__sandbox/faults':
      st.faults.clear();
      st.auth.revoked = false;
      return json(200, { faults: [], credentialsRevoked: false });
    case 'GET /__sandbox/info': {
      const sets: Record<string, { service: string; count: number }> = {};
      for (const [name, s] of st.world.stores) sets[name] = { service: s.service, count: s.liveCount };
      return json(200, {
        seed: st.world.ctx.seed,
        now: new Date(st.world.clock.now()).toISOString(),
        pageSize: st.pageSize,
        sapClient: st.auth.opts.sapClient,
        entitySets: sets,
      });
    }
    default:
      throw fail(404, `Unknown sandbox control ${route}`);
  }
}
