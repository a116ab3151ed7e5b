// Runs the real trytond (Debian package) on a throwaway SQLite database for tests and trials.
// Building a prepared database takes ~20 s (module activation + set-up), so it is built once per
// machine and seed version, cached in the OS temp dir, and copied for each server started.
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as delay } from 'node:timers/promises';
import { trytonLogin } from './raw-rpc.ts';
import { seedTryton } from './seed.ts';

/** Bump when seed.ts changes what the prepared database holds. */
const SEED_VERSION = '4';
const DATABASE = 'ironbridge';
const USER = 'admin';
const PASSWORD = 'tryton-sandbox-admin';
const MODULES = ['purchase', 'stock', 'account_asset', 'purchase_request', 'account_invoice'];
const INSTALL_SCRIPT = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../../../../scripts/install-tryton.sh',
);

export interface TrytonSandbox {
  /** Base URL of the server; JSON-RPC calls go to `<url>/<database>/`. */
  url: string;
  database: string;
  user: string;
  password: string;
  /** Working directory of this server (database copy, config, log). */
  dir: string;
  close(): Promise<void>;
}

export interface StartTrytonOptions {
  /** Loopback port; a free one when omitted. */
  port?: number;
  /** Build a new database instead of copying the cached one. */
  fresh?: boolean;
}

function trytondVersion(): string | null {
  const r = spawnSync('trytond', ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim().replace(/^trytond\s+/, '') : null;
}

function ensureInstalled(): string {
  let version = trytondVersion();
  if (version) return version;
  // Tests must be able to run on a fresh machine: install the Debian packages once.
  const r = spawnSync('bash', [INSTALL_SCRIPT], { stdio: 'inherit' });
  version = trytondVersion();
  if (r.status !== 0 || !version) throw new Error(`trytond is not installed and ${INSTALL_SCRIPT} failed`);
  return version;
}

async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => res(port));
    });
  });
}

async function writeConfig(dir: string, port: number): Promise<string> {
  const conf = join(dir, 'trytond.conf');
  // No [queue] section: without a worker Tryton processes a confirmed purchase right away.
  await writeFile(
    conf,
    [
      '[database]',
      'uri = sqlite://',
      `path = ${dir}`,
      '[web]',
      `listen = 127.0.0.1:${port}`,
      '[session]',
      'max_attempt = 50',
      '',
    ].join('\n'),
  );
  return conf;
}

// trytond runs under a small shell that holds our end of a pipe: when this process ends in any way
// (even SIGKILL, which runs no handler) the pipe closes and the shell stops trytond, so no server
// outlives its test run. The shell exits when trytond does.
const WATCHDOG = [
  'exec 3<&0',
  'trytond -c "$0" </dev/null &',
  'pid=$!',
  '( read _ <&3; kill $pid 2>/dev/null ) &',
  'wait $pid',
].join('\n');

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((res) => child.once('exit', () => res()));
  child.stdin?.end();
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

async function tail(file: string): Promise<string> {
  try {
    return (await readFile(file, 'utf8')).split('\n').slice(-30).join('\n');
  } catch {
    return '';
  }
}

async function launch(dir: string, port: number): Promise<{ child: ChildProcess; url: string }> {
  const conf = await writeConfig(dir, port);
  const log = join(dir, 'trytond.log');
  const fd = openSync(log, 'a');
  // SQLite timestamps are the server's local time: pin it to UTC, as the connector reads them.
  const child = spawn('sh', ['-c', WATCHDOG, conf], {
    stdio: ['pipe', fd, fd],
    env: { ...process.env, TZ: 'UTC' },
  });
  closeSync(fd);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    try {
      const res = await fetch(`${url}/`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ id: 0, method: 'common.server.version', params: [] }),
      });
      if (res.ok) return { child, url };
    } catch {
      // not listening yet
    }
    await delay(150);
  }
  await stopChild(child);
  throw new Error(`trytond did not start on port ${port}:\n${await tail(log)}`);
}

async function buildDatabase(target: string): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'ironbridge-tryton-build-'));
  try {
    const db = join(dir, `${DATABASE}.sqlite`);
    await writeFile(db, '');
    const passFile = join(dir, 'password');
    await writeFile(passFile, PASSWORD);
    const conf = await writeConfig(dir, 0);
    const admin = spawnSync(
      'trytond-admin',
      [
        '-c',
        conf,
        '-d',
        DATABASE,
        '--email',
        'admin@ironbridge.example',
        '-u',
        ...MODULES,
        '--activate-dependencies',
      ],
      { encoding: 'utf8', env: { ...process.env, TRYTONPASSFILE: passFile, TZ: 'UTC' } },
    );
    if (admin.status !== 0) throw new Error(`trytond-admin failed:\n${admin.stderr.slice(-3000)}`);
    const { child, url } = await launch(dir, await freePort());
    try {
      await seedTryton(await trytonLogin(url, DATABASE, USER, PASSWORD));
    } finally {
      await stopChild(child);
    }
    await copyFile(db, `${target}.partial`);
    await rename(`${target}.partial`, target);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function exists(p: string): Promise<boolean> {
  return stat(p).then(
    () => true,
    () => false,
  );
}

/** The prepared database file, built under a lock so parallel test files build it only once. */
async function preparedDatabase(version: string): Promise<string> {
  const key = `${SEED_VERSION}-${version}-${new Date().getUTCFullYear()}`.replace(/[^A-Za-z0-9.-]/g, '_');
  const cacheDir = join(tmpdir(), 'ironbridge-tryton-cache');
  const file = join(cacheDir, `${DATABASE}-${key}.sqlite`);
  if (await exists(file)) return file;
  await mkdir(cacheDir, { recursive: true });
  const lock = `${file}.lock`;
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      await mkdir(lock);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      if (await exists(file)) return file;
      // A builder that died leaves its lock behind; a build never takes this long.
      const age =
        Date.now() -
        (await stat(lock).then(
          (s) => s.mtimeMs,
          () => Date.now(),
        ));
      if (age > 120_000) await rm(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lock}`);
      await delay(250);
    }
  }
  try {
    if (!(await exists(file))) await buildDatabase(file);
    return file;
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}

/** Starts trytond on a copy of the prepared database; `close()` stops it and removes its files. */
export async function startTryton(opts: StartTrytonOptions = {}): Promise<TrytonSandbox> {
  const version = ensureInstalled();
  const dir = await mkdtemp(join(tmpdir(), 'ironbridge-tryton-'));
  try {
    const db = join(dir, `${DATABASE}.sqlite`);
    if (opts.fresh) await buildDatabase(db);
    else await copyFile(await preparedDatabase(version), db);
    let started: { child: ChildProcess; url: string } | null = null;
    for (let attempt = 0; !started; attempt++) {
      try {
        started = await launch(dir, opts.port ?? (await freePort()));
      } catch (e) {
        // Another process may take the free port between probe and bind; a fixed port fails at once.
        if (opts.port || attempt >= 2) throw e;
      }
    }
    const { child, url } = started;
    let closed = false;
    return {
      url,
      database: DATABASE,
      user: USER,
      password: PASSWORD,
      dir,
      async close() {
        if (closed) return;
        closed = true;
        await stopChild(child);
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
}
