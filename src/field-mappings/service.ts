// Per-connection field mappings: view (default or override), override, reset, preview. Overrides are
// rows in field_mappings; the unified view picks them up on the very next request (src/unified/mapping.ts).
import { z } from 'zod';
import { ApiError } from '../core/errors.ts';
import type { EntityName } from '../connectors/types.ts';
import { connectorOf, sessionFor } from '../connections/sessions.ts';
import type { ConnectionRow } from '../connections/store.ts';
import type { AppContext } from '../context.ts';
import { recordEvent } from '../events/index.ts';
import { isEachMapping, validateMapping, type EntityMapping } from '../mappings/index.ts';
import { ENTITY_INFO } from '../model/index.ts';
import { RECORD_COLUMNS, type RecordRow } from '../records/store.ts';
import {
  defaultMapping,
  effectiveFrom,
  effectiveMapping,
  loadOverrides,
  type EffectiveMapping,
} from '../unified/mapping.ts';
import { fieldsToFetch, missingFields, remoteFieldsSetting } from '../unified/remote-fields.ts';
import { requestResync } from '../sync/service.ts';
import { present, requireReadable } from '../unified/read.ts';
import { fitsField } from './type-check.ts';

type Override = string | { each: string; fields: Record<string, string> } | null;

const COMMON = new Set([
  'id',
  'remote_id',
  'created_at',
  'modified_at',
  'remote_created_at',
  'remote_updated_at',
  'remote_deleted',
  'custom_fields',
  'remote_data',
  'warnings',
]);

function schemaFields(entity: string): Record<string, z.ZodType> | null {
  const info = ENTITY_INFO[entity as EntityName];
  return info ? (info.schema.shape as Record<string, z.ZodType>) : null;
}

function childSchema(field: z.ZodType): Record<string, z.ZodType> | null {
  let cur: any = field;
  while (cur instanceof z.ZodNullable || cur instanceof z.ZodOptional) cur = cur.unwrap();
  if (cur instanceof z.ZodArray && cur.element instanceof z.ZodObject)
    return cur.element.shape as Record<string, z.ZodType>;
  return null;
}

/** 400s naming the field: unknown unified fields, syntax errors with their position, types that cannot fit. */
export function checkOverrides(
  ctx: AppContext,
  conn: ConnectionRow,
  entity: string,
  overrides: Record<string, Override>,
) {
  const connector = connectorOf(ctx, conn);
  requireReadable(connector, entity, conn);
  const shape = schemaFields(entity);
  const problems: { field: string; position?: number; message: string }[] = [];
  for (const [field, value] of Object.entries(overrides)) {
    if (field.startsWith('custom_fields.')) continue;
    const [head, child] = field.split('.', 2);
    if (COMMON.has(head)) {
      problems.push({ field, message: `${head} is set by Ironbridge and cannot be mapped` });
      continue;
    }
    if (!shape) continue; // custom objects have no fixed schema
    const target = shape[head];
    if (!target) {
      problems.push({
        field,
        message: `${entity} has no field ${head}; map it as custom_fields.${head} instead`,
      });
      continue;
    }
    if (child !== undefined) {
      const sub = childSchema(target);
      if (!sub?.[child]) {
        problems.push({ field, message: `${head} has no field ${child}` });
        continue;
      }
      if (typeof value === 'string') {
        const bad = safeFits(value, sub[child]);
        if (bad) problems.push({ field, message: bad });
      }
      continue;
    }
    if (value === null) continue;
    if (typeof value === 'string') {
      const bad = safeFits(value, target);
      if (bad) problems.push({ field, message: bad });
    } else if (isEachMapping(value)) {
      const sub = childSchema(target);
      if (!sub) problems.push({ field, message: `${head} is not a list; map it with an expression` });
      else {
        for (const [k, expr] of Object.entries(value.fields ?? {})) {
          if (!sub[k]) problems.push({ field: `${field}.${k}`, message: `${head} has no field ${k}` });
          else if (typeof expr === 'string') {
            const bad = safeFits(expr, sub[k]);
            if (bad) problems.push({ field: `${field}.${k}`, message: bad });
          }
        }
      }
    }
  }
  // Syntax, unknown functions and arity, with positions.
  const asMapping: EntityMapping = {
    fields: Object.fromEntries(
      Object.entries(overrides).filter(([, v]) => v !== null),
    ) as EntityMapping['fields'],
  };
  for (const p of validateMapping(asMapping, { functions: connector.mappingFunctions as any })) {
    if (!problems.some((x) => x.field === p.field)) problems.push(p);
  }
  if (problems.length) {
    const first = problems[0];
    throw new ApiError(
      'VALIDATION_FAILED',
      `Invalid mapping for ${first.field}${first.position !== undefined ? ` at position ${first.position}` : ''}: ${first.message}`,
      { details: problems },
    );
  }
}

function safeFits(expr: string, field: z.ZodType): string | null {
  try {
    return fitsField(expr, field);
  } catch {
    return null; // syntax errors are reported by validateMapping, with their position
  }
}

export async function describeMappings(ctx: AppContext, conn: ConnectionRow, entity: string) {
  const connector = connectorOf(ctx, conn);
  requireReadable(connector, entity, conn);
  const overrides = await loadOverrides(ctx.db, conn.id, entity);
  const base = defaultMapping(connector, entity);
  const effective = effectiveFrom(connector, entity, overrides);
  const fields = Object.entries(effective.mapping.fields).map(([field, expr]) => ({
    field,
    expression: expr,
    source:
      field in overrides || Object.keys(overrides).some((o) => o.startsWith(field + '.'))
        ? ('override' as const)
        : ('default' as const),
    default_expression: base.fields[field] ?? null,
  }));
  return {
    entity,
    mapping_version: effective.hash,
    fields,
    source_fields: await sourceFields(ctx, conn, entity),
    remote_fields: {
      setting: remoteFieldsSetting(conn.settings, entity),
      fetched: fieldsToFetch(connector, conn.settings, entity, effective.mapping) ?? null,
    },
  };
}

/** With remote_fields "mapped": a changed mapping that reads unfetched source fields gets them re-read. */
async function resyncForNewFields(
  ctx: AppContext,
  conn: ConnectionRow,
  entity: string,
  before: EffectiveMapping,
): Promise<{ fields: string[]; status: 'queued' | 'already_queued' } | null> {
  const connector = connectorOf(ctx, conn);
  const after = await effectiveMapping(ctx.db, connector, conn.id, entity);
  const missing = missingFields(
    fieldsToFetch(connector, conn.settings, entity, before.mapping),
    fieldsToFetch(connector, conn.settings, entity, after.mapping),
  );
  if (missing.length === 0 || conn.status === 'disconnected') return null;
  const status = await requestResync(ctx, conn.id, entity);
  return status ? { fields: missing, status } : null;
}

/**
 * Source fields to map: from the system's own metadata where it publishes one (types, labels), plus
 * what stored records show (JSON type, an example), nested one level into objects.
 */
async function sourceFields(ctx: AppContext, conn: ConnectionRow, entity: string) {
  const rows = await ctx.db.query<{ data: Record<string, unknown> }>(
    'SELECT data::json AS data FROM records WHERE connection_id = $1 AND entity = $2 ORDER BY seq DESC LIMIT 50',
    [conn.id, entity],
  );
  const seen = new Map<
    string,
    { path: string; type: string; example?: unknown; label?: string; from: string }
  >();
  if (conn.status !== 'disconnected') {
    const meta = await sessionFor(ctx, conn)
      .sourceFields?.(entity)
      .catch(() => null); // metadata is a nicety: an unreachable source still lists what is stored
    for (const f of meta ?? []) seen.set(f.path, { ...f, from: 'metadata' });
  }
  const visit = (obj: Record<string, unknown>, prefix: string, depth: number) => {
    for (const [k, v] of Object.entries(obj)) {
      const path = prefix + k;
      const type = v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
      const prev = seen.get(path);
      const example = type === 'object' || type === 'array' ? undefined : v;
      if (prev?.from === 'metadata') {
        if (prev.example === undefined && example !== undefined && example !== null && example !== '')
          prev.example = example;
      } else if (!prev || (prev.type === 'null' && type !== 'null'))
        seen.set(path, { path, type, example, from: 'records' });
      if (type === 'object' && depth < 1) visit(v as Record<string, unknown>, path + '.', depth + 1);
    }
  };
  for (const r of rows) visit(r.data, '', 0);
  return [...seen.values()].sort((a, b) => a.path.localeCompare(b.path));
}

export async function putOverrides(
  ctx: AppContext,
  conn: ConnectionRow,
  entity: string,
  overrides: Record<string, Override>,
) {
  checkOverrides(ctx, conn, entity, overrides);
  const before = await effectiveMapping(ctx.db, connectorOf(ctx, conn), conn.id, entity);
  await ctx.db.tx(async (q) => {
    for (const [field, value] of Object.entries(overrides)) {
      await q.query(
        `INSERT INTO field_mappings (connection_id, entity, field, mapping) VALUES ($1, $2, $3, $4::jsonb)
         ON CONFLICT (connection_id, entity, field) DO UPDATE SET mapping = EXCLUDED.mapping, updated_at = now()`,
        [conn.id, entity, field, JSON.stringify(value)],
      );
    }
    await recordEvent(q, {
      environmentId: conn.environment_id,
      connectionId: conn.id,
      type: 'field_mapping.updated',
      data: { connection_id: conn.id, entity, fields: overrides },
    });
  });
  const resync = await resyncForNewFields(ctx, conn, entity, before);
  return { ...(await describeMappings(ctx, conn, entity)), resync };
}

export async function resetOverride(ctx: AppContext, conn: ConnectionRow, entity: string, field: string) {
  const before = await effectiveMapping(ctx.db, connectorOf(ctx, conn), conn.id, entity);
  await ctx.db.tx(async (q) => {
    const gone = await q.query(
      `DELETE FROM field_mappings WHERE connection_id = $1 AND entity = $2 AND (field = $3 OR field LIKE $3 || '.%') RETURNING field`,
      [conn.id, entity, field],
    );
    if (gone.length === 0) throw new ApiError('NOT_FOUND', `${field} of ${entity} has no override`);
    await recordEvent(q, {
      environmentId: conn.environment_id,
      connectionId: conn.id,
      type: 'field_mapping.updated',
      data: { connection_id: conn.id, entity, reset: field },
    });
  });
  const resync = await resyncForNewFields(ctx, conn, entity, before);
  return { ...(await describeMappings(ctx, conn, entity)), resync };
}

export async function previewOverrides(
  ctx: AppContext,
  conn: ConnectionRow,
  entity: string,
  draft: Record<string, Override>,
  opts: { limit: number; record_ids?: string[] },
) {
  checkOverrides(ctx, conn, entity, draft);
  const connector = connectorOf(ctx, conn);
  const current = await loadOverrides(ctx.db, conn.id, entity);
  const now = effectiveFrom(connector, entity, current);
  const next = effectiveFrom(connector, entity, { ...current, ...draft });
  const rows = await ctx.db.query<RecordRow>(
    `SELECT ${RECORD_COLUMNS} FROM records WHERE connection_id = $1 AND entity = $2
        AND ($3::text[] IS NULL OR id = ANY($3::text[])) ORDER BY seq DESC LIMIT $4`,
    [conn.id, entity, opts.record_ids ?? null, opts.limit],
  );
  return {
    data: rows.map((row) => {
      // Preview must not reuse materialised values: both sides are computed from the raw record.
      const fresh = { ...row, mapping_hash: null };
      const before = present(fresh, entity, now, { expand: ['lines'] });
      const after = present(fresh, entity, next, { expand: ['lines'] });
      const changed = Object.keys(after).filter(
        (k) => JSON.stringify(after[k]) !== JSON.stringify(before[k]),
      );
      return {
        id: row.id,
        remote_id: row.remote_id,
        before,
        after,
        changed_fields: changed,
        warnings: after.warnings ?? [],
      };
    }),
  };
}
