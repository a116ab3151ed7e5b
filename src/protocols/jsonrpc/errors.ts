// Turns the `error` member of a JSON-RPC response into a ConnectorError. Servers disagree on its
// shape: JSON-RPC 2.0 sends `{code, message, data}`, older dialects send `[name, payload]` or a bare
// string. Which names are business rules or conflicts is the system's knowledge, so the caller
// passes that table; everything unnamed is a `remote_error` that keeps the server's own words.
import { ConnectorError } from '../../connectors/errors.ts';
import type { ConnectorErrorKind } from '../../connectors/errors.ts';

export interface RpcErrorDescription {
  /** The server's error class or code, e.g. `ValueError` or `-32601`. */
  name: string;
  /** Human text for the message of the ConnectorError. */
  message: string;
  details?: unknown;
}

export interface ErrorRules {
  /** Error name → kind; unnamed errors are `remote_error`. */
  named?: Record<string, ConnectorErrorKind>;
  /** System-specific reading of an error; return undefined to fall back to the generic reading. */
  describe?: (error: unknown) => RpcErrorDescription | undefined;
}

function firstText(v: unknown): string | null {
  if (typeof v === 'string') return v.trim() === '' ? null : v;
  if (Array.isArray(v)) {
    for (const x of v) {
      const t = firstText(x);
      if (t != null) return t;
    }
  }
  return null;
}

/** The generic reading of the common shapes of the `error` member. */
export function describeRpcError(error: unknown): RpcErrorDescription {
  if (typeof error === 'string') return { name: error, message: error };
  if (Array.isArray(error)) {
    const [head, payload] = error;
    const name = typeof head === 'string' ? head : JSON.stringify(head);
    const text = firstText(payload);
    // `[name, [message, ...]]` carries its message; `[text, traceback]` is an unnamed exception.
    const message = Array.isArray(payload) && text != null ? text : name;
    return { name, message, details: payload };
  }
  if (typeof error === 'object' && error !== null) {
    const e = error as { code?: unknown; message?: unknown; data?: unknown; name?: unknown };
    const data = (typeof e.data === 'object' && e.data !== null ? e.data : {}) as {
      name?: unknown;
      message?: unknown;
    };
    const name =
      typeof data.name === 'string'
        ? data.name
        : typeof e.name === 'string'
          ? e.name
          : String(e.code ?? 'error');
    const message =
      typeof data.message === 'string' && data.message !== ''
        ? data.message
        : typeof e.message === 'string'
          ? e.message
          : name;
    return { name, message, details: e.data };
  }
  return { name: 'error', message: JSON.stringify(error) };
}

export function translateRpcError(error: unknown, rules: ErrorRules = {}): ConnectorError {
  const d = rules.describe?.(error) ?? describeRpcError(error);
  const kind: ConnectorErrorKind = rules.named?.[d.name] ?? 'remote_error';
  const message = kind === 'remote_error' && d.message !== d.name ? `${d.name}: ${d.message}` : d.message;
  return new ConnectorError(kind, message, {
    remote: { code: d.name, message: d.message, details: d.details },
  });
}

/** An HTTP status that is not a JSON-RPC answer (the server or a proxy refused the request). */
export function translateHttpStatus(status: number, body: string, during: 'login' | 'call'): ConnectorError {
  const text = body.trim().slice(0, 500);
  const remote = { status, message: text || undefined };
  if (status === 401) {
    return new ConnectorError('auth_rejected', during === 'login' ? 'login refused' : 'session rejected', {
      remote,
    });
  }
  if (status === 429) return new ConnectorError('rate_limited', 'too many requests', { remote });
  if (status >= 500) return new ConnectorError('unavailable', `server answered HTTP ${status}`, { remote });
  if (status === 403) return new ConnectorError('remote_error', 'forbidden (HTTP 403)', { remote });
  return new ConnectorError('remote_error', `server answered HTTP ${status}`, { remote });
}
