// Injected failures (POST /__sandbox/faults) and request statistics (GET /__sandbox/stats):
// the two levers client tests use to exercise retries, back-off and request budgets.
import { SapError } from './errors.ts';

export type FaultType = 'rate_limit' | 'error' | 'latency' | 'revoke_credentials' | 'expire_csrf';

interface Fault {
  type: 'rate_limit' | 'error' | 'latency';
  remaining: number;
  entitySet?: string;
  status: number;
  retryAfter: number;
  ms: number;
}

export interface FaultSpec {
  type?: unknown;
  count?: unknown;
  entitySet?: unknown;
  status?: unknown;
  retry_after?: unknown;
  ms?: unknown;
}

const int = (v: unknown, dflt: number, name: string, min: number, max: number): number => {
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new SapError(400, 'SANDBOX/FAULT', `'${name}' must be an integer between ${min} and ${max}`);
  }
  return v;
};

export class Faults {
  private list: Fault[] = [];

  /** Validates and queues a fault; revoke/expire are returned for the caller to apply. */
  add(spec: FaultSpec): FaultType {
    const type = spec.type;
    if (type === 'revoke_credentials' || type === 'expire_csrf') return type;
    if (type !== 'rate_limit' && type !== 'error' && type !== 'latency') {
      throw new SapError(
        400,
        'SANDBOX/FAULT',
        "'type' must be rate_limit, error, latency, revoke_credentials or expire_csrf",
      );
    }
    if (spec.entitySet !== undefined && typeof spec.entitySet !== 'string') {
      throw new SapError(400, 'SANDBOX/FAULT', "'entitySet' must be a string");
    }
    this.list.push({
      type,
      remaining: int(spec.count, 1, 'count', 1, 1_000_000),
      entitySet: spec.entitySet as string | undefined,
      status: int(spec.status, 503, 'status', 500, 599),
      retryAfter: int(spec.retry_after, 1, 'retry_after', 0, 3600),
      ms: int(spec.ms, 100, 'ms', 0, 60_000),
    });
    return type;
  }

  clear(): void {
    this.list = [];
  }

  describe(): object[] {
    return this.list.map((f) => ({
      type: f.type,
      remaining: f.remaining,
      ...(f.entitySet ? { entitySet: f.entitySet } : {}),
      ...(f.type === 'error' ? { status: f.status } : {}),
      ...(f.type === 'rate_limit' ? { retry_after: f.retryAfter } : {}),
      ...(f.type === 'latency' ? { ms: f.ms } : {}),
    }));
  }

  /** Consumes the faults that apply to a request on `target`: total delay and the error to answer. */
  take(target: string): { delayMs: number; error?: SapError } {
    let delayMs = 0;
    let error: SapError | undefined;
    for (const f of this.list) {
      if (f.remaining <= 0 || (f.entitySet !== undefined && f.entitySet !== target)) continue;
      if (f.type === 'latency') {
        delayMs += f.ms;
        f.remaining--;
      } else if (!error) {
        f.remaining--;
        error =
          f.type === 'rate_limit'
            ? new SapError(429, 'SANDBOX/429', 'Rate limit exceeded, retry later', {
                headers: { 'retry-after': String(f.retryAfter) },
              })
            : new SapError(
                f.status,
                `SANDBOX/${f.status}`,
                f.status === 503 ? 'Service temporarily unavailable' : 'Internal server error',
              );
      }
    }
    this.list = this.list.filter((f) => f.remaining > 0);
    return { delayMs, error };
  }
}

export class Stats {
  private total = 0;
  private readonly bySet = new Map<string, Map<string, number>>();
  private readonly byMethod = new Map<string, number>();

  record(target: string, method: string): void {
    this.total++;
    let m = this.bySet.get(target);
    if (!m) this.bySet.set(target, (m = new Map()));
    m.set(method, (m.get(method) ?? 0) + 1);
    this.byMethod.set(method, (this.byMethod.get(method) ?? 0) + 1);
  }

  reset(): void {
    this.total = 0;
    this.bySet.clear();
    this.byMethod.clear();
  }

  toJSON(): object {
    const entitySets: Record<string, Record<string, number>> = {};
    for (const [set, methods] of this.bySet) {
      const row: Record<string, number> = {};
      let sum = 0;
      for (const [m, n] of methods) {
        row[m] = n;
        sum += n;
      }
      row.total = sum;
      entitySets[set] = row;
    }
    return { total: this.total, entitySets, methods: Object.fromEntries(this.byMethod) };
  }
}
