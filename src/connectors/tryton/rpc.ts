// Tryton's dialect on top of the generic JSON-RPC client: the session header, the user context sent
// as the last parameter of every model call, and which of Tryton's exceptions are business rules.
import { ConnectorError, isConnectorError } from '../errors.ts';
import type { ConnectionConfig } from '../types.ts';
import { JsonRpcClient } from '../../protocols/jsonrpc/index.ts';
import type { ErrorRules, JsonRpcAuth, RpcErrorDescription } from '../../protocols/jsonrpc/index.ts';

export interface TrytonCredentials {
  database: string;
  username: string;
  password: string;
}

/** Tryton's exception classes, as the first element of the `error` array. */
export const TRYTON_ERRORS: ErrorRules = {
  named: {
    UserError: 'business_rule',
    UserWarning: 'business_rule',
    ConcurrencyException: 'conflict',
  },
  describe(error: unknown): RpcErrorDescription | undefined {
    if (!Array.isArray(error) || typeof error[0] !== 'string') return undefined;
    const [name, payload] = error as [string, unknown];
    const args = Array.isArray(payload) ? payload : [];
    const text = (v: unknown): string => (typeof v === 'string' ? v : '');
    if (name === 'UserError') {
      // [message, description, domain]: the description adds the why; the domain is for clients.
      const [message, description] = [text(args[0]), text(args[1])];
      return {
        name,
        message: description ? `${message} ${description}` : message,
        details: { message, description },
      };
    }
    if (name === 'UserWarning') {
      // [warning key, message, description]: the key is what a client would acknowledge.
      const [key, message, description] = [text(args[0]), text(args[1]), text(args[2])];
      return {
        name,
        message: description ? `${message} ${description}` : message,
        details: { key, message, description },
      };
    }
    if (name === 'ConcurrencyException')
      return { name, message: text(payload) || 'Records were modified in the meanwhile' };
    return undefined;
  },
};

function trytonAuth(creds: TrytonCredentials): JsonRpcAuth {
  return {
    async login(call, signal) {
      let result: unknown;
      try {
        result = await call('common.db.login', [creds.username, { password: creds.password }, 'en'], {
          signal,
        });
      } catch (e) {
        // An unknown database is a 404 on PostgreSQL and an error answer naming it on SQLite; 403
        // means the login needs another factor.
        const missingDb =
          isConnectorError(e) &&
          e.kind === 'remote_error' &&
          /^Database .* doesn't exist/.test(e.remote?.code ?? '');
        if (missingDb) {
          throw new ConnectorError('auth_rejected', `database "${creds.database}" not found`, {
            remote: e.remote,
            cause: e,
          });
        }
        if (isConnectorError(e) && (e.remote?.status === 404 || e.remote?.status === 403)) {
          const why =
            e.remote.status === 404 ? `database "${creds.database}" not found` : 'login needs another factor';
          throw new ConnectorError('auth_rejected', why, { remote: e.remote, cause: e });
        }
        throw e;
      }
      if (!Array.isArray(result) || typeof result[0] !== 'number' || typeof result[1] !== 'string') {
        throw new ConnectorError('auth_rejected', 'login refused', { remote: { details: result } });
      }
      const token = Buffer.from(`${creds.username}:${result[0]}:${result[1]}`, 'utf8').toString('base64');
      return { authorization: `Session ${token}` };
    },
  };
}

export function readCredentials(raw: Record<string, unknown>): TrytonCredentials {
  const str = (k: string): string => {
    const v = raw[k];
    if (typeof v !== 'string' || v === '')
      throw new ConnectorError('invalid_input', `credentials.${k} is required`);
    return v;
  };
  return { database: str('database'), username: str('username'), password: str('password') };
}

export type Context = Record<string, unknown>;

/** A logged-in Tryton: `model(name, method, params)` appends the user's context. */
export class TrytonRpc {
  readonly client: JsonRpcClient;
  #context: Promise<Context> | null = null;

  constructor(config: ConnectionConfig) {
    const creds = readCredentials(config.credentials);
    const base = config.instanceUrl.replace(/\/+$/, '');
    this.client = new JsonRpcClient({
      url: `${base}/${encodeURIComponent(creds.database)}/`,
      auth: trytonAuth(creds),
      errors: TRYTON_ERRORS,
      checkUrl: config.checkUrl,
      timeoutMs: typeof config.settings.timeout_ms === 'number' ? config.settings.timeout_ms : 60_000,
    });
  }

  /** The user's preferences (company, language, …), which Tryton expects as the context. */
  context(signal?: AbortSignal): Promise<Context> {
    this.#context ??= this.client
      .call<Context>('model.res.user.get_preferences', [true, {}], { signal })
      .then((c) => c ?? {})
      .catch((e) => {
        this.#context = null;
        throw e;
      });
    return this.#context;
  }

  async login(signal?: AbortSignal): Promise<void> {
    this.#context = null;
    await this.client.login(signal);
    await this.context(signal);
  }

  /** `model.<model>.<method>` with the user context (plus `extra`) as the last parameter. */
  async model<T = unknown>(
    model: string,
    method: string,
    params: unknown[],
    opts: { extra?: Context; signal?: AbortSignal; write?: boolean } = {},
  ): Promise<T> {
    const ctx = { ...(await this.context(opts.signal)), ...opts.extra };
    return this.client.call<T>(`model.${model}.${method}`, [...params, ctx], {
      signal: opts.signal,
      idempotent: !opts.write,
    });
  }

  async wizard<T = unknown>(name: string, method: string, params: unknown[], extra?: Context): Promise<T> {
    const ctx = { ...(await this.context()), ...extra };
    return this.client.call<T>(`wizard.${name}.${method}`, [...params, ctx], { idempotent: false });
  }
}
