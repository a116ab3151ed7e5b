// PGlite admits one process per data dir. A running embedded server leaves a lock file naming its
// pid, port and a per-start admin secret, so CLI commands go through it instead of opening the files.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ServerLock {
  pid: number;
  port: number;
  adminSecret: string;
}

const file = (dataDir: string) => join(dataDir, 'server.lock');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e: any) {
    return e.code === 'EPERM';
  }
}

export function readServerLock(dataDir: string): ServerLock | null {
  if (!existsSync(file(dataDir))) return null;
  try {
    const lock = JSON.parse(readFileSync(file(dataDir), 'utf8')) as ServerLock;
    return alive(lock.pid) && lock.pid !== process.pid ? lock : null;
  } catch {
    return null;
  }
}

export function writeServerLock(dataDir: string, port: number, adminSecret: string): ServerLock {
  const lock = { pid: process.pid, port, adminSecret };
  writeFileSync(file(dataDir), JSON.stringify(lock), { mode: 0o600 });
  const cleanup = () => {
    try {
      const cur = JSON.parse(readFileSync(file(dataDir), 'utf8'));
      if (cur.pid === process.pid) rmSync(file(dataDir));
    } catch {}
  };
  process.once('exit', cleanup);
  return lock;
}
