// GET handling: service document, $metadata, collections (with server-driven paging),
// single entities, one navigation step and $count.
import type { ServiceModel } from './edmx.ts';
import { notFound } from './errors.ts';
import type { QueryOptions } from './query-options.ts';
import { buildShape } from './query-options.ts';
import type { Candidates } from './query-engine.ts';
import { renderEntity, type RenderContext, type Shape } from './serializer.ts';
import { etagOf, type Rec, type SetStore } from './store.ts';
import type { Resource } from './uri.ts';
import { json, resolveNav, type Reply, type SandboxState } from './state.ts';

export interface ReadRequest {
  origin: string;
  /** Path of the request (no query), to build __next links. */
  path: string;
  opts: QueryOptions;
}

// Keep the OData punctuation readable in __next links, as Gateway does.
const encodeQueryValue = (v: string) =>
  encodeURIComponent(v)
    .replace(/%24/g, '$')
    .replace(/%27/g, "'")
    .replace(/%2C/g, ',')
    .replace(/%28/g, '(')
    .replace(/%29/g, ')')
    .replace(/%3A/g, ':')
    .replace(/%2F/g, '/');

function nextLink(req: ReadRequest, skiptoken: number): string {
  const pairs = req.opts.raw.filter(([k]) => k !== '$skiptoken');
  pairs.push(['$skiptoken', String(skiptoken)]);
  return `${req.origin}${req.path}?${pairs.map(([k, v]) => `${encodeQueryValue(k)}=${encodeQueryValue(v)}`).join('&')}`;
}

export function renderCtx(st: SandboxState, origin: string): RenderContext {
  return { origin, resolveNav: (store, i, rec, nav) => resolveNav(st.world, store, i, rec, nav) };
}

function collection(
  st: SandboxState,
  req: ReadRequest,
  store: SetStore,
  svc: ServiceModel,
  cand: Candidates,
  count: boolean,
): Reply {
  const o = req.opts;
  const shape: Shape = buildShape(svc, store.type, o.select, o.expand);
  const result = st.engine.run(store, cand, o, count ? Number.MAX_SAFE_INTEGER : st.pageSize);
  if (count) {
    const n = Math.max(0, Math.min(result.count - (o.skip ?? 0), o.top ?? Infinity));
    return {
      status: 200,
      headers: { 'content-type': 'text/plain; charset=utf-8', dataserviceversion: '2.0' },
      body: String(n),
    };
  }
  const ctx = renderCtx(st, req.origin);
  const parts: string[] = [];
  for (const i of result.page) {
    const r = store.get(i);
    if (r) parts.push(renderEntity(ctx, store, i, r, shape));
  }
  let body = `{"d":{"results":[${parts.join(',')}]`;
  if (o.inlinecount) body += `,"__count":"${result.count}"`;
  if (result.next !== undefined) body += `,"__next":${JSON.stringify(nextLink(req, result.next))}`;
  return json(200, body + '}}');
}

export function handleRead(st: SandboxState, svc: ServiceModel, res: Resource, req: ReadRequest): Reply {
  if (res.kind === 'root') {
    return json(200, { d: { EntitySets: [...svc.entitySets.keys()] } });
  }
  if (res.kind === 'metadata') {
    return {
      status: 200,
      headers: { 'content-type': 'application/xml', dataserviceversion: '2.0' },
      body: svc.xml,
    };
  }
  if (res.kind !== 'set') throw notFound(res.kind);
  const store = st.world.stores.get(res.set);
  if (!store || store.service !== svc.name) {
    // Declared in the EDMX but not populated by the sandbox: an empty set, like a system without such data.
    if (res.key) throw notFound(res.set);
    if (res.count)
      return { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: '0' };
    return json(200, req.opts.inlinecount ? '{"d":{"results":[],"__count":"0"}}' : '{"d":{"results":[]}}');
  }
  if (!res.key) return collection(st, req, store, svc, { kind: 'all' }, res.count);
  const i = store.find(res.key);
  if (i < 0) throw notFound(`${res.set}`);
  const rec = store.get(i)!;
  if (res.nav) {
    const nav = store.type.navs.get(res.nav)!;
    const target = resolveNav(st.world, store, i, rec, nav);
    if (nav.toMany) {
      if (!target.store) {
        return json(
          200,
          req.opts.inlinecount ? '{"d":{"results":[],"__count":"0"}}' : '{"d":{"results":[]}}',
        );
      }
      return collection(st, req, target.store, svc, { kind: 'list', indices: target.indices }, res.count);
    }
    const j = target.indices[0];
    const child = target.store && j !== undefined ? target.store.get(j) : undefined;
    if (!target.store || !child) throw notFound(res.nav);
    return single(st, req, target.store, svc, j, child);
  }
  return single(st, req, store, svc, i, rec);
}

function single(
  st: SandboxState,
  req: ReadRequest,
  store: SetStore,
  svc: ServiceModel,
  i: number,
  rec: Rec,
): Reply {
  const shape = buildShape(svc, store.type, req.opts.select, req.opts.expand);
  const body = `{"d":${renderEntity(renderCtx(st, req.origin), store, i, rec, shape)}}`;
  const etag = etagOf(store, rec);
  return json(200, body, etag ? { etag } : {});
}
