// HTTP failures → ConnectorError kinds. The source's own code and message come from a pluggable
// parser because every protocol shapes its error bodies differently.
import { ConnectorError } from '../../connectors/errors.ts';
import type { ConnectorErrorKind } from '../../connectors/errors.ts';

export interface ErrorResponse {
  status: number;
  headers: Headers;
  body: unknown;
  text: string;
}

export interface ParsedRemoteError {
  code?: string;
  message?: string;
  details?: unknown;
  /** Lets a protocol override the kind chosen from the status (rarely needed). */
  kind?: ConnectorErrorKind;
}

export type ErrorParser = (res: ErrorResponse) => ParsedRemoteError | undefined;

/** URL fit for messages and logs: no user info, no query (API keys sometimes travel there). */
export function redactUrl(url: string | URL): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return '<invalid url>';
  }
}

/** Reads the common `{error: "..."}`, `{error: {code, message}}` and `{message}` shapes. */
export const genericErrorParser: ErrorParser = ({ body, text }) => {
  if (body && typeof body === 'object') {
    const b = body as Record<string, unknown>;
    const e = b.error;
    if (typeof e === 'string') {
      return { code: e, message: typeof b.error_description === 'string' ? b.error_description : undefined };
    }
    if (e && typeof e === 'object') {
      const eo = e as Record<string, unknown>;
      const message = typeof eo.message === 'string' ? eo.message : undefined;
      return { code: eo.code == null ? undefined : String(eo.code), message };
    }
    if (typeof b.message === 'string') return { message: b.message };
  }
  const trimmed = text.trim();
  if (trimmed && trimmed.length <= 500 && !trimmed.startsWith('<')) return { message: trimmed };
  return undefined;
};

export function kindForStatus(status: number): ConnectorErrorKind {
  if (status === 401 || status === 403) return 'auth_rejected';
  if (status === 404) return 'not_found';
  if (status === 409 || status === 412) return 'conflict';
  if (status === 429) return 'rate_limited';
  if (status === 502 || status === 503 || status === 504) return 'unavailable';
  return 'remote_error';
}

export function httpError(
  method: string,
  url: string | URL,
  res: ErrorResponse,
  parser: ErrorParser | undefined,
  retryAfterMs: number | null,
): ConnectorError {
  let parsed: ParsedRemoteError | undefined;
  try {
    parsed = (parser ?? genericErrorParser)(res) ?? (parser ? genericErrorParser(res) : undefined);
  } catch {
    parsed = undefined; // a broken error body must not hide the status
  }
  const kind = parsed?.kind ?? kindForStatus(res.status);
  const summary = parsed?.message ? `: ${parsed.code ? `${parsed.code} ` : ''}${parsed.message}` : '';
  return new ConnectorError(kind, `${method} ${redactUrl(url)} answered ${res.status}${summary}`, {
    remote: { status: res.status, code: parsed?.code, message: parsed?.message, details: parsed?.details },
    retryAfterSeconds: retryAfterMs == null ? undefined : Math.ceil(retryAfterMs / 1000),
  });
}
