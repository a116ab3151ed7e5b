// JSON-RPC over HTTP POST: one request per call, an id counter, pluggable session auth, retries with
// backoff for transient failures, and ConnectorError for everything that goes wrong.
import { setTimeout as delay } from 'node:timers/promises';
import { ConnectorError } from '../../connectors/errors.ts';
import { translateHttpStatus, translateRpcError } from './errors.ts';
import type { ErrorRules } from './errors.ts';

/** Sends one call without session headers (used by auth strategies to log in). */
export type RawCall = (method: string, params: unknown, opts?: { signal?: AbortSignal }) => Promise<unknown>;

export interface JsonRpcAuth {
  /** Logs in and returns the headers that authenticate later calls. */
  login(call: RawCall, signal?: AbortSignal): Promise<Record<string, string>>;
}

export interface RetryOptions {
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface JsonRpcClientOptions {
  /** Endpoint the calls are POSTed to. */
  url: string;
  /** `1.0` sends `{id, method, params}` (some servers reject any other key); `2.0` adds `jsonrpc`. */
  version?: '1.0' | '2.0';
  auth?: JsonRpcAuth;
  errors?: ErrorRules;
  /** Error names in a JSON-RPC answer that mean the session expired (HTTP 401 always does). */
  sessionExpiredNames?: string[];
  retry?: Partial<RetryOptions>;
  timeoutMs?: number;
  headers?: Record<string, string>;
  /** Outbound URL guard, called before every request. */
  checkUrl?: (url: string) => void | Promise<void>;
}

export interface CallOptions {
  signal?: AbortSignal;
  /**
   * A call that may change data is not repeated after a failure that might have happened after the
   * server received it (it could run twice); refused connections and 503 are still retried.
   */
  idempotent?: boolean;
}

const DEFAULT_RETRY: RetryOptions = { maxRetries: 3, baseDelayMs: 300, maxDelayMs: 5000 };
const NEVER_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

type Attempt =
  | { ok: true; result: unknown }
  | { ok: false; error: ConnectorError; retry: boolean; retryAfterMs?: number; expired?: boolean };

function errorCode(e: unknown): string | undefined {
  let cur: unknown = e;
  for (let i = 0; i < 4 && cur; i++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  if (/^\d+(\.\d+)?$/.test(header.trim())) return Number(header) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

export class JsonRpcClient {
  readonly url: string;
  #opts: JsonRpcClientOptions;
  #retry: RetryOptions;
  #nextId = 1;
  #sessionHeaders: Record<string, string> | null = null;
  #login: Promise<Record<string, string>> | null = null;
  #requests = 0;
  #retries = 0;

  constructor(opts: JsonRpcClientOptions) {
    this.url = opts.url;
    this.#opts = opts;
    this.#retry = { ...DEFAULT_RETRY, ...opts.retry };
  }

  stats(): { requests: number; retries: number } {
    return { requests: this.#requests, retries: this.#retries };
  }

  /** Forgets the session; the next call logs in again. */
  resetSession(): void {
    this.#sessionHeaders = null;
    this.#login = null;
  }

  /** Logs in now (when auth is configured) so that bad credentials surface early. */
  async login(signal?: AbortSignal): Promise<void> {
    this.resetSession();
    await this.#session(signal);
  }

  async call<T = unknown>(method: string, params: unknown, opts: CallOptions = {}): Promise<T> {
    if (!this.#opts.auth) {
      try {
        return (await this.#send(method, params, {}, opts, 'call')) as T;
      } catch (e) {
        throw e instanceof SessionExpired ? e.error : e;
      }
    }
    const headers = await this.#session(opts.signal);
    try {
      return (await this.#send(method, params, headers, opts, 'call')) as T;
    } catch (e) {
      if (!(e instanceof SessionExpired)) throw e;
      // One fresh login per call: a second refusal means the credentials themselves are refused.
      if (this.#sessionHeaders === headers) this.resetSession();
      const fresh = await this.#session(opts.signal);
      try {
        return (await this.#send(method, params, fresh, opts, 'call')) as T;
      } catch (e2) {
        if (e2 instanceof SessionExpired) throw e2.error;
        throw e2;
      }
    }
  }

  async #session(signal?: AbortSignal): Promise<Record<string, string>> {
    if (this.#sessionHeaders) return this.#sessionHeaders;
    if (!this.#login) {
      const raw: RawCall = (method, params, o) =>
        this.#send(method, params, {}, { signal: o?.signal ?? signal, idempotent: true }, 'login');
      this.#login = this.#opts.auth!.login(raw, signal).then(
        (h) => {
          this.#sessionHeaders = h;
          return h;
        },
        (e) => {
          this.#login = null;
          throw e;
        },
      );
    }
    return this.#login;
  }

  async #send(
    method: string,
    params: unknown,
    headers: Record<string, string>,
    opts: CallOptions,
    during: 'login' | 'call',
  ): Promise<unknown> {
    const idempotent = opts.idempotent ?? true;
    for (let attempt = 0; ; attempt++) {
      const r = await this.#attempt(method, params, headers, opts.signal, during, idempotent);
      if (r.ok) return r.result;
      if (r.expired) throw new SessionExpired(r.error);
      if (!r.retry || attempt >= this.#retry.maxRetries) throw r.error;
      // A long Retry-After is the caller's to schedule (it carries retryAfterSeconds), not ours to sleep.
      if (r.retryAfterMs != null && r.retryAfterMs > this.#retry.maxDelayMs * 4) throw r.error;
      this.#retries++;
      const exp = Math.min(this.#retry.maxDelayMs, this.#retry.baseDelayMs * 2 ** attempt);
      // Jitter spreads clients that failed together; a server's Retry-After wins when given.
      const wait = r.retryAfterMs ?? Math.floor(exp / 2 + (Math.random() * exp) / 2);
      await delay(wait, undefined, { signal: opts.signal });
    }
  }

  async #attempt(
    method: string,
    params: unknown,
    headers: Record<string, string>,
    signal: AbortSignal | undefined,
    during: 'login' | 'call',
    idempotent: boolean,
  ): Promise<Attempt> {
    await this.#opts.checkUrl?.(this.url);
    const id = this.#nextId++;
    const envelope: Record<string, unknown> =
      this.#opts.version === '2.0' ? { jsonrpc: '2.0', id, method, params } : { id, method, params };
    const timeout = AbortSignal.timeout(this.#opts.timeoutMs ?? 60_000);
    this.#requests++;
    let res: Response;
    let text: string;
    try {
      res = await fetch(this.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          ...this.#opts.headers,
          ...headers,
        },
        body: JSON.stringify(envelope),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
      text = await res.text();
    } catch (e) {
      if (signal?.aborted) throw signal.reason ?? e;
      const code = errorCode(e);
      const timedOut = timeout.aborted;
      const error = new ConnectorError(
        'unavailable',
        timedOut
          ? `no answer from ${this.url} in time`
          : `cannot reach ${this.url}${code ? ` (${code})` : ''}`,
        { cause: e },
      );
      return { ok: false, error, retry: idempotent || (code != null && NEVER_SENT.has(code)) };
    }
    if (res.status !== 200) {
      const error = translateHttpStatus(res.status, text, during);
      if (res.status === 401 && during === 'call') return { ok: false, error, retry: false, expired: true };
      const after = retryAfterMs(res.headers.get('retry-after'));
      if (res.status === 429) {
        return { ok: false, error: withRetryAfter(error, after), retry: true, retryAfterMs: after };
      }
      const transient =
        res.status === 503 ||
        (idempotent && (res.status === 502 || res.status === 504 || res.status === 500));
      return { ok: false, error, retry: transient, retryAfterMs: after };
    }
    let body: { id?: unknown; result?: unknown; error?: unknown };
    try {
      body = JSON.parse(text) as typeof body;
    } catch (e) {
      const error = new ConnectorError('remote_error', 'answer is not JSON', {
        remote: { status: res.status, message: text.slice(0, 500) },
        cause: e,
      });
      return { ok: false, error, retry: false };
    }
    if (body.error != null) {
      const error = translateRpcError(body.error, this.#opts.errors);
      const expired =
        during === 'call' && (this.#opts.sessionExpiredNames ?? []).includes(error.remote?.code ?? '');
      return { ok: false, error, retry: false, expired };
    }
    return { ok: true, result: body.result ?? null };
  }
}

function withRetryAfter(e: ConnectorError, ms: number | undefined): ConnectorError {
  if (ms == null) return e;
  return new ConnectorError(e.kind, e.message, { remote: e.remote, retryAfterSeconds: Math.ceil(ms / 1000) });
}

class SessionExpired extends Error {
  readonly error: ConnectorError;
  constructor(error: ConnectorError) {
    super(error.message);
    this.error = error;
  }
}
