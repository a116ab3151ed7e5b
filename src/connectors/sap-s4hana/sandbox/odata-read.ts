// GET handling: service document, $metadata, collections (with server-driven paging),
// single entities, one navigation step and $count.
import type { ServiceModel } from './edmx.ts';
import { notFound } from './errors.ts';
import { buildShape, type QueryOptions } from './query-options.ts';
import type { Candidates } from './query-engine.ts';
import {
  JsonWriter,
  notePageSize,
  pageSizeHint,
  renderEntity,
  writeEntity,
  type RenderContext,
  type Shape,
} from './serializer.ts';
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

const withSkiptoken = (raw: [string, string][], token: number): [string, string][] => [
  ...raw.filter(([k]) => k !== '$skiptoken'),
  ['$skiptoken', String(token)],
];

function nextLink(req: ReadRequest, skiptoken: number): string {
  const pairs = withSkiptoken(req.opts.raw, skiptoken);
  return `${req.origin}${req.path}?${pairs.map(([k, v]) => `${encodeQueryValue(k)}=${encodeQueryValue(v)}`).join('&')}`;
}

export function renderCtx(st: SandboxState, origin: string): RenderContext {
  return { origin, resolveNav: (store, i, rec, nav) => resolveNav(st.world, store, i, rec, nav) };
}

const shapes = new Map<string, Shape>();
/** Shapes are reused across pages so their compiled render plans are too. */
function shapeFor(svc: ServiceModel, store: SetStore, o: QueryOptions): Shape {
  const key = `${svc.name}\u0000${store.name}\u0000${o.select ?? ''}\u0000${o.expand ?? ''}`;
  let shape = shapes.get(key);
  if (!shape) {
    shape = buildShape(svc, store.type, o.select, o.expand);
    if (shapes.size > 200) shapes.clear();
    shapes.set(key, shape);
  }
  return shape;
}

export interface Page {
  reply: Reply;
  next?: number;
  count: number;
}

/** Identity of a page request, independent of how the client percent-encoded it. */
const pageKey = (origin: string, path: string, raw: [string, string][]) =>
  JSON.stringify([origin, path, raw]);

function renderCollection(
  st: SandboxState,
  req: ReadRequest,
  store: SetStore,
  svc: ServiceModel,
  cand: Candidates,
): Page {
  const o = req.opts;
  const shape = shapeFor(svc, store, o);
  const result = st.engine.run(store, cand, o, st.pageSize);
  const ctx = renderCtx(st, req.origin);
  const w = new JsonWriter(pageSizeHint(shape, result.page.length), true);
  w.write('{"d":{"results":[');
  let first = true;
  for (const i of result.page) {
    const r = store.get(i);
    if (!r) continue;
    if (!first) w.write(',');
    first = false;
    writeEntity(w, ctx, store, i, r, shape);
  }
  w.write(']');
  if (o.inlinecount) w.write(`,"__count":"${result.count}"`);
  if (result.next !== undefined) w.write(`,"__next":${JSON.stringify(nextLink(req, result.next))}`);
  w.write('}}');
  const body = w.toBuffer();
  notePageSize(shape, result.page.length, body.length);
  return {
    reply: { ...json(200, body), release: () => w.release() },
    next: result.next,
    count: result.count,
  };
}

/** The request a paging client most likely sends next: the __next link, or the next $skip chunk. */
function following(req: ReadRequest, page: Page): ReadRequest | undefined {
  const o = req.opts;
  if (page.next !== undefined) {
    const raw = withSkiptoken(o.raw, page.next);
    return { ...req, opts: { ...o, skiptoken: page.next, raw } };
  }
  if (o.top === undefined || o.top === 0 || o.skiptoken) return undefined;
  const skip = (o.skip ?? 0) + o.top;
  if (skip >= page.count) return undefined;
  const raw: [string, string][] = [...o.raw.filter(([k]) => k !== '$skip'), ['$skip', String(skip)]];
  return { ...req, opts: { ...o, skip, raw } };
}

/**
 * Clients read page after page; rendering the likely next page as soon as the current one is on
 * the wire lets the sandbox work while the client parses, instead of both taking turns. A request
 * that arrives before the job ran cancels it and renders itself.
 */
function prefetchJob(
  st: SandboxState,
  key: string,
  next: ReadRequest,
  store: SetStore,
  svc: ServiceModel,
): () => void {
  const version = st.world.version;
  for (const [k, v] of st.prefetched) if (v.version !== version) st.prefetched.delete(k);
  // Already rendered (a client reading the same pages again): keep it rather than render it twice.
  if (st.prefetched.get(key)?.page) return () => {};
  while (st.prefetched.size >= 6) st.prefetched.delete(st.prefetched.keys().next().value!);
  st.prefetched.set(key, { version });
  return () => {
    const e = st.prefetched.get(key);
    if (!e || e.page || st.world.version !== version) return;
    try {
      st.prefetched.set(key, { version, page: renderCollection(st, next, store, svc, { kind: 'all' }) });
    } catch {
      // The real request will report whatever went wrong.
      st.prefetched.delete(key);
    }
  };
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
  if (count) {
    const result = st.engine.run(store, cand, { ...o, skiptoken: undefined }, Number.MAX_SAFE_INTEGER);
    const n = Math.max(0, Math.min(result.count - (o.skip ?? 0), o.top ?? Infinity));
    return {
      status: 200,
      headers: { 'content-type': 'text/plain; charset=utf-8', dataserviceversion: '2.0' },
      body: String(n),
    };
  }
  if (cand.kind !== 'all') return renderCollection(st, req, store, svc, cand).reply;
  const key = pageKey(req.origin, req.path, o.raw);
  const hit = st.prefetched.get(key);
  st.prefetched.delete(key);
  const page =
    hit?.page && hit.version === st.world.version ? hit.page : renderCollection(st, req, store, svc, cand);
  const next = following(req, page);
  if (!next) return page.reply;
  const job = prefetchJob(st, pageKey(req.origin, req.path, next.opts.raw), next, store, svc);
  return { ...page.reply, after: job };
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
  const empty = () =>
    json(200, req.opts.inlinecount ? '{"d":{"results":[],"__count":"0"}}' : '{"d":{"results":[]}}');
  if (!store || store.service !== svc.name) {
    // Declared in the EDMX but not populated by the sandbox: an empty set, like a system without such data.
    if (res.key) throw notFound(res.set);
    if (res.count)
      return { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: '0' };
    return empty();
  }
  if (!res.key) return collection(st, req, store, svc, { kind: 'all' }, res.count);
  const i = store.find(res.key);
  if (i < 0) throw notFound(res.set);
  const rec = store.get(i)!;
  if (res.nav) {
    const nav = store.type.navs.get(res.nav)!;
    const target = resolveNav(st.world, store, i, rec, nav);
    if (nav.toMany) {
      if (!target.store)
        return res.count
          ? { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: '0' }
          : empty();
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
  const shape = shapeFor(svc, store, req.opts);
  const body = `{"d":${renderEntity(renderCtx(st, req.origin), store, i, rec, shape)}}`;
  const etag = etagOf(store, rec);
  return json(200, body, etag ? { etag } : {});
}
