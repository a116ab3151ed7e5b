// Raw records of every connection: page upserts by remote id (unchanged content is not rewritten),
// deletion flags, and the materialised unified view.
import { hash } from 'node:crypto';
import { recordId } from '../core/ids.ts';
import type { SourceRecord } from '../connectors/types.ts';
import { copyChunks, parseCopyText } from '../store/copy.ts';
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

// `data` is stored as text (migration 0015) and read back parsed, as the json type was.
export const RECORD_COLUMNS = `id, seq, connection_id, entity, remote_id, data::json AS data, unified, mapping_hash, remote_created_at,
  remote_updated_at, deleted, created_at, modified_at`;

export type ChangeKind = 'created' | 'updated' | 'deleted';
export interface RecordChange {
  kind: ChangeKind;
  id: string;
  remoteId: string;
  /** The unified record as JSON: parsed only when events are written. */
  unified: string;
}

export interface UpsertResult {
  added: number;
  updated: number;
  deleted: number;
  unchanged: number;
  /** What was created, updated or deleted (none when the write was asked for counts only). */
  changes: RecordChange[];
  maxRemoteUpdatedAt: string | null;
}

const hashOf = (deleted: boolean, json: string) =>
  hash('sha256', (deleted ? 'D' : 'L') + json, 'base64url').slice(0, 27);

/** Materialised unified values: what the mapping gave, plus its warnings (read back as-is). */
export function materialise(mapping: EffectiveMapping, connectionId: string, data: Record<string, unknown>) {
  const { values, warnings } = mapping.compiled.apply(data, { connectionId });
  return warnings.length ? { ...values, __warnings: warnings } : values;
}

type Existing = { content_hash: string; deleted: boolean };

/**
 * One distinct record of a page, serialised and hashed once. Only strings and plain values, so
 * that a page prepared on a reader thread crosses to the writing thread cheaply.
 */
export interface Item {
  id: string;
  remoteId: string;
  /** The source record as stored (JSON); '' while the page holds it only as COPY text (`copy`). */
  json: string;
  hash: string;
  deleted: boolean;
  remoteCreatedAt: string | null;
  remoteUpdatedAt: string | null;
  /** The unified values as JSON, once materialised. */
  unified?: string;
  /** The parsed source record, while at hand (prepared on this thread). */
  data?: Record<string, unknown>;
  /** What the database held before this page (undefined: a new record). */
  old?: Existing;
}

/** The values both write paths store, in COPY_COLUMNS order. */
const rowValues = (it: Item) => [
  it.id,
  it.remoteId,
  it.json,
  it.hash,
  it.unified,
  it.remoteCreatedAt,
  it.remoteUpdatedAt,
  it.deleted,
];

// New records are bulk-loaded with COPY; the row is the same as the INSERT below stores.
const COPY_COLUMNS = [
  'id',
  'remote_id',
  'data',
  'content_hash',
  'unified',
  'remote_created_at',
  'remote_updated_at',
  'deleted',
  'deleted_at',
  'connection_id',
  'entity',
  'mapping_hash',
  'last_seen_run',
];

/**
 * The stored state of these records, by id (ids derive from connection, entity and remote id), and
 * the transaction's now() as text (for COPY rows).
 */
async function lookup(q: Queryable, ids: string[]) {
  const rows = await q.query<{ now: string; id: string | null; content_hash: string; deleted: boolean }>(
    `SELECT n.now, r.id, r.content_hash, r.deleted
       FROM (SELECT now()::text) AS n(now)
       LEFT JOIN records r ON r.id = ANY($1::text[])`,
    [ids],
  );
  const existing = new Map<string, Existing>();
  for (const row of rows) if (row.id !== null) existing.set(row.id, row);
  return { now: rows[0].now, existing };
}

/** What every row of a page's bulk load shares besides the record: who wrote it, with what. */
export interface CopyRun {
  connectionId: string;
  entity: string;
  mappingHash: string;
  runId: string | null;
}

/** A page's distinct records serialised and hashed, and mapped when asked: work that needs no database. */
export interface PreparedPage {
  items: Item[];
  maxRemoteUpdatedAt: string | null;
  /** Hash of the mapping the items were materialised with, when they were. */
  mappingHash: string | null;
  /**
   * The items already encoded as the COPY rows of a bulk load by `run` (prepared on the reader
   * thread, which hands the buffers over without copying). Their `json` and `unified` strings are
   * then only here: `withStrings` brings them back for the other write paths.
   */
  copy?: { run: CopyRun; chunks: Uint8Array[] };
}

const copyRow = (it: Item, run: CopyRun, deletedAt: string | null) => [
  ...rowValues(it),
  deletedAt,
  run.connectionId,
  run.entity,
  run.mappingHash,
  run.runId,
];

type WriteRun = { connectionId: string; entity: string; runId: string | null; mapping: EffectiveMapping };
const runOf = (opts: WriteRun): CopyRun => ({
  connectionId: opts.connectionId,
  entity: opts.entity,
  mappingHash: opts.mapping.hash,
  runId: opts.runId,
});

const sameRun = (a: CopyRun, b: CopyRun) =>
  a.connectionId === b.connectionId &&
  a.entity === b.entity &&
  a.mappingHash === b.mappingHash &&
  a.runId === b.runId;

/** Gives the items of a page encoded for COPY their `json` and `unified` strings back. */
export function withStrings(page: PreparedPage): PreparedPage {
  if (!page.copy) return page;
  const rows = parseCopyText(page.copy.chunks);
  const json = COPY_COLUMNS.indexOf('data');
  const unified = COPY_COLUMNS.indexOf('unified');
  page.items.forEach((it, i) => {
    it.json = rows[i][json]!;
    it.unified = rows[i][unified] ?? undefined;
  });
  page.copy = undefined;
  return page;
}

/**
 * The CPU half of a page write, which a sync runs while the previous page is being written. With a
 * mapping, every record is materialised (right for initial syncs, where every record is new).
 */
export function preparePage(
  connectionId: string,
  entity: string,
  records: SourceRecord[],
  mapping?: EffectiveMapping,
  opts: {
    keepData?: boolean;
    /** Also encode the items as COPY rows of this run's bulk load (needs the mapping). */
    copyFor?: { runId: string | null };
  } = { keepData: true },
): PreparedPage {
  // The last occurrence of a remote id in a page wins (sources may repeat a record across a page edge).
  const byRemote = new Map<string, SourceRecord>();
  for (const r of records) byRemote.set(r.remoteId, r);
  let maxRemoteUpdatedAt: string | null = null;
  // The serialised record is hashed and then written as is: one JSON.stringify per record.
  const items: Item[] = [];
  for (const r of byRemote.values()) {
    if (r.remoteUpdatedAt && (!maxRemoteUpdatedAt || r.remoteUpdatedAt > maxRemoteUpdatedAt)) {
      maxRemoteUpdatedAt = r.remoteUpdatedAt;
    }
    const json = JSON.stringify(r.data);
    const deleted = Boolean(r.deleted);
    items.push({
      id: recordId(connectionId, entity, r.remoteId),
      remoteId: r.remoteId,
      json,
      hash: hashOf(deleted, json),
      deleted,
      remoteCreatedAt: r.remoteCreatedAt ?? null,
      remoteUpdatedAt: r.remoteUpdatedAt ?? null,
      unified: mapping ? JSON.stringify(materialise(mapping, connectionId, r.data)) : undefined,
      data: opts.keepData ? r.data : undefined,
    });
  }
  const page: PreparedPage = { items, maxRemoteUpdatedAt, mappingHash: mapping?.hash ?? null };
  if (mapping && opts.copyFor) {
    const run = { connectionId, entity, mappingHash: mapping.hash, runId: opts.copyFor.runId };
    page.copy = { run, chunks: copyChunks(items.map((it) => copyRow(it, run, null))) };
    for (const it of items) {
      it.json = '';
      it.unified = undefined;
    }
  }
  return page;
}

/** Unified values of the items `needed` selects, unless the page was prepared with this very mapping. */
function materialiseMissing(
  page: PreparedPage,
  mapping: EffectiveMapping,
  connectionId: string,
  needed: (it: Item) => boolean,
) {
  const mapped = page.mappingHash === mapping.hash;
  for (const it of page.items) {
    if (needed(it) && !(mapped && it.unified !== undefined)) {
      const data = it.data ?? (JSON.parse(it.json) as Record<string, unknown>);
      it.unified = JSON.stringify(materialise(mapping, connectionId, data));
    }
  }
}

/**
 * Writes a page of records (must run inside a transaction). Records not stored yet are bulk-loaded
 * with COPY under a savepoint; changed records are upserted with INSERT ... ON CONFLICT; unchanged
 * ones are only marked seen by the run.
 */
export async function upsertPage(
  q: Queryable,
  opts: {
    connectionId: string;
    entity: string;
    runId: string | null;
    mapping: EffectiveMapping;
    /**
     * Skip the lookup and bulk-load every record as new (an initial sync). If one exists after all,
     * the COPY fails with unique_violation (23505), the transaction is lost, and the caller writes
     * the page again without this flag.
     */
    assumeNew?: boolean;
    /** Report the changes (`changes` of the result; default true). */
    changes?: boolean;
  } & ({ records: SourceRecord[] } | { prepared: PreparedPage }),
): Promise<UpsertResult> {
  const { connectionId, entity } = opts;
  const page = 'prepared' in opts ? opts.prepared : preparePage(connectionId, entity, opts.records);
  const items = page.items;
  const result: UpsertResult = {
    added: 0,
    updated: 0,
    deleted: 0,
    unchanged: 0,
    changes: [],
    maxRemoteUpdatedAt: page.maxRemoteUpdatedAt,
  };
  if (items.length === 0) return result;
  if (opts.assumeNew) return copyAll(q, opts, page, result);
  withStrings(page);
  const { now, existing } = await lookup(
    q,
    items.map((it) => it.id),
  );
  for (const it of items) it.old = existing.get(it.id);
  const unchanged = (it: Item) => it.old !== undefined && it.old.content_hash === it.hash;
  materialiseMissing(page, opts.mapping, connectionId, (it) => !unchanged(it));

  const fresh = items.filter((it) => !it.old);
  let upsert = items.filter((it) => it.old && !unchanged(it));
  if (fresh.length > 0 && !(await copyNew(q, opts, now, fresh))) {
    // Another writer stored some of these remote ids since the lookup: classify them again and
    // let INSERT ... ON CONFLICT write them.
    const again = await lookup(
      q,
      fresh.map((it) => it.id),
    );
    for (const it of fresh) it.old = again.existing.get(it.id);
    upsert = items.filter((it) => !unchanged(it));
  }
  if (upsert.length > 0) await insertOrUpdate(q, opts, upsert);

  const seen: string[] = [];
  for (const it of items) {
    const { id, old, deleted } = it;
    if (unchanged(it)) {
      result.unchanged++;
      seen.push(id);
      continue;
    }
    const kind: ChangeKind = deleted && !old?.deleted ? 'deleted' : old ? 'updated' : 'created';
    if (deleted && !old) {
      // First seen already deleted: stored flagged, reported as created-and-deleted would be noise.
      result.added++;
    } else if (kind === 'deleted') result.deleted++;
    else if (kind === 'updated') result.updated++;
    else result.added++;
    if (!(deleted && !old) && opts.changes !== false)
      result.changes.push({ kind, id, remoteId: it.remoteId, unified: it.unified! });
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

async function copyAll(
  q: Queryable,
  opts: WriteRun & { changes?: boolean },
  page: PreparedPage,
  result: UpsertResult,
): Promise<UpsertResult> {
  const run = runOf(opts);
  if (page.copy && sameRun(page.copy.run, run)) {
    await q.copyText('records', COPY_COLUMNS, page.copy.chunks);
  } else {
    withStrings(page);
    materialiseMissing(page, opts.mapping, opts.connectionId, () => true);
    await q.copyRows(
      'records',
      COPY_COLUMNS,
      page.items.map((it) => copyRow(it, run, null)),
    );
  }
  if (opts.changes !== false) withStrings(page);
  // Rare: records first seen already deleted; deleted_at is the database's now(), as on other paths.
  const deleted = page.items.filter((it) => it.deleted).map((it) => it.id);
  if (deleted.length)
    await q.query('UPDATE records SET deleted_at = now() WHERE id = ANY($1::text[])', [deleted]);
  for (const it of page.items) {
    // First seen already deleted: stored flagged, counted as added, no change reported.
    result.added++;
    if (!it.deleted && opts.changes !== false)
      result.changes.push({ kind: 'created', id: it.id, remoteId: it.remoteId, unified: it.unified! });
  }
  return result;
}

/** Whether an error is PostgreSQL's unique_violation. */
export const isUniqueViolation = (e: unknown) => (e as { code?: string } | null)?.code === '23505';

/**
 * COPY of records not stored yet, under a savepoint: false (and nothing written) when one of them
 * was stored meanwhile by a concurrent writer (a live read, a write-through).
 */
async function copyNew(q: Queryable, opts: WriteRun, now: string, items: Item[]): Promise<boolean> {
  const run = runOf(opts);
  await q.query('SAVEPOINT records_copy');
  try {
    await q.copyRows(
      'records',
      COPY_COLUMNS,
      items.map((it) => copyRow(it, run, it.deleted ? now : null)),
    );
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
    await q.query('ROLLBACK TO SAVEPOINT records_copy');
    await q.query('RELEASE SAVEPOINT records_copy');
    return false;
  }
  await q.query('RELEASE SAVEPOINT records_copy');
  return true;
}

async function insertOrUpdate(
  q: Queryable,
  opts: WriteRun,
  items: Item[],
) {
  await insertValues(q, {
    head: `INSERT INTO records AS t (id, remote_id, data, content_hash, unified, remote_created_at, remote_updated_at,
             deleted, deleted_at, connection_id, entity, mapping_hash, last_seen_run)
           SELECT u.id, u.remote_id, u.data, u.hash, u.unified, u.rc, u.ru, u.del, CASE WHEN u.del THEN now() END,
                  $1, $2, $3, $4
             FROM (`,
    tail: `) AS u(id, remote_id, data, hash, unified, rc, ru, del)
     ON CONFLICT (id) DO UPDATE SET
       data = EXCLUDED.data, content_hash = EXCLUDED.content_hash, unified = EXCLUDED.unified,
       mapping_hash = EXCLUDED.mapping_hash, remote_created_at = COALESCE(EXCLUDED.remote_created_at, t.remote_created_at),
       remote_updated_at = EXCLUDED.remote_updated_at, deleted = EXCLUDED.deleted,
       deleted_at = CASE WHEN EXCLUDED.deleted THEN COALESCE(t.deleted_at, now()) END,
       last_seen_at = now(), last_seen_run = EXCLUDED.last_seen_run, modified_at = now()`,
    fixed: [opts.connectionId, opts.entity, opts.mapping.hash, opts.runId],
    casts: ['::text', '::text', '::text', '::text', '::jsonb', '::timestamptz', '::timestamptz', '::boolean'],
    rows: items.map(rowValues),
  });
}

/** After a full read: records the source no longer returns are flagged deleted (never removed). */
export async function flagUnseenDeleted(
  q: Queryable,
  opts: { connectionId: string; entity: string; runId: string; windowStart: Date | null },
): Promise<RecordChange[]> {
  const rows = await q.query<{ id: string; remote_id: string; unified: string | null }>(
    `UPDATE records SET deleted = true, deleted_at = now(), modified_at = now()
      WHERE connection_id = $1 AND entity = $2 AND NOT deleted
        AND (last_seen_run IS DISTINCT FROM $3)
        AND ($4::timestamptz IS NULL OR remote_updated_at IS NULL OR remote_updated_at >= $4)
      RETURNING id, remote_id, unified::text AS unified`,
    [opts.connectionId, opts.entity, opts.runId, opts.windowStart],
  );
  return rows.map((r) => ({ kind: 'deleted', id: r.id, remoteId: r.remote_id, unified: r.unified ?? '{}' }));
}
