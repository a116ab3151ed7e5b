// What every part of a running Ironbridge shares. Built once by src/runtime.ts.
import type { Config } from './core/config.ts';
import type { Keyring } from './core/encryption.ts';
import type { Registry } from './connectors/registry.ts';
import type { Db } from './store/db.ts';
import type { JobQueue } from './jobs/queue.ts';

export interface Logger {
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
  error(obj: object | string, msg?: string): void;
}

export interface AppContext {
  config: Config;
  db: Db;
  keyring: Keyring;
  registry: Registry;
  log: Logger;
  /** Present once the process started its queue (API to enqueue, worker to process). */
  jobs?: JobQueue;
}
