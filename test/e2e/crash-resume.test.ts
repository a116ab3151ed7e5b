// A worker killed with SIGKILL in the middle of a sync resumes from its last checkpoint when
// restarted, and the store ends equal to the source, with no duplicates.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKey } from '../../src/core/encryption.ts';
import { eventually } from '../helpers/server.ts';
import { sapSandbox } from '../helpers/sap.ts';
import { freshPostgresDatabase, kill, startIronbridge, type IbProcess } from '../helpers/process.ts';

const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => {});
});

test('SIGKILL mid-sync, restart: the run resumes from its checkpoint and the store equals the source', async () => {
  const sb = await sapSandbox({ volume: 2000, pageSize: 50 });
  cleanups.push(() => sb.close());
  // Slow pages so that the kill lands in the middle of the work-order sync.
  await sb.control('faults', 'POST', {
    type: 'latency',
    ms: 120,
    count: 100_000,
    entitySet: 'MaintenanceOrder',
  });

  const env: Record<string, string> = { IRONBRIDGE_ENCRYPTION_KEY: generateKey() };
  if (process.env.DATABASE_URL) {
    const db = await freshPostgresDatabase();
    cleanups.push(() => db.drop());
    env.DATABASE_URL = db.url;
  } else {
    const dir = mkdtempSync(join(tmpdir(), 'ib-crash-'));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    env.IRONBRIDGE_DATA_DIR = dir;
  }
  let ib: IbProcess = await startIronbridge('start', env);
  cleanups.push(() => kill(ib, 'SIGKILL'));
  const key = ib.key!;
  const call = async (method: string, path: string, body?: unknown, token = key) => {
    const r = await fetch(ib.url + path, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: r.status, body: (await r.json()) as any };
  };
  const created = await call('POST', '/v1/connections', {
    system: 'sap-s4hana',
    deployment: 'cloud',
    customer_id: 'crash',
    customer_name: 'Crash test',
    instance_url: sb.url,
    credentials: { auth_type: 'basic', username: 'sandbox', password: 'sandbox' },
    settings: { initial_sync_days: 3650 },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const conn = created.body;
  const wo = async () =>
    (await call('GET', `/v1/connections/${conn.id}/sync-status`)).body.data.find(
      (d: any) => d.entity === 'work_orders',
    );

  const mid = await eventually(
    async () => {
      const st = await wo();
      return st?.status === 'in_progress' && st.last_run?.pages >= 3 && st;
    },
    60_000,
    'work-order sync under way',
  );
  await kill(ib, 'SIGKILL');
  assert.ok(mid.last_run.pages < 40, 'killed before the end');

  ib = await startIronbridge('start', env);
  const done = await eventually(
    async () => {
      const st = await wo();
      return st?.status === 'completed' && st;
    },
    90_000,
    'resumed sync to complete',
  );
  assert.ok(done.last_run.attempts >= 2, `the run was resumed: ${JSON.stringify(done.last_run)}`);
  assert.equal(done.last_run.id, mid.last_run.id, 'same run, continued');
  assert.ok(done.last_run.pages >= 40 - 1);

  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const page: any = await call(
      'GET',
      `/v1/connections/${conn.id}/work-orders?page_size=1000&include_deleted=true${cursor ? `&cursor=${cursor}` : ''}`,
    );
    ids.push(...page.body.data.map((r: any) => r.remote_id));
    cursor = page.body.next_cursor;
  } while (cursor);
  const basic = 'Basic ' + Buffer.from('sandbox:sandbox').toString('base64');
  const src = await fetch(
    `${sb.url}/sap/opu/odata/sap/API_MAINTENANCEORDER/MaintenanceOrder?$format=json&$inlinecount=allpages&$top=1`,
    {
      headers: { authorization: basic },
    },
  );
  const total = Number((await src.json()).d.__count);
  assert.equal(ids.length, total);
  assert.equal(new Set(ids).size, total, 'no duplicates');
});
