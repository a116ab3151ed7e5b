// A small RFC 6265 cookie jar: enough for session cookies that pair with server-side tokens
// (e.g. an anti-CSRF token only valid together with the session cookie it was issued with).

interface StoredCookie {
  name: string;
  value: string;
  /** Host the cookie was set by (host-only) or the Domain attribute without a leading dot. */
  domain: string;
  hostOnly: boolean;
  path: string;
  secure: boolean;
  expiresAt: number | null;
}

function defaultPath(url: URL): string {
  const p = url.pathname;
  if (!p.startsWith('/') || p.lastIndexOf('/') === 0) return '/';
  return p.slice(0, p.lastIndexOf('/'));
}

function domainMatches(host: string, domain: string): boolean {
  return host === domain || (host.endsWith(`.${domain}`) && !/^\d+\.\d+\.\d+\.\d+$/.test(host));
}

function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/';
}

export class CookieJar {
  #cookies: StoredCookie[] = [];
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** Stores the cookies of one response. */
  setFromResponse(url: URL, setCookieHeaders: string[]): void {
    for (const header of setCookieHeaders) this.#set(url, header);
  }

  #set(url: URL, header: string): void {
    const [pair, ...attrs] = header.split(';');
    const eq = pair.indexOf('=');
    if (eq <= 0) return;
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    const host = url.hostname.toLowerCase();
    const cookie: StoredCookie = {
      name,
      value,
      domain: host,
      hostOnly: true,
      path: defaultPath(url),
      secure: false,
      expiresAt: null,
    };
    let maxAgeSeen = false;
    for (const attr of attrs) {
      const i = attr.indexOf('=');
      const key = (i < 0 ? attr : attr.slice(0, i)).trim().toLowerCase();
      const val = i < 0 ? '' : attr.slice(i + 1).trim();
      if (key === 'domain' && val) {
        const d = val.replace(/^\./, '').toLowerCase();
        // A server may only widen a cookie to a domain it belongs to.
        if (!domainMatches(host, d)) return;
        cookie.domain = d;
        cookie.hostOnly = false;
      } else if (key === 'path' && val.startsWith('/')) {
        cookie.path = val;
      } else if (key === 'secure') {
        cookie.secure = true;
      } else if (key === 'max-age' && /^-?\d+$/.test(val)) {
        maxAgeSeen = true;
        cookie.expiresAt = this.#now() + Number(val) * 1000;
      } else if (key === 'expires' && !maxAgeSeen) {
        const t = Date.parse(val);
        if (!Number.isNaN(t)) cookie.expiresAt = t;
      }
    }
    this.#cookies = this.#cookies.filter(
      (c) => !(c.name === cookie.name && c.domain === cookie.domain && c.path === cookie.path),
    );
    if (cookie.expiresAt !== null && cookie.expiresAt <= this.#now()) return; // deletion
    this.#cookies.push(cookie);
  }

  /** The Cookie header for a request to `url`, or null when no cookie applies. */
  headerFor(url: URL): string | null {
    const now = this.#now();
    this.#cookies = this.#cookies.filter((c) => c.expiresAt === null || c.expiresAt > now);
    const host = url.hostname.toLowerCase();
    const secure = url.protocol === 'https:';
    const matching = this.#cookies
      .filter((c) => (c.hostOnly ? c.domain === host : domainMatches(host, c.domain)))
      .filter((c) => pathMatches(url.pathname || '/', c.path))
      .filter((c) => !c.secure || secure)
      // Longer paths first, as RFC 6265 §5.4 asks.
      .sort((a, b) => b.path.length - a.path.length);
    if (matching.length === 0) return null;
    return matching.map((c) => `${c.name}=${c.value}`).join('; ');
  }

  clear(): void {
    this.#cookies = [];
  }

  get size(): number {
    return this.#cookies.length;
  }
}
