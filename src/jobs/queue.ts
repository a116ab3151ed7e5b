// The job queue: pg-boss 12 on the same database as everything else (PGlite through its adapter,
// or the PostgreSQL server). One sync job per connection and entity at a time ("stately" policy with
// the pair as singleton key), at most N per connection at once (group concurrency).
import { PgBoss, fromPglite } from 'pg-boss';
import type { Db } from '../store/db.ts';

export const SYNC_QUEUE = 'ib-sync';

export interface SyncJobData {
  connectionId: string;
  entity: string;
}

export class JobQueue {
  readonly boss: PgBoss;
  #started = false;

  constructor(db: Db, databaseUrl: string | null) {
    // A short supervise interval finds jobs of killed workers (missed heartbeats) within seconds.
    const common = {
      schema: 'pgboss',
      schedule: false,
      superviseIntervalSeconds: 5,
      monitorIntervalSeconds: 5,
    };
    this.boss = db.pglite
      ? new PgBoss({ ...common, db: fromPglite(db.pglite as any), backend: 'pglite' } as any)
      : new PgBoss({ ...common, connectionString: databaseUrl!, max: 4 } as any);
    this.boss.on('error', () => {}); // surfaced through job failures; an idle error must not kill the process
  }

  async start(opts: { supervise: boolean }): Promise<void> {
    if (this.#started) return;
    await this.boss.start();
    await this.boss
      .createQueue(SYNC_QUEUE, {
        policy: 'stately',
        // A worker killed mid-job stops heartbeating; the job is then retried and resumes from its checkpoint.
        heartbeatSeconds: 10,
        expireInSeconds: 6 * 3600,
        retryLimit: 5,
        retryDelay: 2,
        retryBackoff: true,
      } as any)
      .catch((e: Error) => {
        if (!/already exists/i.test(e.message)) throw e;
      });
    this.#started = true;
    void opts;
  }

  /** Queues a sync unless one is already queued for the pair; returns whether a job was added. */
  async enqueueSync(data: SyncJobData): Promise<boolean> {
    const id = await this.boss.send(SYNC_QUEUE, data, {
      singletonKey: `${data.connectionId}:${data.entity}`,
      group: { id: data.connectionId },
    } as any);
    return id !== null;
  }

  async stop(): Promise<void> {
    if (!this.#started) return;
    this.#started = false;
    await this.boss.stop({ graceful: true, timeout: 5000 } as any).catch(() => {});
  }
}
