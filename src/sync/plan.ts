// What a sync job does next, from the entity's capability and its stored state.
import type { EntityCapability } from '../connectors/types.ts';

export type SyncMode = 'initial' | 'incremental' | 'full' | 'reconcile';

export interface SyncStateRow {
  connection_id: string;
  entity: string;
  status: string;
  initial_done: boolean;
  window_start: Date | null;
  high_water: Date | null;
  current_run_id: string | null;
  resume: string | null;
  last_reconciled_at: Date | null;
}

export interface SyncPlan {
  mode: SyncMode;
  since: Date | null;
  windowStart: Date | null;
  /** After the read: flag stored records that the source did not return. */
  reconcile: boolean;
}

export const OVERLAP_MS = 5 * 60_000;
export const DAY_MS = 86_400_000;

export function planSync(
  cap: EntityCapability,
  state: SyncStateRow,
  opts: { fullResync: boolean; initialSyncDays: number; reconcileEveryMs: number; now: Date },
): SyncPlan {
  const windowed = cap.kind === 'transactional';
  if (opts.fullResync || !state.initial_done) {
    const windowStart = windowed ? new Date(opts.now.getTime() - opts.initialSyncDays * DAY_MS) : null;
    // A first sync has nothing to reconcile; a forced full resync does.
    return {
      mode: 'initial',
      since: null,
      windowStart,
      reconcile: state.initial_done && cap.delete_detection !== 'none',
    };
  }
  if (!cap.incremental)
    return { mode: 'full', since: null, windowStart: null, reconcile: cap.delete_detection !== 'none' };
  const reconcileDue =
    cap.delete_detection === 'reconciliation' &&
    (!state.last_reconciled_at ||
      opts.now.getTime() - new Date(state.last_reconciled_at).getTime() >= opts.reconcileEveryMs);
  if (reconcileDue)
    return { mode: 'reconcile', since: null, windowStart: state.window_start, reconcile: true };
  const since = state.high_water
    ? new Date(new Date(state.high_water).getTime() - OVERLAP_MS)
    : state.window_start;
  return { mode: 'incremental', since, windowStart: null, reconcile: false };
}
