// Versioned migrations: src/store/migrations/NNNN-name.sql, one change each, applied in order,
// each in its own transaction, recorded in ib_migrations. An advisory lock keeps concurrent
// starters (several api/worker processes on one PostgreSQL) from applying the same one twice.
import { readdirSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { Db } from './db.ts';

const DIR = join(import.meta.dirname, 'migrations');
const LOCK_KEY = 728_446_001;

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export function listMigrations(): Migration[] {
  return readdirSync(DIR)
    .filter((f) => /^\d{4}-.+\.sql$/.test(f))
    .sort()
    .map((f) => ({
      version: Number(f.slice(0, 4)),
      name: f.slice(5, -4),
      sql: readFileSync(join(DIR, f), 'utf8'),
    }));
}

/** A digest of every migration: a cached, migrated test database is reused only while it matches. */
export function migrationsDigest(): string {
  const h = createHash('sha256');
  for (const m of listMigrations()) h.update(m.name).update(m.sql);
  return h.digest('hex').slice(0, 16);
}

export async function migrate(db: Db): Promise<{ applied: string[] }> {
  const applied: string[] = [];
  await db.exec(`CREATE TABLE IF NOT EXISTS ib_migrations (
    version int PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
  await db.tx(async (q) => {
    await q.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEY]);
    const done = new Set(
      (await q.query<{ version: number }>('SELECT version FROM ib_migrations')).map((r) => r.version),
    );
    for (const m of listMigrations()) {
      if (done.has(m.version)) continue;
      for (const stmt of splitStatements(m.sql)) await q.query(stmt);
      await q.query('INSERT INTO ib_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      applied.push(`${String(m.version).padStart(4, '0')}-${m.name}`);
    }
  });
  return { applied };
}

// Statements are split on semicolons at line ends; migrations avoid function bodies with inner semicolons.
function splitStatements(sql: string): string[] {
  return sql
    .split(/;\s*(?:\n|$)/)
    .map((s) => s.replace(/^\s*--.*$/gm, '').trim())
    .filter(Boolean);
}
