// One small interface over the two PostgreSQL engines we run on: PGlite (embedded, WASM) and a
// PostgreSQL server through `pg`. SQL is plain PostgreSQL; nothing above this file knows which.
import { mkdirSync } from 'node:fs';
import type { PGlite } from '@electric-sql/pglite';
import type { Pool, PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { copyChunks, copySql, type CopyValue } from './copy.ts';

export interface Queryable {
  query<T = Record<string, any>>(sql: string, params?: unknown[]): Promise<T[]>;
  /**
   * Bulk-loads rows with `COPY table (columns) FROM STDIN` (text format) and returns how many rows
   * were written. Much cheaper for the server than a large multi-row INSERT; no ON CONFLICT, so a
   * duplicate key fails the whole COPY (inside a transaction: run it under a SAVEPOINT to recover).
   * Each row has one value per column; columns left out get their defaults.
   */
  copyRows(
    table: string,
    columns: readonly string[],
    rows: readonly (readonly CopyValue[])[],
  ): Promise<number>;
  /** The same, for rows already encoded as COPY text (copyChunks), e.g. on another thread. */
  copyText(table: string, columns: readonly string[], chunks: readonly Uint8Array[]): Promise<number>;
}

export interface Db extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /**
   * Runs `fn` in a transaction. `asyncCommit`: the commit does not wait for the WAL flush (a
   * database crash may undo the last such transactions, whole); for work that is redone after a loss.
   */
  tx<T>(fn: (q: Queryable) => Promise<T>, opts?: { asyncCommit?: boolean }): Promise<T>;
  /** Runs several statements separated by semicolons (migrations). */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
  /** The engine handle, for the job queue adapter. */
  readonly pglite?: PGlite;
  readonly pool?: Pool;
}

export async function openPglite(opts: { dataDir?: string; loadDataDir?: Blob }): Promise<Db> {
  const { PGlite } = await import('@electric-sql/pglite');
  if (opts.dataDir) mkdirSync(opts.dataDir, { recursive: true });
  const pg = await PGlite.create({
    dataDir: opts.dataDir,
    loadDataDir: opts.loadDataDir,
    // In memory (no data directory), the posix_fallocate with which PostgreSQL extends a table
    // resizes the file's array in Emscripten's MEMFS to the exact size, copying the whole file: bulk
    // loads (COPY extends tables by up to 64 pages at a time) would take time quadratic in the table
    // size. Written zeros grow the array geometrically instead.
    startParams: opts.dataDir
      ? undefined
      : [...PGlite.defaultStartParams, '-c', 'file_extend_method=write_zeros'],
  });
  const wrap = (q: { query: PGlite['query'] }): Queryable => {
    const copyText = async (table: string, columns: readonly string[], chunks: readonly Uint8Array[]) => {
      if (chunks.length === 0) return 0;
      // PGlite reads COPY data from the virtual file /dev/blob, filled from the query's `blob` option.
      const r = await q.query(copySql(table, columns, `'/dev/blob'`), [], {
        blob: new Blob(chunks as Uint8Array<ArrayBuffer>[]),
      });
      return r.affectedRows ?? 0;
    };
    return {
      async query<T>(sql: string, params?: unknown[]) {
        const r = await q.query<T>(sql, params as any[]);
        return r.rows;
      },
      copyRows: async (table, columns, rows) =>
        rows.length === 0 ? 0 : copyText(table, columns, copyChunks(rows)),
      copyText,
    };
  };
  const base = wrap(pg);
  return {
    kind: 'pglite',
    pglite: pg,
    query: base.query,
    copyRows: base.copyRows,
    copyText: base.copyText,
    tx: (fn, o) =>
      pg.transaction(async (t) => {
        if (o?.asyncCommit) await t.query('SET LOCAL synchronous_commit = off');
        return fn(wrap(t));
      }),
    exec: async (sql) => {
      await pg.exec(sql);
    },
    close: () => pg.close(),
  };
}

/**
 * COPY ... FROM STDIN on one connection, the data sent as one CopyData message per chunk. The next
 * chunk is written only after the previous one was flushed and only while no error came back:
 * pg-copy-streams must not be handed data after the server has failed the COPY.
 */
function copyFromStdin(client: PoolClient, sql: string, chunks: readonly Uint8Array[]): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const stream = client.query(copyFrom(sql));
    let failed = false;
    stream.on('error', (e) => {
      failed = true;
      reject(e);
    });
    stream.on('finish', () => resolve(stream.rowCount));
    let i = 0;
    const next = (err?: Error | null) => {
      if (failed) return;
      if (err) {
        failed = true;
        reject(err);
      } else if (i < chunks.length) stream.write(chunks[i++], next);
      else stream.end();
    };
    next();
  });
}

export async function openPostgres(url: string, opts: { max?: number } = {}): Promise<Db> {
  const pgmod = await import('pg');
  const pg = (pgmod as any).default ?? pgmod;
  // Return bigint and numeric as JS numbers/strings consistently with PGlite.
  pg.types.setTypeParser(20, (v: string) => Number(v));
  const pool: Pool = new pg.Pool({ connectionString: url, max: opts.max ?? 10 });
  pool.on('error', () => {}); // an idle client's error must not crash the process; queries report their own
  const copyText = async (
    c: Pool | PoolClient,
    table: string,
    columns: readonly string[],
    chunks: readonly Uint8Array[],
  ) => {
    if (chunks.length === 0) return 0;
    const sql = copySql(table, columns, 'STDIN');
    if (c !== pool) return copyFromStdin(c as PoolClient, sql, chunks);
    const client = await pool.connect();
    try {
      return await copyFromStdin(client, sql, chunks);
    } finally {
      client.release();
    }
  };
  const wrap = (c: Pool | PoolClient): Queryable => ({
    async query<T>(sql: string, params?: unknown[]) {
      const r = await c.query(sql, params as any[]);
      return r.rows as T[];
    },
    copyRows: (table, columns, rows) =>
      rows.length === 0 ? Promise.resolve(0) : copyText(c, table, columns, copyChunks(rows)),
    copyText: (table, columns, chunks) => copyText(c, table, columns, chunks),
  });
  const base = wrap(pool);
  return {
    kind: 'postgres',
    pool,
    query: base.query,
    copyRows: base.copyRows,
    copyText: base.copyText,
    async tx(fn, o) {
      const client = await pool.connect();
      try {
        // One round trip: a simple query may hold several statements.
        await client.query(o?.asyncCommit ? 'BEGIN; SET LOCAL synchronous_commit = off' : 'BEGIN');
        const out = await fn(wrap(client));
        await client.query('COMMIT');
        return out;
      } catch (e) {
        await client.query('ROLLBACK').catch(() => {});
        throw e;
      } finally {
        client.release();
      }
    },
    exec: async (sql) => {
      await pool.query(sql);
    },
    close: () => pool.end(),
  };
}
