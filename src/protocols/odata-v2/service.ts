// One OData v2 service (e.g. `<base>/odata/SERVICE/`): reads, paged reads, writes guarded by an
// anti-CSRF token and ETags, function imports.
import { ConnectorError } from '../../connectors/errors.ts';
import type { HttpClient, HttpResponse } from '../http/index.ts';
import { parseODataError } from './errors.ts';
import { entityEtag, readCollection, readEntity } from './json.ts';
import type { ODataCollection, ODataEntity } from './json.ts';
import { entityPath } from './keys.ts';
import type { EntityKey } from './keys.ts';
import { toLiteral } from './literals.ts';
import type { LiteralInput } from './literals.ts';
import { readPages } from './paging.ts';
import type { ODataPage, PageOptions } from './paging.ts';
import { queryParams } from './query.ts';
import type { ODataQuery } from './query.ts';

export interface ODataServiceOptions {
  /** Fetch and send an anti-CSRF token on writes (default true). */
  csrf?: boolean;
  /** Partial update verb: PATCH (default) or MERGE (the v2 original; older gateways want it). */
  updateMethod?: 'PATCH' | 'MERGE';
}

export interface Signal {
  signal?: AbortSignal;
}

export interface EntityResult {
  entity: ODataEntity;
  etag: string | null;
}

function csrfRequired(status: number, headers: Headers): boolean {
  return status === 403 && (headers.get('x-csrf-token') ?? '').toLowerCase() === 'required';
}

export class ODataV2Service {
  readonly http: HttpClient;
  /** Service root relative to the client's base URL, with a trailing slash. */
  readonly root: string;
  readonly #opts: ODataServiceOptions;
  #csrf: string | null | undefined;
  #csrfInflight: Promise<string | null> | null = null;

  constructor(http: HttpClient, servicePath: string, opts: ODataServiceOptions = {}) {
    this.http = http;
    this.root = `${servicePath.replace(/^\/+|\/+$/g, '')}/`;
    this.#opts = opts;
  }

  /** GET of any path under the service root (or an absolute URL on the instance), JSON body returned. */
  async getJson(path: string, params: Record<string, string> = {}, opts: Signal = {}): Promise<HttpResponse> {
    const isAbsolute = /^[a-z][a-z0-9+.-]*:/i.test(path);
    return this.http.request({
      path: isAbsolute ? path : this.root + path,
      query: params,
      signal: opts.signal,
      errorParser: parseODataError,
    });
  }

  /** One request for a collection; no paging. */
  async list(entitySet: string, query: ODataQuery = {}, opts: Signal = {}): Promise<ODataCollection> {
    const res = await this.getJson(entitySet, queryParams(query), opts);
    return readCollection(res.body);
  }

  /** Every page of a collection, following `__next`; see paging.ts for resume tokens. */
  pages(entitySet: string, query: ODataQuery = {}, opts: PageOptions = {}): AsyncGenerator<ODataPage> {
    return readPages(this, entitySet, query, opts);
  }

  /** One entity by key; null when the service answers 404. */
  async get(
    entitySet: string,
    key: EntityKey,
    query: Pick<ODataQuery, 'select' | 'expand'> = {},
    opts: Signal = {},
  ): Promise<EntityResult | null> {
    try {
      const res = await this.getJson(entityPath(entitySet, key), queryParams(query), opts);
      const entity = readEntity(res.body);
      return { entity, etag: entityEtag(entity) ?? res.headers.get('etag') };
    } catch (err) {
      if (err instanceof ConnectorError && err.kind === 'not_found') return null;
      throw err;
    }
  }

  /** POST to the entity set; nested navigations in `body` make it a deep insert. */
  async create(entitySet: string, body: ODataEntity, opts: Signal = {}): Promise<EntityResult> {
    const res = await this.write('POST', entitySet, { json: body, signal: opts.signal });
    const entity = res.text === '' ? {} : readEntity(res.body);
    return { entity, etag: entityEtag(entity) ?? res.headers.get('etag') };
  }

  /**
   * Partial update with `If-Match`. A stale ETag comes back as 412 → `conflict`; a missing one as
   * 428 → `remote_error`. Returns the new ETag when the service sends it.
   */
  async update(
    entitySet: string,
    key: EntityKey,
    body: ODataEntity,
    opts: Signal & { etag?: string | null; method?: 'PATCH' | 'MERGE' | 'PUT' } = {},
  ): Promise<{ etag: string | null }> {
    const method = opts.method ?? this.#opts.updateMethod ?? 'PATCH';
    const res = await this.write(method, entityPath(entitySet, key), {
      json: body,
      etag: opts.etag,
      signal: opts.signal,
    });
    return { etag: res.headers.get('etag') };
  }

  async delete(
    entitySet: string,
    key: EntityKey,
    opts: Signal & { etag?: string | null } = {},
  ): Promise<void> {
    await this.write('DELETE', entityPath(entitySet, key), { etag: opts.etag ?? '*', signal: opts.signal });
  }

  /**
   * Calls a function import (`Name?Param='x'`). POST imports are writes (CSRF token sent). Returns
   * the `d` payload, or null when the answer has none.
   */
  async callFunction(
    name: string,
    params: Record<string, LiteralInput> = {},
    opts: Signal & { method?: 'GET' | 'POST'; etag?: string | null } = {},
  ): Promise<ODataEntity | null> {
    const query: Record<string, string> = {};
    for (const [k, v] of Object.entries(params)) query[k] = toLiteral(v);
    const method = opts.method ?? 'POST';
    const res =
      method === 'GET'
        ? await this.getJson(name, query, opts)
        : await this.write('POST', name, { query, etag: opts.etag, signal: opts.signal });
    if (res.text === '' || !res.body || typeof res.body !== 'object') return null;
    return readEntity(res.body);
  }

  /** The anti-CSRF token (cached); null when the service issues none. */
  async csrfToken(opts: Signal = {}): Promise<string | null> {
    if (this.#csrf !== undefined) return this.#csrf;
    this.#csrfInflight ??= this.http
      .request({
        path: this.root,
        headers: { 'X-CSRF-Token': 'Fetch' },
        signal: opts.signal,
        errorParser: parseODataError,
      })
      .then((res) => {
        const token = res.headers.get('x-csrf-token');
        return token && token.toLowerCase() !== 'required' ? token : null;
      })
      .finally(() => {
        this.#csrfInflight = null;
      });
    this.#csrf = await this.#csrfInflight;
    return this.#csrf;
  }

  invalidateCsrfToken(): void {
    this.#csrf = undefined;
  }

  /**
   * A modifying request: token attached, and when the server says the token is stale (403 with
   * `X-CSRF-Token: Required`) a fresh one is fetched and the request sent once more.
   */
  async write(
    method: string,
    path: string,
    opts: Signal & {
      json?: unknown;
      /** A body already encoded (e.g. a \$batch multipart); `json` wins when both are given. */
      body?: string;
      etag?: string | null;
      query?: Record<string, string>;
      headers?: Record<string, string>;
      /** Further non-2xx statuses to return instead of throw. */
      accept?: (status: number, headers: Headers) => boolean;
    },
  ): Promise<HttpResponse> {
    for (let attempt = 0; ; attempt++) {
      const headers: Record<string, string> = { ...opts.headers };
      if (this.#opts.csrf !== false) {
        const token = await this.csrfToken(opts);
        if (token) headers['X-CSRF-Token'] = token;
      }
      if (opts.etag) headers['If-Match'] = opts.etag;
      const res = await this.http.request({
        method,
        path: this.root + path,
        query: opts.query,
        json: opts.json,
        body: opts.json === undefined ? opts.body : undefined,
        headers,
        signal: opts.signal,
        errorParser: parseODataError,
        accept: (status, h) => csrfRequired(status, h) || (opts.accept?.(status, h) ?? false),
      });
      if (!csrfRequired(res.status, res.headers)) return res;
      this.invalidateCsrfToken();
      if (attempt >= 1) {
        throw new ConnectorError(
          'remote_error',
          `${method} ${path}: CSRF token refused even after fetching a new one`,
          {
            remote: { status: 403, message: parseODataError(res)?.message },
          },
        );
      }
    }
  }
}
