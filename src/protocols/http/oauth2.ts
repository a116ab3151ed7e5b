// OAuth2 client credentials (RFC 6749 §4.4): one token per strategy instance, cached, renewed a
// little before it expires, and re-fetched once when the server rejects it early (revoked, rotated).
import { ConnectorError } from '../../connectors/errors.ts';
import type { AuthContext, AuthStrategy } from './auth.ts';
import { redactUrl } from './errors.ts';

export interface OAuth2ClientCredentialsOptions {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  scope?: string;
  /** How the client authenticates at the token endpoint: HTTP Basic (default) or form fields. */
  clientAuth?: 'basic' | 'body';
  /** Extra form fields of the token request (e.g. `resource`, `audience`). */
  extraParams?: Record<string, string>;
  /** Renew this long before expiry (capped at half the token's lifetime). Default 60 s. */
  refreshSkewMs?: number;
  /** Lifetime assumed when the token response has no `expires_in`. Default 3600 s. */
  defaultExpiresInSeconds?: number;
  now?: () => number;
}

interface CachedToken {
  accessToken: string;
  tokenType: string;
  refreshAt: number;
}

function parseTokenBody(body: unknown, text: string): Record<string, unknown> {
  if (body && typeof body === 'object') return body as Record<string, unknown>;
  // Some servers answer form-encoded despite the RFC.
  return Object.fromEntries(new URLSearchParams(text));
}

export class OAuth2ClientCredentials implements AuthStrategy {
  readonly #opts: OAuth2ClientCredentialsOptions;
  readonly #now: () => number;
  #token: CachedToken | null = null;
  #inflight: Promise<CachedToken> | null = null;
  /** Number of tokens fetched; tests and diagnostics read it. */
  fetchCount = 0;

  constructor(opts: OAuth2ClientCredentialsOptions) {
    this.#opts = opts;
    this.#now = opts.now ?? Date.now;
  }

  async apply(headers: Headers, ctx: AuthContext): Promise<void> {
    const token = await this.#current(ctx);
    const type = /^bearer$/i.test(token.tokenType) ? 'Bearer' : token.tokenType;
    headers.set('Authorization', `${type} ${token.accessToken}`);
  }

  async onUnauthorized(ctx: AuthContext): Promise<boolean> {
    this.#token = null;
    await this.#current(ctx);
    return true;
  }

  /** Drops the cached token (e.g. after a credential change). */
  invalidate(): void {
    this.#token = null;
  }

  async #current(ctx: AuthContext): Promise<CachedToken> {
    if (this.#token && this.#now() < this.#token.refreshAt) return this.#token;
    // Concurrent requests share one token fetch.
    this.#inflight ??= this.#fetch(ctx).finally(() => {
      this.#inflight = null;
    });
    this.#token = await this.#inflight;
    return this.#token;
  }

  async #fetch(ctx: AuthContext): Promise<CachedToken> {
    const o = this.#opts;
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    if (o.scope) form.set('scope', o.scope);
    for (const [k, v] of Object.entries(o.extraParams ?? {})) form.set(k, v);
    const headers: Record<string, string> = {
      'Content-Type': 'application/x-www-form-urlencoded',
      Accept: 'application/json',
    };
    if ((o.clientAuth ?? 'basic') === 'basic') {
      // RFC 6749 §2.3.1: id and secret are form-encoded before being joined for Basic.
      const id = encodeURIComponent(o.clientId);
      const secret = encodeURIComponent(o.clientSecret);
      headers.Authorization = `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
    } else {
      form.set('client_id', o.clientId);
      form.set('client_secret', o.clientSecret);
    }
    this.fetchCount++;
    const res = await ctx.send({
      method: 'POST',
      url: o.tokenUrl,
      headers,
      body: form.toString(),
      accept: (s) => s >= 400 && s < 500 && s !== 429,
      // Asking for another token has no side effect worth guarding against.
      idempotent: true,
      signal: ctx.signal,
    });
    const data = parseTokenBody(res.body, res.text);
    if (res.status >= 400) {
      const code = typeof data.error === 'string' ? data.error : undefined;
      const description = typeof data.error_description === 'string' ? data.error_description : undefined;
      const kind =
        res.status === 400 || res.status === 401 || res.status === 403 ? 'auth_rejected' : 'remote_error';
      throw new ConnectorError(
        kind,
        `OAuth2 token request to ${redactUrl(o.tokenUrl)} was refused (${res.status}${code ? ` ${code}` : ''})`,
        { remote: { status: res.status, code, message: description } },
      );
    }
    const accessToken = data.access_token;
    if (typeof accessToken !== 'string' || accessToken === '') {
      throw new ConnectorError(
        'remote_error',
        `OAuth2 token response of ${redactUrl(o.tokenUrl)} has no access_token`,
        {
          remote: { status: res.status },
        },
      );
    }
    const expiresIn = Number(data.expires_in ?? o.defaultExpiresInSeconds ?? 3600);
    const lifetimeMs = (Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : 3600) * 1000;
    const skew = Math.min(o.refreshSkewMs ?? 60_000, lifetimeMs / 2);
    return {
      accessToken,
      tokenType: typeof data.token_type === 'string' ? data.token_type : 'Bearer',
      refreshAt: this.#now() + lifetimeMs - skew,
    };
  }
}

export function oauth2ClientCredentials(opts: OAuth2ClientCredentialsOptions): OAuth2ClientCredentials {
  return new OAuth2ClientCredentials(opts);
}
