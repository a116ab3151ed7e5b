// Logon the way an on-premise Gateway does it: HTTP Basic for a communication user, OAuth2
// client-credential bearer tokens, the sap-client of the logon, session cookies, and the CSRF
// token that every modifying request must echo together with its session cookie.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export interface AuthOptions {
  user: string;
  password: string;
  clientId: string;
  clientSecret: string;
  sapClient: string;
  tokenTtlSeconds: number;
  csrfTtlSeconds: number;
}

export const DEFAULT_AUTH: AuthOptions = {
  user: 'sandbox',
  password: 'sandbox',
  clientId: 'sandbox',
  clientSecret: 'sandbox',
  sapClient: '100',
  tokenTtlSeconds: 3600,
  csrfTtlSeconds: 1800,
};

export const SESSION_COOKIE_PREFIX = 'SAP_SESSIONID_S4H_';

interface Session {
  csrf?: string;
  csrfIssuedAt: number;
}

const same = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) out.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return out;
}

export function basicCredentials(header: string | undefined): { user: string; password: string } | undefined {
  const m = /^Basic\s+(\S+)$/i.exec(header ?? '');
  if (!m) return undefined;
  const text = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = text.indexOf(':');
  return colon < 0 ? undefined : { user: text.slice(0, colon), password: text.slice(colon + 1) };
}

export class AuthState {
  readonly opts: AuthOptions;
  /** Set by the revoke_credentials fault: every logon fails until faults are cleared. */
  revoked = false;
  private readonly tokens = new Map<string, number>();
  private readonly sessions = new Map<string, Session>();

  constructor(opts: Partial<AuthOptions> = {}) {
    this.opts = { ...DEFAULT_AUTH, ...opts };
  }

  get cookieName(): string {
    return `${SESSION_COOKIE_PREFIX}${this.opts.sapClient}`;
  }

  /** sap-client of the request is the logon client; another client is a failed logon. */
  clientOk(sapClient: string | undefined): boolean {
    return sapClient === undefined || sapClient === this.opts.sapClient;
  }

  private userOk(user: string, password: string): boolean {
    // SAP user names are case-insensitive, passwords are not.
    return user.toUpperCase() === this.opts.user.toUpperCase() && same(password, this.opts.password);
  }

  sessionOf(req: IncomingMessage): string | undefined {
    const sid = parseCookies(req.headers.cookie).get(this.cookieName);
    return sid && this.sessions.has(sid) ? sid : undefined;
  }

  /** Whether the request is logged on: Authorization header first, else a live session cookie. */
  authenticate(req: IncomingMessage, sapClient: string | undefined): boolean {
    if (this.revoked || !this.clientOk(sapClient)) return false;
    const auth = req.headers.authorization;
    if (auth) {
      const basic = basicCredentials(auth);
      if (basic) return this.userOk(basic.user, basic.password);
      const bearer = /^Bearer\s+(\S+)$/i.exec(auth);
      if (!bearer) return false;
      const exp = this.tokens.get(bearer[1]);
      if (exp === undefined) return false;
      if (exp <= Date.now()) {
        this.tokens.delete(bearer[1]);
        return false;
      }
      return true;
    }
    return this.sessionOf(req) !== undefined;
  }

  /** OAuth client check for the token endpoint (credentials from Basic header or form). */
  clientCredentialsOk(id: string | undefined, secret: string | undefined): boolean {
    return (
      !this.revoked &&
      id === this.opts.clientId &&
      secret !== undefined &&
      same(secret, this.opts.clientSecret)
    );
  }

  issueToken(): { token: string; expiresIn: number } {
    const token = randomBytes(24).toString('base64url');
    this.tokens.set(token, Date.now() + this.opts.tokenTtlSeconds * 1000);
    return { token, expiresIn: this.opts.tokenTtlSeconds };
  }

  /** Answers `X-CSRF-Token: Fetch`: the session's token (a new session when there is none). */
  fetchCsrf(req: IncomingMessage): { token: string; sessionId: string; newSession: boolean } {
    let sid = this.sessionOf(req);
    const newSession = !sid;
    if (!sid) {
      sid = randomBytes(30).toString('base64url');
      this.sessions.set(sid, { csrfIssuedAt: 0 });
    }
    const s = this.sessions.get(sid)!;
    if (!s.csrf || Date.now() - s.csrfIssuedAt > this.opts.csrfTtlSeconds * 1000) {
      s.csrf = randomBytes(18).toString('base64');
      s.csrfIssuedAt = Date.now();
    }
    return { token: s.csrf, sessionId: sid, newSession };
  }

  /** A modifying request must carry the token of the session named by its cookie. */
  csrfOk(req: IncomingMessage): boolean {
    const header = req.headers['x-csrf-token'];
    const token = Array.isArray(header) ? header[0] : header;
    const sid = this.sessionOf(req);
    if (!token || !sid) return false;
    const s = this.sessions.get(sid)!;
    if (!s.csrf || Date.now() - s.csrfIssuedAt > this.opts.csrfTtlSeconds * 1000) return false;
    return same(token, s.csrf);
  }

  /** The expire_csrf fault: all tokens handed out so far stop working. */
  expireCsrf(): void {
    for (const s of this.sessions.values()) s.csrf = undefined;
  }
}

export const UNAUTHORIZED_HTML =
  '<html><head><title>Logon Error Message</title></head><body><h1>401 Unauthorized</h1>' +
  '<p>Logon failed. Check your user name, password and client.</p>' +
  '<p>Server: SAP NetWeaver Application Server (sandbox)</p></body></html>';
