// The authenticated HTTP client every connector talks through: base URL, default headers and query,
// URL guard, timeouts, retries with backoff and Retry-After, cookies, auth, counters, typed errors.
import { ConnectorError } from '../../connectors/errors.ts';
import type { AuthContext, AuthStrategy, RawRequest, RawResponse } from './auth.ts';
import { CookieJar } from './cookie-jar.ts';
import { httpError, redactUrl } from './errors.ts';
import type { ErrorParser } from './errors.ts';
import { DEFAULT_RETRY_POLICY, backoffDelay, parseRetryAfter, sleep } from './retry.ts';
import type { RetryPolicy } from './retry.ts';
import { exchange, type Exchange } from './transport.ts';

export type QueryValue = string | number | boolean | null | undefined;

export interface HttpClientOptions {
  /** Every relative path resolves against it; absolute URLs must share its origin. */
  baseUrl: string;
  headers?: Record<string, string>;
  /** Query parameters sent on every call to the base origin (e.g. a tenant or client number). */
  query?: Record<string, string>;
  auth?: AuthStrategy;
  /** Per attempt, including reading the body. Default 30 s. */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  /** Outbound URL guard (SSRF rules), awaited before every request; throws to refuse. */
  checkUrl?: (url: string) => void | Promise<void>;
  errorParser?: ErrorParser;
  /** Keep cookies between calls (default true). */
  cookies?: boolean;
  maxRedirects?: number;
  /** Jitter source; tests pin it. */
  random?: () => number;
}

export interface HttpRequest {
  method?: string;
  /** Relative to the base URL, or an absolute URL on the base URL's origin. */
  path: string;
  /** Objects are encoded here; a string is taken as already encoded. */
  query?: Record<string, QueryValue> | string;
  headers?: Record<string, string>;
  /** Sent as JSON with `Content-Type: application/json`. */
  json?: unknown;
  body?: string | Uint8Array<ArrayBuffer>;
  signal?: AbortSignal;
  timeoutMs?: number;
  /**
   * Whether sending twice is harmless. Default: true for GET/HEAD/OPTIONS/PUT/DELETE. A request
   * that is not idempotent is only retried when the server surely did not act on it (429, 503, or
   * no connection at all).
   */
  idempotent?: boolean;
  /** Non-2xx statuses the caller handles itself: returned instead of thrown. */
  accept?: (status: number, headers: Headers) => boolean;
  /** Send without the auth strategy's credentials. */
  anonymous?: boolean;
  /** Overrides the client's error parser for this call (protocol layers impose their own). */
  errorParser?: ErrorParser;
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  /** Final URL (after same-origin redirects). */
  url: string;
  /** Parsed JSON when the body is JSON, else the text (empty string for no body). */
  body: unknown;
  text: string;
}

export interface HttpStats {
  requests: number;
  retries: number;
}

const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);
// Codes of failures where the request surely never reached the server.
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);

/** OData-friendly query encoding: `$`, `,`, `:`, `/` and `'` stay readable; everything else is escaped. */
export function encodeQuery(query: Record<string, QueryValue>): string {
  const enc = (s: string) =>
    encodeURIComponent(s).replace(/%24/g, '$').replace(/%2C/g, ',').replace(/%3A/g, ':').replace(/%2F/g, '/');
  return Object.entries(query)
    .filter(([, v]) => v !== undefined && v !== null)
    .map(([k, v]) => `${enc(k)}=${enc(String(v))}`)
    .join('&');
}

function errorCode(err: unknown): string | undefined {
  let e: unknown = err;
  for (let i = 0; i < 4 && e && typeof e === 'object'; i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

function parseBody(text: string, contentType: string | null): unknown {
  if (text === '') return '';
  const looksJson = /json/i.test(contentType ?? '') || /^\s*[{[]/.test(text);
  if (!looksJson) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export class HttpClient {
  readonly baseUrl: URL;
  readonly #opts: HttpClientOptions;
  readonly #retry: RetryPolicy;
  readonly #jar: CookieJar | null;
  #requests = 0;
  #retries = 0;

  constructor(opts: HttpClientOptions) {
    const base = new URL(opts.baseUrl);
    if (!base.pathname.endsWith('/')) base.pathname += '/';
    base.search = '';
    base.hash = '';
    this.baseUrl = base;
    this.#opts = opts;
    this.#retry = { ...DEFAULT_RETRY_POLICY, ...opts.retry };
    this.#jar = opts.cookies === false ? null : new CookieJar();
  }

  stats(): HttpStats {
    return { requests: this.#requests, retries: this.#retries };
  }

  get cookies(): CookieJar | null {
    return this.#jar;
  }

  /** The absolute URL a request would go to (base URL, path, default and request query). */
  url(path: string, query?: Record<string, QueryValue> | string): URL {
    let url: URL;
    if (/^[a-z][a-z0-9+.-]*:/i.test(path)) {
      url = new URL(path);
      if (url.origin !== this.baseUrl.origin) {
        throw new ConnectorError(
          'invalid_input',
          `URL ${redactUrl(url)} is outside the instance ${this.baseUrl.origin}`,
        );
      }
    } else {
      url = new URL(this.baseUrl.href);
      const [p, q] = splitOnce(path.replace(/^\/+/, ''), '?');
      url.pathname = this.baseUrl.pathname + p;
      if (q) url.search = q;
    }
    const parts: string[] = [];
    if (url.search.length > 1) parts.push(url.search.slice(1));
    const defaults = Object.entries(this.#opts.query ?? {}).filter(([k]) => !url.searchParams.has(k));
    if (defaults.length > 0) parts.push(encodeQuery(Object.fromEntries(defaults)));
    if (typeof query === 'string' && query !== '') parts.push(query.replace(/^\?/, ''));
    else if (query && typeof query === 'object') {
      const q = encodeQuery(query);
      if (q) parts.push(q);
    }
    url.search = parts.length > 0 ? `?${parts.join('&')}` : '';
    return url;
  }

  async request(req: HttpRequest): Promise<HttpResponse> {
    const method = (req.method ?? 'GET').toUpperCase();
    const idempotent = req.idempotent ?? IDEMPOTENT.has(method);
    let body: string | Uint8Array<ArrayBuffer> | undefined = req.body;
    const headers: Record<string, string> = { ...req.headers };
    if (req.json !== undefined) {
      body = JSON.stringify(req.json);
      if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
        headers['Content-Type'] = 'application/json';
      }
    }
    return this.#send({
      method,
      url: this.url(req.path, req.query),
      headers,
      body,
      signal: req.signal,
      timeoutMs: req.timeoutMs,
      idempotent,
      accept: req.accept,
      auth: req.anonymous ? null : (this.#opts.auth ?? null),
      errorParser: req.errorParser,
    });
  }

  /** Sends to any URL (still guarded) without auth; used by token endpoints. */
  readonly raw = async (req: RawRequest): Promise<RawResponse> => {
    return this.#send({
      method: req.method.toUpperCase(),
      url: new URL(req.url),
      headers: req.headers,
      body: req.body,
      signal: req.signal,
      idempotent: req.idempotent ?? false,
      accept: req.accept ? (s) => req.accept!(s) : undefined,
      auth: null,
    });
  };

  async #send(r: {
    method: string;
    url: URL;
    headers: Record<string, string>;
    body?: string | Uint8Array<ArrayBuffer>;
    signal?: AbortSignal;
    timeoutMs?: number;
    idempotent: boolean;
    accept?: (status: number, headers: Headers) => boolean;
    auth: AuthStrategy | null;
    errorParser?: ErrorParser;
  }): Promise<HttpResponse> {
    const policy = this.#retry;
    const timeoutMs = r.timeoutMs ?? this.#opts.timeoutMs ?? 30_000;
    const authCtx: AuthContext = { send: this.raw, signal: r.signal };
    let url = r.url;
    let method = r.method;
    let body = r.body;
    let retry = 0;
    let authRenewed = false;
    let redirects = 0;

    for (;;) {
      r.signal?.throwIfAborted();
      if (this.#opts.checkUrl) await this.#opts.checkUrl(url.href);
      const headers = new Headers(this.#opts.headers);
      for (const [k, v] of Object.entries(r.headers)) headers.set(k, v);
      if (!headers.has('Accept')) headers.set('Accept', 'application/json');
      const cookie = url.origin === this.baseUrl.origin ? this.#jar?.headerFor(url) : null;
      if (cookie) headers.set('Cookie', cookie);
      if (r.auth) await r.auth.apply(headers, authCtx);

      const timeout = AbortSignal.timeout(timeoutMs);
      const signal = r.signal ? AbortSignal.any([r.signal, timeout]) : timeout;
      this.#requests++;
      let res: Exchange;
      let text: string;
      try {
        res = await exchange(url, { method, headers, body, signal });
        text = res.text;
      } catch (err) {
        if (r.signal?.aborted) throw r.signal.reason ?? err;
        const code = errorCode(err);
        const timedOut = timeout.aborted;
        const canRetry = r.idempotent || (code !== undefined && NOT_SENT_CODES.has(code));
        if (canRetry && retry < policy.maxRetries) {
          retry++;
          this.#retries++;
          await sleep(backoffDelay(retry, policy, this.#opts.random), r.signal);
          continue;
        }
        const why = timedOut ? `timed out after ${timeoutMs} ms` : `failed (${code ?? 'network error'})`;
        throw new ConnectorError('unavailable', `${method} ${redactUrl(url)} ${why}`, { cause: err });
      }
      if (url.origin === this.baseUrl.origin) this.#jar?.setFromResponse(url, res.headers.getSetCookie());

      if (res.status >= 300 && res.status < 400 && res.headers.has('location')) {
        const next = new URL(res.headers.get('location')!, url);
        // Following a redirect elsewhere would carry credentials off the instance.
        if (next.origin !== url.origin || redirects >= (this.#opts.maxRedirects ?? 5)) {
          throw new ConnectorError(
            'remote_error',
            `${method} ${redactUrl(url)} redirected to ${redactUrl(next)}`,
            {
              remote: { status: res.status },
            },
          );
        }
        redirects++;
        if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === 'POST')) {
          method = 'GET';
          body = undefined;
        }
        url = next;
        continue;
      }

      const response: HttpResponse = {
        status: res.status,
        headers: res.headers,
        url: url.href,
        body: parseBody(text, res.headers.get('content-type')),
        text,
      };
      if (res.status === 401 && r.auth?.onUnauthorized && !authRenewed) {
        authRenewed = true;
        if (await r.auth.onUnauthorized(authCtx)) continue;
      }
      const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'));
      if (policy.statuses.includes(res.status) && !(r.accept?.(res.status, res.headers) ?? false)) {
        const safeToRepeat = r.idempotent || res.status === 429 || res.status === 503;
        const tooLong = retryAfterMs !== null && retryAfterMs > policy.maxRetryAfterMs;
        if (safeToRepeat && !tooLong && retry < policy.maxRetries) {
          retry++;
          this.#retries++;
          await sleep(retryAfterMs ?? backoffDelay(retry, policy, this.#opts.random), r.signal);
          continue;
        }
      }
      if ((res.status >= 200 && res.status < 300) || r.accept?.(res.status, res.headers)) return response;
      throw httpError(method, url, response, r.errorParser ?? this.#opts.errorParser, retryAfterMs);
    }
  }
}

function splitOnce(s: string, sep: string): [string, string] {
  const i = s.indexOf(sep);
  return i < 0 ? [s, ''] : [s.slice(0, i), s.slice(i + 1)];
}
