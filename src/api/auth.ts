// Bearer tokens: secret keys (management) and connection tokens (one connection's data).
import type { FastifyRequest } from 'fastify';
import { ApiError } from '../core/errors.ts';
import { hashToken, tokenKind, tokenMatches, type EnvironmentKind } from '../core/tokens.ts';
import type { AppContext } from '../context.ts';

export type Auth =
  | { kind: 'none' }
  | {
      kind: 'secret_key';
      keyId: string;
      environmentId: string;
      environmentKind: EnvironmentKind;
      tokenHash: string;
    }
  | {
      kind: 'connection_token';
      tokenId: string;
      connectionId: string;
      environmentId: string;
      environmentKind: EnvironmentKind;
      tokenHash: string;
    };

declare module 'fastify' {
  interface FastifyRequest {
    auth?: Auth;
  }
  interface FastifyContextConfig {
    auth?: 'none' | 'secret_key' | 'connection_token' | 'either';
  }
}

const unauthenticated = (msg: string) =>
  new ApiError('AUTHENTICATION_FAILED', msg, {
    headers: { 'www-authenticate': 'Bearer realm="ironbridge"' },
  });

export async function authenticate(ctx: AppContext, req: FastifyRequest): Promise<Auth> {
  const want = req.routeOptions.config?.auth ?? 'none';
  if (want === 'none') return { kind: 'none' };
  const header = req.headers.authorization;
  if (!header) throw unauthenticated('Send Authorization: Bearer <secret key or connection token>');
  const m = /^Bearer\s+(\S+)$/i.exec(header);
  if (!m) throw unauthenticated('The Authorization header must be "Bearer <token>"');
  const token = m[1];
  const kind = tokenKind(token);
  if (!kind) throw unauthenticated('The token is not an Ironbridge secret key or connection token');
  const digest = hashToken(token);
  if (kind.kind === 'secret_key') {
    const rows = await ctx.db.query<{
      id: string;
      token_hash: string;
      environment_id: string;
      kind: EnvironmentKind;
    }>(
      `SELECT k.id, k.token_hash, k.environment_id, e.kind FROM secret_keys k JOIN environments e ON e.id = k.environment_id
        WHERE k.token_hash = $1 AND k.revoked_at IS NULL`,
      [digest],
    );
    const row = rows[0];
    if (!row || !tokenMatches(token, row.token_hash))
      throw unauthenticated('The secret key is invalid or revoked');
    if (want === 'connection_token') {
      throw new ApiError(
        'PERMISSION_DENIED',
        'This endpoint takes a connection token; with a secret key use /v1/connections/{id}/...',
      );
    }
    return {
      kind: 'secret_key',
      keyId: row.id,
      environmentId: row.environment_id,
      environmentKind: row.kind,
      tokenHash: digest,
    };
  }
  const rows = await ctx.db.query<{
    id: string;
    token_hash: string;
    connection_id: string;
    environment_id: string;
    kind: EnvironmentKind;
  }>(
    `SELECT t.id, t.token_hash, t.connection_id, c.environment_id, e.kind
       FROM connection_tokens t JOIN connections c ON c.id = t.connection_id JOIN environments e ON e.id = c.environment_id
      WHERE t.token_hash = $1 AND t.revoked_at IS NULL`,
    [digest],
  );
  const row = rows[0];
  if (!row || !tokenMatches(token, row.token_hash))
    throw unauthenticated('The connection token is invalid, rotated or revoked');
  if (want === 'secret_key')
    throw new ApiError('PERMISSION_DENIED', 'This endpoint needs a secret key, not a connection token');
  return {
    kind: 'connection_token',
    tokenId: row.id,
    connectionId: row.connection_id,
    environmentId: row.environment_id,
    environmentKind: row.kind,
    tokenHash: digest,
  };
}
