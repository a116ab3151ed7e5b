// The OData v2 error body: {"error":{"code","message":{"lang","value"},"innererror":{"transactionid",
// "errordetails":[{"code","message","propertyref","severity","target"}]}}}, in JSON or in XML.
import type { ErrorParser, ParsedRemoteError } from '../http/index.ts';

export interface ODataErrorDetail {
  code?: string;
  message?: string;
  severity?: string;
  target?: string;
  propertyref?: string;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

function fromJson(body: unknown): ParsedRemoteError | undefined {
  if (!body || typeof body !== 'object' || !('error' in body)) return undefined;
  const e = (body as { error: unknown }).error;
  if (!e || typeof e !== 'object') return undefined;
  const err = e as Record<string, unknown>;
  const msg = err.message;
  const message =
    typeof msg === 'string'
      ? msg
      : msg && typeof msg === 'object'
        ? str((msg as { value?: unknown }).value)
        : undefined;
  const inner =
    err.innererror && typeof err.innererror === 'object' ? (err.innererror as Record<string, unknown>) : {};
  const raw = Array.isArray(inner.errordetails) ? inner.errordetails : [];
  const details: ODataErrorDetail[] = raw
    .filter((x): x is Record<string, unknown> => !!x && typeof x === 'object')
    .map((x) => ({
      code: str(x.code),
      message: str(x.message),
      severity: str(x.severity),
      target: str(x.target),
      propertyref: str(x.propertyref),
    }));
  return {
    code: str(err.code),
    message,
    details:
      details.length > 0 || inner.transactionid
        ? { errordetails: details, transactionid: str(inner.transactionid) }
        : undefined,
  };
}

function xmlText(xml: string, tag: string): string | undefined {
  const m = new RegExp(`<(?:\\w+:)?${tag}(?:\\s[^>]*)?>([\\s\\S]*?)</(?:\\w+:)?${tag}>`).exec(xml);
  if (!m) return undefined;
  return m[1]
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&')
    .trim();
}

function fromXml(text: string): ParsedRemoteError | undefined {
  if (!/<(?:\w+:)?error[\s>]/.test(text)) return undefined;
  return { code: xmlText(text, 'code'), message: xmlText(text, 'message') };
}

export const parseODataError: ErrorParser = ({ body, text }) => {
  const parsed = fromJson(body) ?? fromXml(text);
  if (parsed) return parsed;
  const t = text.trim();
  // Plain-text refusals (e.g. "CSRF token validation failed") are short; HTML login pages are not kept.
  if (t && t.length <= 500 && !t.startsWith('<')) return { message: t };
  return undefined;
};

/** The detail messages of a parsed OData error (`remote.details`), for callers that show them. */
export function errorDetails(details: unknown): ODataErrorDetail[] {
  if (!details || typeof details !== 'object') return [];
  const list = (details as { errordetails?: unknown }).errordetails;
  return Array.isArray(list) ? (list as ODataErrorDetail[]) : [];
}
