// The unified read API over the record store: mapping applied per response (materialised values
// are reused while the mapping is unchanged), keyset paging on the immutable insertion sequence.
import { fieldsToFetch } from './remote-fields.ts';
import { ApiError } from '../core/errors.ts';
import { decodeCursor, encodeCursor } from '../core/pagination.ts';
import type { Connector, EntityName } from '../connectors/types.ts';
import { connectorErrorToApi } from '../connections/errors.ts';
import { connectorOf, sessionFor } from '../connections/sessions.ts';
import type { ConnectionRow } from '../connections/store.ts';
import type { AppContext } from '../context.ts';
import { recordEvents } from '../events/index.ts';
import { ENTITY_INFO } from '../model/index.ts';
import { changeEvents } from '../records/change-events.ts';
import { RECORD_COLUMNS, materialise, upsertPage, type RecordRow } from '../records/store.ts';
import type { Queryable } from '../store/db.ts';
import { effectiveMapping, type EffectiveMapping } from './mapping.ts';
import { CUSTOM_PREFIX, findObject, isCustom } from '../custom-objects/index.ts';

export interface ListQuery {
  cursor?: string;
  page_size: number;
  modified_after?: string;
  modified_before?: string;
  created_after?: string;
  created_before?: string;
  include_deleted?: boolean;
  include_remote_data?: boolean;
  expand?: string[];
  filters: Record<string, string>;
}

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

/** Refuses entities the system cannot read, with the system named. */
export function requireReadable(connector: Connector, entity: string, conn?: ConnectionRow) {
  if (isCustom(entity)) {
    const name = entity.slice(CUSTOM_PREFIX.length);
    if (!findObject(conn?.settings, name)) {
      throw new ApiError(
        'NOT_FOUND',
        `No custom object "${name}" is declared on this connection (settings.custom_objects)`,
      );
    }
    return;
  }
  const cap = connector.descriptor.capabilities[entity as EntityName];
  if (!cap?.read) {
    throw new ApiError(
      'OPERATION_NOT_SUPPORTED',
      `${connector.descriptor.name} has no ${entity.replace('_', ' ')}`,
      {
        details: { system: connector.descriptor.id, entity, operation: 'read' },
      },
    );
  }
}

export function present(
  row: RecordRow,
  entity: string,
  mapping: EffectiveMapping,
  opts: { includeRemoteData?: boolean; expand?: string[] } = {},
): Record<string, unknown> {
  const values =
    row.mapping_hash === mapping.hash && row.unified
      ? row.unified
      : materialise(mapping, row.connection_id, row.data);
  const { __warnings, custom_fields, ...fields } = values as Record<string, any>;
  const out: Record<string, unknown> = {
    id: row.id,
    remote_id: row.remote_id,
    created_at: iso(row.created_at),
    modified_at: iso(row.modified_at),
    remote_created_at: iso(row.remote_created_at),
    remote_updated_at: iso(row.remote_updated_at),
    remote_deleted: row.deleted,
  };
  const info = ENTITY_INFO[entity as EntityName];
  if (info) {
    for (const key of Object.keys(info.schema.shape)) {
      if (key in out || key === 'custom_fields' || key === 'remote_data' || key === 'warnings') continue;
      const arrayField = key === 'lines' || key === 'parts';
      out[key] = fields[key] ?? (arrayField ? [] : null);
    }
    if (entity === 'purchase_orders' && !opts.expand?.includes('lines')) delete out.lines;
  } else {
    // Custom objects: the source record as it is, plus whatever their own mapping adds.
    Object.assign(out, fields);
    out.data = row.data;
  }
  out.custom_fields = custom_fields ?? {};
  if (__warnings?.length) out.warnings = __warnings;
  if (opts.includeRemoteData) out.remote_data = row.data;
  return out;
}

function matches(record: Record<string, unknown>, filters: Record<string, string>): boolean {
  for (const [field, want] of Object.entries(filters)) {
    const path = field.startsWith('custom_fields.')
      ? (record.custom_fields as any)?.[field.slice(14)]
      : record[field];
    if (path === null || path === undefined || String(path) !== want) return false;
  }
  return true;
}

export async function listUnified(ctx: AppContext, conn: ConnectionRow, entity: string, q: ListQuery) {
  const connector = connectorOf(ctx, conn);
  requireReadable(connector, entity, conn);
  const mapping = await effectiveMapping(ctx.db, connector, conn.id, entity);
  let after = Number(decodeCursor(q.cursor, 1)?.[0] ?? 0);
  const filterFields = Object.keys(q.filters);
  const data: Record<string, unknown>[] = [];
  let more = false;
  // Filters run in SQL on materialised values made with the current mapping; rows made with an older
  // mapping are remapped here and filtered in memory, so results always agree with what is shown.
  const params: unknown[] = [conn.id, entity];
  const conds: string[] = [];
  const add = (sql: string, v: unknown) => {
    params.push(v);
    conds.push(sql.replace('?', `$${params.length}`));
  };
  if (!q.include_deleted) conds.push('NOT deleted');
  if (q.modified_after) add('modified_at > ?::timestamptz', q.modified_after);
  if (q.modified_before) add('modified_at < ?::timestamptz', q.modified_before);
  if (q.created_after) add('created_at > ?::timestamptz', q.created_after);
  if (q.created_before) add('created_at < ?::timestamptz', q.created_before);
  const unifiedConds = filterFields.map((f) => {
    params.push(f.startsWith('custom_fields.') ? ['custom_fields', f.slice(14)] : [f]);
    const pathParam = `$${params.length}`;
    params.push(q.filters[f]);
    return `unified #>> ${pathParam}::text[] = $${params.length}`;
  });
  if (unifiedConds.length) {
    params.push(mapping.hash);
    conds.push(`(mapping_hash IS DISTINCT FROM $${params.length} OR (${unifiedConds.join(' AND ')}))`);
  }
  const where = conds.length ? `AND ${conds.join(' AND ')}` : '';
  const batch = Math.min(1000, q.page_size + 1);
  outer: for (;;) {
    const rows = await ctx.db.query<RecordRow>(
      `SELECT ${RECORD_COLUMNS} FROM records WHERE connection_id = $1 AND entity = $2 AND seq > ${after} ${where}
        ORDER BY seq LIMIT ${batch}`,
      params,
    );
    for (const row of rows) {
      const rec = present(row, entity, mapping, {
        includeRemoteData: q.include_remote_data,
        expand: q.expand,
      });
      if (filterFields.length && !matches(rec, q.filters)) {
        after = Number(row.seq);
        continue;
      }
      if (data.length === q.page_size) {
        more = true;
        break outer;
      }
      data.push(rec);
      after = Number(row.seq);
    }
    if (rows.length < batch) break;
  }
  if (q.expand?.length) await expandReferences(ctx.db, connector, conn.id, entity, data, q.expand);
  return { data, next_cursor: more ? encodeCursor([after]) : null };
}

async function expandReferences(
  db: Queryable,
  connector: Connector,
  connectionId: string,
  entity: string,
  data: Record<string, unknown>[],
  expand: string[],
) {
  const info = ENTITY_INFO[entity as EntityName];
  for (const name of expand) {
    const spec = info?.expands[name];
    if (!spec || 'lines' in spec) continue;
    const ids = [
      ...new Set(data.map((r) => r[spec.field]).filter((v): v is string => typeof v === 'string')),
    ];
    const rows = ids.length
      ? await db.query<RecordRow>(
          `SELECT ${RECORD_COLUMNS} FROM records WHERE id = ANY($1::text[]) AND connection_id = $2`,
          [ids, connectionId],
        )
      : [];
    const mapping = await effectiveMapping(db, connector, connectionId, spec.entity);
    const byId = new Map(rows.map((r) => [r.id, present(r, spec.entity, mapping)]));
    for (const r of data) r[name] = byId.get(r[spec.field] as string) ?? null;
  }
}

export async function getUnified(
  ctx: AppContext,
  conn: ConnectionRow,
  entity: string,
  id: string,
  opts: { live?: boolean; include_remote_data?: boolean; expand?: string[] },
) {
  const connector = connectorOf(ctx, conn);
  requireReadable(connector, entity, conn);
  const mapping = await effectiveMapping(ctx.db, connector, conn.id, entity);
  const load = async () =>
    (
      await ctx.db.query<RecordRow>(
        `SELECT ${RECORD_COLUMNS} FROM records WHERE id = $1 AND connection_id = $2 AND entity = $3`,
        [id, conn.id, entity],
      )
    )[0];
  let row = await load();
  if (!row)
    throw new ApiError(
      'NOT_FOUND',
      `No ${ENTITY_INFO[entity as EntityName]?.singular ?? entity} ${id} in this connection`,
    );
  if (opts.live && isCustom(entity))
    throw new ApiError('OPERATION_NOT_SUPPORTED', 'Custom objects are read from the synced store only');
  if (opts.live) {
    if (conn.status === 'disconnected')
      throw new ApiError('CONNECTION_DISCONNECTED', 'A disconnected connection cannot read live');
    let fresh;
    try {
      fresh = await sessionFor(ctx, conn).get(entity, row.remote_id, {
        fields: fieldsToFetch(connector, conn.settings, entity, mapping.mapping),
      });
    } catch (e) {
      throw connectorErrorToApi(e);
    }
    const record = fresh ?? { remoteId: row.remote_id, data: row.data, deleted: true };
    await ctx.db.tx(async (q) => {
      const res = await upsertPage(q, {
        connectionId: conn.id,
        entity,
        runId: null,
        records: [record],
        mapping,
      });
      await recordEvents(q, changeEvents(conn, entity, res.changes));
    });
    row = (await load())!;
  }
  const out = present(row, entity, mapping, {
    includeRemoteData: opts.include_remote_data,
    expand: opts.expand,
  });
  if (opts.expand?.length) await expandReferences(ctx.db, connector, conn.id, entity, [out], opts.expand);
  return out;
}
