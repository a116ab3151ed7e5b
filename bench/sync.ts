// Sync benchmark: an initial sync of N work orders from the SAP sandbox into Ironbridge, on
// PostgreSQL and on PGlite, and an incremental sync of 100 changes. Sandbox and Ironbridge run as
// separate processes, so the peak RSS measured is Ironbridge's own.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKey } from '../src/core/encryption.ts';
import { freshPostgresDatabase, kill, startIronbridge } from '../test/helpers/process.ts';

export type RemoteFields = 'all' | 'mapped';

export interface SyncBenchResult {
  database: 'postgres' | 'pglite';
  remoteFields: RemoteFields;
  workOrders: number;
  initialSeconds: number;
  recordsPerSecond: number;
  peakRssMb: number;
  incrementalSeconds: number;
  incrementalChanged: number;
  /** Requests the incremental sync sent to the sandbox. */
  incrementalRequests: number;
  /** CPU µs per record each process spent during the initial sync (PGlite runs inside Ironbridge). */
  cpuPerRecord: { sandbox: number; ironbridge: number; postgres: number };
  /** When the initial sync ran (ISO), to relate it to other measurements. */
  startedAt: string;
  finishedAt: string;
}

function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+)/.exec(status)![1]) / 1024;
}

async function startSandbox(volume: number): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    [
      join(import.meta.dirname, '..', 'src', 'cli.ts'),
      'sandbox',
      'sap-s4hana',
      '--port',
      '0',
      '--volume',
      String(volume),
      '--page-size',
      '5000',
    ],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /(http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.once('exit', () => reject(new Error(`sandbox exited: ${out}`)));
  });
  return { url, child };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** CPU seconds (user + system) a process has used so far; 0 once it is gone. */
function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/** PostgreSQL server processes (postmaster, backends, WAL writer...): the largest total each reached. */
function postgresCpu(seen: Map<number, number>): number {
  for (const p of readdirSync('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    try {
      if (readFileSync(`/proc/${p}/comm`, 'utf8').startsWith('postgres'))
        seen.set(Number(p), cpuSeconds(Number(p)));
    } catch {
      // gone meanwhile
    }
  }
  let sum = 0;
  for (const v of seen.values()) sum += v;
  return sum;
}

interface CpuSample {
  at: number;
  sandbox: number;
  ironbridge: number;
  postgres: number;
}

/** Samples the CPU time of the three processes four times a second. */
function sampleCpu(sandboxPid: number, ironbridgePid: number, withPostgres: boolean) {
  const samples: CpuSample[] = [];
  const pg = new Map<number, number>();
  const take = () =>
    samples.push({
      at: Date.now(),
      sandbox: cpuSeconds(sandboxPid),
      ironbridge: cpuSeconds(ironbridgePid),
      postgres: withPostgres ? postgresCpu(pg) : 0,
    });
  take();
  const timer = setInterval(take, 250);
  return {
    stop: () => clearInterval(timer),
    /** CPU µs per record of each process between two instants. */
    perRecord(from: number, to: number, records: number) {
      const near = (t: number) => samples.reduce((a, b) => (Math.abs(b.at - t) < Math.abs(a.at - t) ? b : a));
      const [a, b] = [near(from), near(to)];
      const us = (k: 'sandbox' | 'ironbridge' | 'postgres') => Math.round(((b[k] - a[k]) / records) * 1e6);
      return { sandbox: us('sandbox'), ironbridge: us('ironbridge'), postgres: us('postgres') };
    },
  };
}

export async function benchSync(
  database: 'postgres' | 'pglite',
  volume: number,
  remoteFields: RemoteFields = 'all',
): Promise<SyncBenchResult> {
  const sandbox = await startSandbox(volume);
  const env: Record<string, string> = { IRONBRIDGE_ENCRYPTION_KEY: generateKey(), LOG_LEVEL: 'error' };
  let cleanup = async () => {};
  if (database === 'postgres') {
    const db = await freshPostgresDatabase();
    env.DATABASE_URL = db.url;
    cleanup = db.drop;
  } else {
    const dir = mkdtempSync(join(tmpdir(), 'ib-bench-'));
    env.IRONBRIDGE_DATA_DIR = dir;
    cleanup = async () => rmSync(dir, { recursive: true, force: true });
  }
  const ib = await startIronbridge('start', env);
  const cpu = sampleCpu(sandbox.child.pid!, ib.child.pid!, database === 'postgres');
  try {
    const call = async (method: string, path: string, body?: unknown, token = ib.key!) => {
      const r = await fetch(ib.url + path, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        body: body ? JSON.stringify(body) : undefined,
      });
      return (await r.json()) as any;
    };
    const conn = await call('POST', '/v1/connections', {
      system: 'sap-s4hana',
      deployment: 'cloud',
      customer_id: 'bench',
      customer_name: 'Bench',
      instance_url: sandbox.url,
      credentials: { auth_type: 'basic', username: 'sandbox', password: 'sandbox' },
      settings: {
        initial_sync_days: 3650,
        sync_interval_minutes: 10_000,
        sync_entities: ['work_orders'],
        remote_fields: remoteFields,
      },
    });
    if (!conn.id) throw new Error(JSON.stringify(conn));
    const wo = async () =>
      (await call('GET', '/v1/sync-status', undefined, conn.token)).data.find(
        (d: any) => d.entity === 'work_orders',
      );
    let st;
    for (;;) {
      st = await wo();
      if (st?.status === 'completed' || st?.status === 'failed') break;
      await sleep(500);
    }
    if (st.status !== 'completed') throw new Error(`initial sync failed: ${st.last_error}`);
    const run = st.last_run;
    const initialSeconds = (Date.parse(run.finished_at) - Date.parse(run.started_at)) / 1000;
    const peak = peakRssMb(ib.child.pid!);
    const cpuPerRecord = cpu.perRecord(
      Date.parse(run.started_at),
      Date.parse(run.finished_at),
      run.records_added,
    );

    const ticked = await (
      await fetch(`${sandbox.url}/__sandbox/tick`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ count: 100, entitySets: ['MaintenanceOrder'] }),
      })
    ).json();
    const changed = new Set(ticked.changed.map((c: any) => c.key)).size;
    await call('POST', '/v1/sync', { entities: ['work_orders'] }, conn.token);
    let inc;
    for (;;) {
      inc = await wo();
      if (inc.last_run.id !== run.id && inc.status !== 'in_progress' && inc.last_run.finished_at) break;
      await sleep(100);
    }
    const incrementalSeconds =
      (Date.parse(inc.last_run.finished_at) - Date.parse(inc.last_run.started_at)) / 1000;
    return {
      database,
      remoteFields,
      workOrders: run.records_added,
      initialSeconds,
      recordsPerSecond: Math.round(run.records_added / initialSeconds),
      peakRssMb: Math.round(peak),
      incrementalSeconds,
      incrementalChanged: changed,
      incrementalRequests: inc.last_run.requests,
      cpuPerRecord,
      startedAt: run.started_at,
      finishedAt: run.finished_at,
    };
  } finally {
    cpu.stop();
    await kill(ib);
    sandbox.child.kill('SIGTERM');
    await cleanup();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const db = (process.argv[2] ?? 'postgres') as 'postgres' | 'pglite';
  const volume = Number(process.argv[3] ?? 100_000);
  const fields = (process.argv[4] ?? 'all') as RemoteFields;
  console.log(JSON.stringify(await benchSync(db, volume, fields)));
}
