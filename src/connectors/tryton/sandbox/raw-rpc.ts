// A bare Tryton JSON-RPC caller for the sandbox set-up and the tests: plain fetch, no retries, no
// error translation. Kept apart from the connector so tests see Tryton through its own API.

export interface TrytonRaw {
  /** `model.<name>.<method>` etc.; the user context (plus `context`) is appended as the last parameter. */
  call<T = unknown>(method: string, params: unknown[], context?: Record<string, unknown>): Promise<T>;
  readonly userId: number;
  readonly context: Record<string, unknown>;
}

export class TrytonRawError extends Error {
  readonly error: unknown;
  constructor(method: string, error: unknown) {
    super(`${method}: ${JSON.stringify(error)}`);
    this.error = error;
  }
}

async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<unknown> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${text.slice(0, 200)}`);
  return JSON.parse(text);
}

/** Logs in to `<url>/<database>/` and returns a caller that sends the user's context along. */
export async function trytonLogin(
  url: string,
  database: string,
  login: string,
  password: string,
): Promise<TrytonRaw> {
  const endpoint = `${url.replace(/\/+$/, '')}/${encodeURIComponent(database)}/`;
  let id = 0;
  const res = (await post(endpoint, {
    id: ++id,
    method: 'common.db.login',
    params: [login, { password }, 'en'],
  })) as {
    result?: [number, string];
    error?: unknown;
  };
  if (!res.result) throw new TrytonRawError('common.db.login', res.error);
  const [userId, session] = res.result;
  const auth = {
    authorization: `Session ${Buffer.from(`${login}:${userId}:${session}`).toString('base64')}`,
  };
  const send = async (method: string, params: unknown[]): Promise<unknown> => {
    const r = (await post(endpoint, { id: ++id, method, params }, auth)) as {
      result?: unknown;
      error?: unknown;
    };
    if (r.error != null) throw new TrytonRawError(method, r.error);
    return r.result;
  };
  const context = ((await send('model.res.user.get_preferences', [true, {}])) ?? {}) as Record<
    string,
    unknown
  >;
  const raw: TrytonRaw = {
    userId,
    get context() {
      return context;
    },
    async call<T>(method: string, params: unknown[], extra?: Record<string, unknown>): Promise<T> {
      return (await send(method, [...params, { ...context, ...extra }])) as T;
    },
  };
  return raw;
}

/** Re-reads the user's preferences (after the user got a company) into the context. */
export async function refreshContext(raw: TrytonRaw): Promise<void> {
  const prefs = await raw.call<Record<string, unknown>>('model.res.user.get_preferences', [true]);
  Object.assign(raw.context, prefs);
}

export const decimal = (v: string | number) => ({ __class__: 'Decimal', decimal: String(v) });
export const date = (iso: string) => {
  const [year, month, day] = iso.split('-').map(Number);
  return { __class__: 'date', year, month, day };
};
