// Secrets never reach logs: headers and JSON bodies are redacted before they are written.
const SECRET_KEY =
  /pass(word)?|secret|token|api[-_]?key|credential|authorization|cookie|private[-_]?key|signature/i;
const SECRET_VALUE = /\b(ib_(sk|ct)_(test|live)_[A-Za-z0-9_-]+|whsec_[A-Za-z0-9+/=_-]+)/g;
export const REDACTED = '[REDACTED]';

export function redactHeaders(headers: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(headers)) out[k] = SECRET_KEY.test(k) ? REDACTED : redactText(v);
  return out;
}

function redactText(v: unknown): unknown {
  return typeof v === 'string' ? v.replace(SECRET_VALUE, REDACTED) : v;
}

export function redactBody(value: unknown, depth = 0): unknown {
  if (depth > 12) return REDACTED;
  if (Array.isArray(value)) return value.slice(0, 200).map((v) => redactBody(v, depth + 1));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = SECRET_KEY.test(k) && !/_hint$|^token_type$/.test(k) ? REDACTED : redactBody(v, depth + 1);
    }
    return out;
  }
  return redactText(value);
}
