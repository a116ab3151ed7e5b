// Creating, listing, rotating and disconnecting connections; credits.
import { effectiveMapping } from '../unified/mapping.ts';
import { fieldsToFetch, missingFields } from '../unified/remote-fields.ts';
import { requestResync } from '../sync/service.ts';
import { ApiError } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import { decodeCursor, encodeCursor } from '../core/pagination.ts';
import { generateToken, hashToken, tokenHint, type EnvironmentKind } from '../core/tokens.ts';
import { checkOutboundUrl, UrlRefused } from '../core/url-guard.ts';
import { creditsFor } from '../connectors/registry.ts';
import type { Connector } from '../connectors/types.ts';
import { isConnectorError } from '../connectors/errors.ts';
import type { AppContext } from '../context.ts';
import type { Queryable } from '../store/db.ts';
import { CONNECTION_COLUMNS, findConnection, toApiConnection, type ConnectionRow } from './store.ts';
import { connectorErrorToApi } from './errors.ts';
import { recordEvent } from '../events/index.ts';
import { checkCustomObjects, customEntity, declaredObjects } from '../custom-objects/index.ts';

export interface Caller {
  environmentId: string;
  environmentKind: EnvironmentKind;
}

export interface CreateConnectionInput {
  system: string;
  deployment: 'cloud' | 'on_premise';
  customer_id: string;
  customer_name: string;
  instance_url: string;
  credentials: Record<string, unknown>;
  settings?: Record<string, unknown>;
}

export async function createConnection(ctx: AppContext, caller: Caller, input: CreateConnectionInput) {
  const connector = ctx.registry.get(input.system);
  if (!connector) {
    throw new ApiError('VALIDATION_FAILED', `Unknown system "${input.system}"; GET /v1/systems lists them`, {
      details: [{ field: 'system', message: `unknown system "${input.system}"` }],
    });
  }
  const descriptor = connector.descriptor;
  if (!descriptor.deployments.includes(input.deployment)) {
    throw new ApiError(
      'VALIDATION_FAILED',
      `${descriptor.name} does not support ${input.deployment} deployment`,
      {
        details: [{ field: 'deployment', message: `one of: ${descriptor.deployments.join(', ')}` }],
      },
    );
  }
  const parsed = connector.credentialsSchema.safeParse(input.credentials);
  if (!parsed.success) {
    throw new ApiError('VALIDATION_FAILED', 'The credentials do not fit this system', {
      details: parsed.error.issues.map((i) => ({
        field: ['credentials', ...i.path].join('.'),
        message: i.message,
      })),
    });
  }
  checkCustomObjects(connector, input.settings);
  const only = input.settings?.sync_entities;
  if (Array.isArray(only)) {
    const unreadable = only.filter(
      (e) => !descriptor.capabilities[e as keyof typeof descriptor.capabilities]?.read,
    );
    if (unreadable.length) {
      throw new ApiError('VALIDATION_FAILED', `${descriptor.name} cannot sync ${unreadable.join(', ')}`, {
        details: unreadable.map((e) => ({
          field: 'settings.sync_entities',
          message: `not readable in ${descriptor.name}: ${e}`,
        })),
      });
    }
  }
  const instanceUrl = await guardInstanceUrl(ctx, input.instance_url);
  const id = newId('conn');
  const session = connector.open({
    connectionId: id,
    instanceUrl,
    deployment: input.deployment,
    credentials: parsed.data,
    settings: input.settings ?? {},
    checkUrl: (u) => guardInstanceUrl(ctx, u).then(() => undefined),
  });
  try {
    await session.check();
  } catch (e) {
    if (isConnectorError(e) && e.kind === 'auth_rejected') {
      throw new ApiError('VALIDATION_FAILED', `${descriptor.name} rejected the credentials`, {
        details: [{ field: 'credentials', message: 'rejected by the system' }],
        remoteError: e.remote,
      });
    }
    throw connectorErrorToApi(e);
  } finally {
    await session.close?.();
  }

  const cost = creditsFor(descriptor, input.deployment);
  const token = generateToken('connection_token', caller.environmentKind);
  const row = await ctx.db.tx(async (q) => {
    await q.query('SELECT id FROM environments WHERE id = $1 FOR UPDATE', [caller.environmentId]);
    const { used } = await creditsUsed(q, caller.environmentId);
    if (used + cost > ctx.config.creditPool) {
      throw new ApiError(
        'INSUFFICIENT_CREDITS',
        `This connection needs ${cost} credits; ${ctx.config.creditPool - used} of ${ctx.config.creditPool} are available`,
        { details: { required: cost, available: ctx.config.creditPool - used, pool: ctx.config.creditPool } },
      );
    }
    await q.query(
      `INSERT INTO connections (id, environment_id, system, deployment, customer_id, customer_name, instance_url,
         credentials_enc, settings, credits)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9::jsonb,$10)`,
      [
        id,
        caller.environmentId,
        descriptor.id,
        input.deployment,
        input.customer_id,
        input.customer_name,
        instanceUrl,
        ctx.keyring.encrypt(parsed.data),
        JSON.stringify(input.settings ?? {}),
        cost,
      ],
    );
    await insertToken(q, id, token);
    await q.query(
      'INSERT INTO credit_ledger (environment_id, connection_id, delta, reason) VALUES ($1, $2, $3, $4)',
      [caller.environmentId, id, -cost, 'connection.created'],
    );
    const created = (await findConnection(q, caller.environmentId, id))!;
    await recordEvent(q, {
      environmentId: caller.environmentId,
      connectionId: id,
      type: 'connection.created',
      data: toApiConnection(created),
    });
    const only = input.settings?.sync_entities as string[] | undefined;
    await createSyncStates(q, id, [
      ...Object.entries(descriptor.capabilities)
        .filter(([e, c]) => c?.read && (!only || only.includes(e)))
        .map(([e]) => e),
      ...declaredObjects(input.settings).map((d) => customEntity(d.name)),
    ]);
    return created;
  });
  return { ...toApiConnection(row), token };
}

// Every entity the system reads gets a sync state, due now: the first sync starts right away.
async function createSyncStates(q: Queryable, connectionId: string, entities: string[]) {
  await q.query(
    `INSERT INTO sync_state (connection_id, entity) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING`,
    [connectionId, entities],
  );
}
async function guardInstanceUrl(ctx: AppContext, raw: string): Promise<string> {
  try {
    const url = await checkOutboundUrl(raw, { allowPrivate: ctx.config.allowPrivateUrls });
    return url.toString().replace(/\/$/, '');
  } catch (e) {
    if (e instanceof UrlRefused) {
      throw new ApiError('VALIDATION_FAILED', `instance_url ${e.message}`, {
        details: [{ field: 'instance_url', message: e.message }],
      });
    }
    throw e;
  }
}

async function insertToken(q: Queryable, connectionId: string, token: string) {
  await q.query(
    'INSERT INTO connection_tokens (id, connection_id, token_hash, hint) VALUES ($1, $2, $3, $4)',
    [newId('ct'), connectionId, hashToken(token), tokenHint(token)],
  );
}

export async function getConnection(ctx: AppContext, caller: Caller, id: string): Promise<ConnectionRow> {
  const row = await findConnection(ctx.db, caller.environmentId, id);
  if (!row) throw new ApiError('NOT_FOUND', `No connection ${id} in this environment`);
  return row;
}

export async function listConnections(
  ctx: AppContext,
  caller: Caller,
  f: { customer_id?: string; system?: string; status?: string; cursor?: string; page_size: number },
) {
  const after = decodeCursor(f.cursor, 2);
  // The cursor carries created_at as PostgreSQL text: microseconds survive, a JS Date would cut them.
  const rows = await ctx.db.query<ConnectionRow & { created_key: string }>(
    `SELECT ${CONNECTION_COLUMNS}, c.created_at::text AS created_key FROM connections c JOIN environments e ON e.id = c.environment_id
      WHERE c.environment_id = $1
        AND ($2::text IS NULL OR c.customer_id = $2)
        AND ($3::text IS NULL OR c.system = $3)
        AND ($4::text IS NULL OR c.status = $4)
        AND ($5::timestamptz IS NULL OR (c.created_at, c.id) > ($5::timestamptz, $6::text))
      ORDER BY c.created_at, c.id LIMIT $7`,
    [
      caller.environmentId,
      f.customer_id ?? null,
      f.system ?? null,
      f.status ?? null,
      after ? (after[0] as string) : null,
      after ? (after[1] as string) : null,
      f.page_size + 1,
    ],
  );
  const page = rows.slice(0, f.page_size);
  const last = page[page.length - 1];
  return {
    data: page.map(toApiConnection),
    next_cursor: rows.length > f.page_size && last ? encodeCursor([last.created_key, last.id]) : null,
  };
}

export async function rotateToken(ctx: AppContext, caller: Caller, id: string) {
  const token = generateToken('connection_token', caller.environmentKind);
  const row = await ctx.db.tx(async (q) => {
    const conn = await q.query<ConnectionRow>(
      'SELECT id, status FROM connections WHERE id = $1 AND environment_id = $2 FOR UPDATE',
      [id, caller.environmentId],
    );
    if (!conn[0]) throw new ApiError('NOT_FOUND', `No connection ${id} in this environment`);
    if (conn[0].status === 'disconnected') {
      throw new ApiError(
        'CONNECTION_DISCONNECTED',
        'A disconnected connection gets no new token; create a new connection',
      );
    }
    await q.query(
      'UPDATE connection_tokens SET revoked_at = now() WHERE connection_id = $1 AND revoked_at IS NULL',
      [id],
    );
    await insertToken(q, id, token);
    await q.query('UPDATE connections SET updated_at = now() WHERE id = $1', [id]);
    return (await findConnection(q, caller.environmentId, id))!;
  });
  return { ...toApiConnection(row), token };
}

export async function disconnect(ctx: AppContext, caller: Caller, id: string) {
  const row = await ctx.db.tx(async (q) => {
    const conn = await q.query<ConnectionRow>(
      'SELECT id, status, credits FROM connections WHERE id = $1 AND environment_id = $2 FOR UPDATE',
      [id, caller.environmentId],
    );
    if (!conn[0]) throw new ApiError('NOT_FOUND', `No connection ${id} in this environment`);
    if (conn[0].status !== 'disconnected') {
      await q.query(
        'UPDATE connection_tokens SET revoked_at = now() WHERE connection_id = $1 AND revoked_at IS NULL',
        [id],
      );
      await q.query(
        `UPDATE connections SET status = 'disconnected', status_reason = 'disconnected by API',
           disconnected_at = now(), updated_at = now() WHERE id = $1`,
        [id],
      );
      await q.query(
        'INSERT INTO credit_ledger (environment_id, connection_id, delta, reason) VALUES ($1, $2, $3, $4)',
        [caller.environmentId, id, conn[0].credits, 'connection.disconnected'],
      );
      await q.query(`UPDATE sync_state SET status = 'disabled', resume = NULL WHERE connection_id = $1`, [
        id,
      ]);
      await recordEvent(q, {
        environmentId: caller.environmentId,
        connectionId: id,
        type: 'connection.disconnected',
        data: { connection_id: id },
      });
    }
    return (await findConnection(q, caller.environmentId, id))!;
  });
  return toApiConnection(row);
}

async function creditsUsed(q: Queryable, environmentId: string) {
  const rows = await q.query<{ used: number | null }>(
    'SELECT -COALESCE(SUM(delta), 0)::int AS used FROM credit_ledger WHERE environment_id = $1',
    [environmentId],
  );
  return { used: Number(rows[0]?.used ?? 0) };
}

export async function credits(ctx: AppContext, caller: Caller) {
  const { used } = await creditsUsed(ctx.db, caller.environmentId);
  const per = await ctx.db.query<{
    id: string;
    system: string;
    customer_id: string;
    deployment: string;
    credits: number;
  }>(
    `SELECT id, system, customer_id, deployment, credits FROM connections
      WHERE environment_id = $1 AND status <> 'disconnected' ORDER BY created_at, id`,
    [caller.environmentId],
  );
  return {
    pool: ctx.config.creditPool,
    used,
    available: ctx.config.creditPool - used,
    connections: per.map((c) => ({
      connection_id: c.id,
      system: c.system,
      customer_id: c.customer_id,
      deployment: c.deployment,
      credits: c.credits,
    })),
  };
}

/** Changes the customer name or settings. New custom objects start syncing; removed ones stop. */
export async function updateConnection(
  ctx: AppContext,
  caller: Caller,
  id: string,
  input: { customer_name?: string; settings?: Record<string, unknown> },
) {
  const current = await getConnection(ctx, caller, id);
  if (current.status === 'disconnected')
    throw new ApiError('CONNECTION_DISCONNECTED', 'A disconnected connection cannot be changed');
  const connector = ctx.registry.get(current.system)!;
  if (input.settings) checkCustomObjects(connector, input.settings);
  const row = await ctx.db.tx(async (q) => {
    await q.query(
      `UPDATE connections SET customer_name = COALESCE($2, customer_name), settings = COALESCE($3::jsonb, settings),
         updated_at = now() WHERE id = $1`,
      [id, input.customer_name ?? null, input.settings ? JSON.stringify(input.settings) : null],
    );
    if (input.settings) {
      const wanted = declaredObjects(input.settings).map((d) => customEntity(d.name));
      await createSyncStates(q, id, wanted);
      await q.query(
        `UPDATE sync_state SET status = CASE WHEN entity = ANY($2::text[]) AND status = 'disabled' THEN 'pending'
                                            WHEN entity = ANY($2::text[]) THEN status ELSE 'disabled' END
          WHERE connection_id = $1 AND entity LIKE 'custom:%'`,
        [id, wanted],
      );
    }
    const updated = (await findConnection(q, caller.environmentId, id))!;
    await recordEvent(q, {
      environmentId: caller.environmentId,
      connectionId: id,
      type: 'connection.updated',
      data: toApiConnection(updated),
    });
    return updated;
  });
  if (input.settings) await resyncForRemoteFields(ctx, connector, current, row);
  return toApiConnection(row);
}

/** Entities whose reads now need source fields the earlier settings did not fetch get a full re-read. */
async function resyncForRemoteFields(
  ctx: AppContext,
  connector: Connector,
  before: ConnectionRow,
  after: ConnectionRow,
) {
  const states = await ctx.db.query<{ entity: string }>(
    `SELECT entity FROM sync_state WHERE connection_id = $1 AND status <> 'disabled' AND initial_done`,
    [after.id],
  );
  for (const { entity } of states) {
    const mapping = await effectiveMapping(ctx.db, connector, after.id, entity);
    const missing = missingFields(
      fieldsToFetch(connector, before.settings, entity, mapping.mapping),
      fieldsToFetch(connector, after.settings, entity, mapping.mapping),
    );
    if (missing.length) await requestResync(ctx, after.id, entity);
  }
}
