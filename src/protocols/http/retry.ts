// Retry policy: exponential backoff with full jitter, and the server's own Retry-After when it sends one.
import { setTimeout as delay } from 'node:timers/promises';

export interface RetryPolicy {
  /** Retries after the first attempt (0 disables retries). */
  maxRetries: number;
  /** Backoff of the first retry; doubles per retry (before jitter). */
  baseDelayMs: number;
  /** Ceiling of the exponential backoff. */
  maxDelayMs: number;
  /** A Retry-After longer than this is not waited for: the call fails with `retryAfterSeconds` set. */
  maxRetryAfterMs: number;
  /** Statuses worth another attempt. */
  statuses: number[];
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxRetries: 4,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 120_000,
  statuses: [429, 502, 503, 504],
};

/**
 * Full jitter (a uniform pick in [0, cap]) spreads clients that failed together, so they do not
 * come back together and trip the same limit again.
 */
export function backoffDelay(retry: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const exp = policy.baseDelayMs * 2 ** Math.max(0, retry - 1);
  return Math.floor(random() * Math.min(policy.maxDelayMs, exp));
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | null {
  if (value == null) return null;
  const text = value.trim();
  if (text === '') return null;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const at = Date.parse(text);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - now);
}

export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0) {
    signal?.throwIfAborted();
    return;
  }
  await delay(ms, undefined, { signal });
}
