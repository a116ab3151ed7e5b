// Raw records of every connection: page upserts by remote id (unchanged content is not rewritten),
// deletion flags, and the materialised unified view.
import { createHash } from 'node:crypto';
import { recordId } from '../core/ids.ts';
import type { SourceRecord } from '../connectors/types.ts';
import type { Queryable } from '../store/db.ts';
import { insertValues } from '../store/values.ts';
import type { EffectiveMapping } from '../unified/mapping.ts';

export interface RecordRow {
  id: string;
  seq: number;
  connection_id: string;
  entity: string;
  remote_id: string;
  data: Record<string, unknown>;
  unified: Record<string, unknown> | null;
  mapping_hash: string | null;
  remote_created_at: Date | null;
  remote_updated_at: Date | null;
  deleted: boolean;
  created_at: Date;
  modified_at: Date;
}

export const RECORD_COLUMNS = `id, seq, connection_id, entity, remote_id, data, unified, mapping_hash, remote_created_at,
  remote_updated_at, deleted, created_at, modified_at`;

export type ChangeKind = 'created' | 'updated' | 'deleted';
export interface RecordChange {
  kind: ChangeKind;
  id: string;
  remoteId: string;
  unified: Record<string, unknown>;
}

export interface UpsertResult {
  added: number;
  updated: number;
  deleted: number;
  unchanged: number;
  changes: RecordChange[];
  maxRemoteUpdatedAt: string | null;
}

// The serialised record is hashed and then written as is: one JSON.stringify per record.
const hashOf = (r: SourceRecord, json: string) =>
  createHash('sha256')
    .update(r.deleted ? 'D' : 'L')
    .update(json)
    .digest('base64url')
    .slice(0, 27);

/** Materialised unified values: what the mapping gave, plus its warnings (read back as-is). */
export function materialise(mapping: EffectiveMapping, connectionId: string, data: Record<string, unknown>) {
  const { values, warnings } = mapping.compiled.apply(data, { connectionId });
  return warnings.length ? { ...values, __warnings: warnings } : values;
}

export async function upsertPage(
  q: Queryable,
  opts: {
    connectionId: string;
    entity: string;
    runId: string | null;
    records: SourceRecord[];
    mapping: EffectiveMapping;
  },
): Promise<UpsertResult> {
  const { connectionId, entity } = opts;
  // The last occurrence of a remote id in a page wins (sources may repeat a record across a page edge).
  const byRemote = new Map<string, SourceRecord>();
  for (const r of opts.records) byRemote.set(r.remoteId, r);
  const incoming = [...byRemote.values()];
  const result: UpsertResult = {
    added: 0,
    updated: 0,
    deleted: 0,
    unchanged: 0,
    changes: [],
    maxRemoteUpdatedAt: null,
  };
  if (incoming.length === 0) return result;
  for (const r of incoming) {
    if (r.remoteUpdatedAt && (!result.maxRemoteUpdatedAt || r.remoteUpdatedAt > result.maxRemoteUpdatedAt)) {
      result.maxRemoteUpdatedAt = r.remoteUpdatedAt;
    }
  }
  const existing = new Map<string, { content_hash: string; deleted: boolean }>();
  const rows = await q.query<{ remote_id: string; content_hash: string; deleted: boolean }>(
    'SELECT remote_id, content_hash, deleted FROM records WHERE connection_id = $1 AND entity = $2 AND remote_id = ANY($3::text[])',
    [connectionId, entity, incoming.map((r) => r.remoteId)],
  );
  for (const row of rows) existing.set(row.remote_id, row);

  const write: {
    r: SourceRecord;
    id: string;
    hash: string;
    json: string;
    unified: Record<string, unknown>;
  }[] = [];
  const seen: string[] = [];
  for (const r of incoming) {
    const json = JSON.stringify(r.data);
    const hash = hashOf(r, json);
    const id = recordId(connectionId, entity, r.remoteId);
    const old = existing.get(r.remoteId);
    if (old && old.content_hash === hash) {
      result.unchanged++;
      seen.push(id);
      continue;
    }
    const unified = materialise(opts.mapping, connectionId, r.data);
    write.push({ r, id, hash, json, unified });
    const kind: ChangeKind = r.deleted && !old?.deleted ? 'deleted' : old ? 'updated' : 'created';
    if (r.deleted && !old) {
      // First seen already deleted: stored flagged, reported as created-and-deleted would be noise.
      result.added++;
    } else if (kind === 'deleted') result.deleted++;
    else if (kind === 'updated') result.updated++;
    else result.added++;
    if (!(r.deleted && !old)) result.changes.push({ kind, id, remoteId: r.remoteId, unified });
  }

  if (write.length > 0) {
    await insertValues(q, {
      head: `INSERT INTO records AS t (id, remote_id, data, content_hash, unified, remote_created_at, remote_updated_at,
               deleted, deleted_at, connection_id, entity, mapping_hash, last_seen_run)
             SELECT u.id, u.remote_id, u.data, u.hash, u.unified, u.rc, u.ru, u.del, CASE WHEN u.del THEN now() END,
                    $1, $2, $3, $4
               FROM (`,
      tail: `) AS u(id, remote_id, data, hash, unified, rc, ru, del)
       ON CONFLICT (connection_id, entity, remote_id) DO UPDATE SET
         data = EXCLUDED.data, content_hash = EXCLUDED.content_hash, unified = EXCLUDED.unified,
         mapping_hash = EXCLUDED.mapping_hash, remote_created_at = COALESCE(EXCLUDED.remote_created_at, t.remote_created_at),
         remote_updated_at = EXCLUDED.remote_updated_at, deleted = EXCLUDED.deleted,
         deleted_at = CASE WHEN EXCLUDED.deleted THEN COALESCE(t.deleted_at, now()) END,
         last_seen_at = now(), last_seen_run = EXCLUDED.last_seen_run, modified_at = now()`,
      fixed: [connectionId, entity, opts.mapping.hash, opts.runId],
      casts: [
        '::text',
        '::text',
        '::json',
        '::text',
        '::jsonb',
        '::timestamptz',
        '::timestamptz',
        '::boolean',
      ],
      rows: write.map((w) => [
        w.id,
        w.r.remoteId,
        w.json,
        w.hash,
        JSON.stringify(w.unified),
        w.r.remoteCreatedAt ?? null,
        w.r.remoteUpdatedAt ?? null,
        Boolean(w.r.deleted),
      ]),
    });
  }
  if (seen.length > 0 && opts.runId) {
    // Reconciliation needs to know every record a full read saw, changed or not.
    await q.query('UPDATE records SET last_seen_at = now(), last_seen_run = $1 WHERE id = ANY($2::text[])', [
      opts.runId,
      seen,
    ]);
  }
  return result;
}

/** After a full read: records the source no longer returns are flagged deleted (never removed). */
export async function flagUnseenDeleted(
  q: Queryable,
  opts: { connectionId: string; entity: string; runId: string; windowStart: Date | null },
): Promise<RecordChange[]> {
  const rows = await q.query<{ id: string; remote_id: string; unified: Record<string, unknown> }>(
    `UPDATE records SET deleted = true, deleted_at = now(), modified_at = now()
      WHERE connection_id = $1 AND entity = $2 AND NOT deleted
        AND (last_seen_run IS DISTINCT FROM $3)
        AND ($4::timestamptz IS NULL OR remote_updated_at IS NULL OR remote_updated_at >= $4)
      RETURNING id, remote_id, unified`,
    [opts.connectionId, opts.entity, opts.runId, opts.windowStart],
  );
  return rows.map((r) => ({ kind: 'deleted', id: r.id, remoteId: r.remote_id, unified: r.unified ?? {} }));
}
