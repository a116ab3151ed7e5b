// The connection a request is about: the token's own, or /v1/connections/{id} for a secret key.
import { ApiError } from '../../core/errors.ts';
import { getConnection } from '../../connections/service.ts';
import { findConnection, type ConnectionRow } from '../../connections/store.ts';
import type { AppContext } from '../../context.ts';
import type { Auth } from '../auth.ts';

export async function connectionInScope(
  ctx: AppContext,
  auth: Auth,
  params: { id?: unknown },
): Promise<ConnectionRow> {
  if (auth.kind === 'connection_token') {
    const row = (await findConnection(ctx.db, auth.environmentId, auth.connectionId))!;
    if (row.status === 'reauthorization_required') {
      throw new ApiError(
        'REAUTHORIZATION_REQUIRED',
        `The ${row.system} system rejected this connection's credentials (${row.status_reason ?? 'no detail'}). ` +
          'Ask the customer to reconnect through a Connect session in reconnect mode (POST /v1/connect/sessions with reconnect), ' +
          'or create a new connection with valid credentials.',
      );
    }
    return row;
  }
  if (auth.kind === 'secret_key' && typeof params.id === 'string') {
    return getConnection(
      ctx,
      { environmentId: auth.environmentId, environmentKind: auth.environmentKind },
      params.id,
    );
  }
  throw new ApiError(
    'PERMISSION_DENIED',
    'This endpoint needs a connection token or /v1/connections/{id}/... with a secret key',
  );
}
