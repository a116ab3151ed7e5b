// Authentication strategies: each one adds its headers to an outgoing request and may get one
// chance to recover from a 401 (e.g. by fetching a new token).

export interface RawRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** Statuses returned to the caller instead of being turned into a ConnectorError. */
  accept?: (status: number) => boolean;
  /** Safe to send twice (retried on 502/504 and timeouts too). Default false. */
  idempotent?: boolean;
  signal?: AbortSignal;
}

export interface RawResponse {
  status: number;
  headers: Headers;
  body: unknown;
  text: string;
}

/**
 * Sends a request without the strategy's own credentials but with everything else the client
 * does (URL guard, timeout, retries, counters); token endpoints are called through it.
 */
export type RawSend = (req: RawRequest) => Promise<RawResponse>;

export interface AuthContext {
  send: RawSend;
  signal?: AbortSignal;
}

export interface AuthStrategy {
  /** Adds credentials to the headers of a request about to be sent. */
  apply(headers: Headers, ctx: AuthContext): Promise<void> | void;
  /**
   * Called once per request after a 401. True when the credentials were renewed and the request is
   * worth sending again; false when nothing can change (static credentials).
   */
  onUnauthorized?(ctx: AuthContext): Promise<boolean>;
}

export function basicAuth(username: string, password: string): AuthStrategy {
  const value = `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
  return {
    apply(headers) {
      headers.set('Authorization', value);
    },
  };
}

export function bearerToken(token: string): AuthStrategy {
  return {
    apply(headers) {
      headers.set('Authorization', `Bearer ${token}`);
    },
  };
}

/** A key sent in a header of the system's choosing (e.g. `APIKey`, `apikey`, `X-API-Key`). */
export function apiKeyHeader(header: string, key: string): AuthStrategy {
  return {
    apply(headers) {
      headers.set(header, key);
    },
  };
}

export const noAuth: AuthStrategy = { apply() {} };
