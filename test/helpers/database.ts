// A fresh, migrated database per test: PGlite (default) or, with DATABASE_URL set, a new database
// on that PostgreSQL server, dropped afterwards.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { openPglite, openPostgres, type Db } from '../../src/store/db.ts';
import { migrate, migrationsDigest } from '../../src/store/migrate.ts';

export interface TestDatabase {
  db: Db;
  /** Set on PostgreSQL: the URL of this test's own database (for child processes). */
  url: string | null;
  drop(): Promise<void>;
}

export const onPostgres = () => Boolean(process.env.DATABASE_URL);

async function pgliteTemplate(): Promise<Blob> {
  const file = join(tmpdir(), `ironbridge-test-template-${migrationsDigest()}.tgz`);
  if (!existsSync(file)) {
    const db = await openPglite({});
    await migrate(db);
    const dump = await db.pglite!.dumpDataDir('gzip');
    await db.close();
    const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
    writeFileSync(tmp, Buffer.from(await dump.arrayBuffer()));
    renameSync(tmp, file);
  }
  return new Blob([readFileSync(file)]);
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const admin = process.env.DATABASE_URL;
  if (!admin) {
    const db = await openPglite({ loadDataDir: await pgliteTemplate() });
    await migrate(db);
    return { db, url: null, drop: () => db.close().catch(() => {}) };
  }
  const name = `ib_test_${randomBytes(6).toString('hex')}`;
  const adminDb = await openPostgres(admin, { max: 1 });
  await adminDb.query(`CREATE DATABASE ${name}`);
  await adminDb.close();
  const u = new URL(admin);
  u.pathname = `/${name}`;
  const db = await openPostgres(u.toString());
  await migrate(db);
  return {
    db,
    url: u.toString(),
    async drop() {
      await db.close().catch(() => {});
      const a = await openPostgres(admin, { max: 1 });
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
      await a.close();
    },
  };
}
