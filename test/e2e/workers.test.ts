// Several worker processes on one PostgreSQL share the sync jobs; a connection-entity pair never
// runs in two places at once. (PGlite admits one process, so this runs on the PostgreSQL server.)
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKey } from '../../src/core/encryption.ts';
import { openPostgres } from '../../src/store/db.ts';
import { eventually } from '../helpers/server.ts';
import { sapSandbox } from '../helpers/sap.ts';
import { freshPostgresDatabase, kill, startIronbridge, type IbProcess } from '../helpers/process.ts';

const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => {});
});

test('two workers never run the same connection and entity at once', async () => {
  const sb = await sapSandbox({ volume: 300, pageSize: 20 });
  cleanups.push(() => sb.close());
  await sb.control('faults', 'POST', { type: 'latency', ms: 30, count: 100_000 });
  const db = await freshPostgresDatabase();
  cleanups.push(() => db.drop());
  const env = { DATABASE_URL: db.url, IRONBRIDGE_ENCRYPTION_KEY: generateKey() };
  const api: IbProcess = await startIronbridge('api', env);
  cleanups.push(() => kill(api));
  const workers = [await startIronbridge('worker', env), await startIronbridge('worker', env)];
  for (const w of workers) cleanups.push(() => kill(w));

  // The api process on an empty database created the account; make a key through the CLI path.
  const key = api.key!;
  const call = async (method: string, path: string, body?: unknown) => {
    const r = await fetch(api.url + path, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: r.status, body: (await r.json()) as any };
  };
  const conns: { id: string; token: string }[] = [];
  for (const c of ['w1', 'w2']) {
    const r = await call('POST', '/v1/connections', {
      system: 'sap-s4hana',
      deployment: 'cloud',
      customer_id: c,
      customer_name: c,
      instance_url: sb.url,
      credentials: { auth_type: 'basic', username: 'sandbox', password: 'sandbox' },
      settings: { initial_sync_days: 3650 },
    });
    assert.equal(r.status, 201);
    conns.push(r.body);
  }
  // Hammer the trigger while syncs run: duplicates must queue, never run side by side.
  for (let i = 0; i < 8; i++) {
    for (const c of conns) await call('POST', `/v1/connections/${c.id}/sync`, { full_resync: i % 2 === 0 });
    await sb.control('tick', 'POST', { count: 10 });
    await new Promise((r) => setTimeout(r, 300));
  }
  await eventually(
    async () => {
      for (const c of conns) {
        const st = (await call('GET', `/v1/connections/${c.id}/sync-status`)).body.data;
        if (!st.every((x: any) => x.status === 'completed')) return false;
      }
      return true;
    },
    90_000,
    'all syncs to settle',
  );

  const q = await openPostgres(db.url, { max: 1 });
  cleanups.push(() => q.close());
  const runs = await q.query<{
    connection_id: string;
    entity: string;
    started_at: Date;
    finished_at: Date;
    worker: string;
  }>(
    `SELECT connection_id, entity, started_at, finished_at, worker FROM sync_runs ORDER BY connection_id, entity, started_at`,
  );
  assert.ok(runs.length >= 14 * 2, `runs: ${runs.length}`);
  for (let i = 1; i < runs.length; i++) {
    const [a, b] = [runs[i - 1], runs[i]];
    if (a.connection_id !== b.connection_id || a.entity !== b.entity) continue;
    assert.ok(
      a.finished_at && new Date(b.started_at) >= new Date(a.finished_at),
      `overlap on ${b.connection_id}/${b.entity}`,
    );
  }
  // Both workers took part.
  const pids = new Set(runs.map((r) => r.worker.split(':').pop()));
  assert.deepEqual([...pids].sort(), workers.map((w) => String(w.child.pid)).sort());
});
