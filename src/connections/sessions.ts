// One live connector session per connection and process, so cookies, CSRF tokens and OAuth tokens
// are reused across syncs and reads. A changed credential or status opens a fresh one.
import { ApiError } from '../core/errors.ts';
import { checkOutboundUrl } from '../core/url-guard.ts';
import type { ConnectionConfig, Connector, ConnectorSession } from '../connectors/types.ts';
import type { AppContext } from '../context.ts';
import type { ConnectionRow } from './store.ts';

const cache = new WeakMap<AppContext, Map<string, { key: string; session: ConnectorSession }>>();

export function connectorOf(ctx: AppContext, row: Pick<ConnectionRow, 'system'>): Connector {
  const connector = ctx.registry.get(row.system);
  if (!connector)
    throw new ApiError('INTERNAL_ERROR', `System ${row.system} is not installed in this Ironbridge`);
  return connector;
}

/** What identifies a session's configuration: a changed credential, URL or setting opens a new one. */
export const sessionKey = (row: ConnectionRow) =>
  `${row.credentials_enc}|${row.instance_url}|${JSON.stringify(row.settings)}`;

/** How a connector opens a session for a connection (credentials already decrypted). */
export function connectionConfig(
  row: Pick<ConnectionRow, 'id' | 'instance_url' | 'deployment' | 'settings'>,
  credentials: ConnectionConfig['credentials'],
  allowPrivateUrls: boolean,
): ConnectionConfig {
  return {
    connectionId: row.id,
    instanceUrl: row.instance_url,
    deployment: row.deployment,
    credentials,
    settings: row.settings ?? {},
    checkUrl: async (u) => {
      await checkOutboundUrl(u, { allowPrivate: allowPrivateUrls });
    },
  };
}

export function sessionFor(ctx: AppContext, row: ConnectionRow): ConnectorSession {
  let perCtx = cache.get(ctx);
  if (!perCtx) cache.set(ctx, (perCtx = new Map()));
  const key = sessionKey(row);
  const hit = perCtx.get(row.id);
  if (hit && hit.key === key) return hit.session;
  void hit?.session.close?.();
  const session = connectorOf(ctx, row).open(
    connectionConfig(row, ctx.keyring.decrypt(row.credentials_enc), ctx.config.allowPrivateUrls),
  );
  perCtx.set(row.id, { key, session });
  return session;
}

export function dropSession(ctx: AppContext, connectionId: string) {
  const perCtx = cache.get(ctx);
  const hit = perCtx?.get(connectionId);
  perCtx?.delete(connectionId);
  void hit?.session.close?.();
}
