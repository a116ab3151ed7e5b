// Ironbridge as separate processes (`ironbridge start|api|worker`), for tests that kill workers or
// run several of them on one PostgreSQL.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { openPostgres } from '../../src/store/db.ts';

const CLI = join(import.meta.dirname, '..', '..', 'src', 'cli.ts');
export const ADMIN_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface IbProcess {
  child: ChildProcess;
  url: string | null;
  key: string | null;
  output(): string;
  exited: Promise<number | null>;
}

export async function startIronbridge(
  role: 'start' | 'api' | 'worker',
  env: Record<string, string>,
): Promise<IbProcess> {
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    IRONBRIDGE_ALLOW_PRIVATE_URLS: 'true',
    LOG_LEVEL: 'warn',
    ...env,
  };
  if (!env.DATABASE_URL) delete childEnv.DATABASE_URL;
  const child = spawn(process.execPath, [CLI, role], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const ready = role === 'worker' ? /worker running/ : /(?:API and worker|API) at (http:\/\/\S+)/;
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`ironbridge ${role} did not start:\n${out}`)), 60_000);
    const check = () => {
      if (ready.test(out)) {
        clearTimeout(t);
        resolve();
      }
    };
    child.stdout!.on('data', check);
    void exited.then(() => reject(new Error(`ironbridge ${role} exited:\n${out}`)));
  });
  return {
    child,
    url: ready.exec(out)?.[1] ?? null,
    key: /^\s+(ib_sk_test_\S+)$/m.exec(out)?.[1] ?? null,
    output: () => out,
    exited,
  };
}

export async function kill(p: IbProcess, signal: NodeJS.Signals = 'SIGTERM') {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return;
  p.child.kill(signal);
  await p.exited;
}

/** A fresh database on the PostgreSQL server, dropped by the returned function. */
export async function freshPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `ib_proc_${randomBytes(6).toString('hex')}`;
  const admin = await openPostgres(ADMIN_URL, { max: 1 });
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.close();
  const u = new URL(ADMIN_URL);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    async drop() {
      const a = await openPostgres(ADMIN_URL, { max: 1 });
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
      await a.close();
    },
  };
}
