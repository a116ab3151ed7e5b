// The reader thread, seen from the thread that writes: one thread per process, started on first
// use, reads pages for every sync of the process at once. Each read may run at most AHEAD prepared
// pages ahead of the writer, so memory stays bounded whatever the volume.
import { Worker } from 'node:worker_threads';
import { ConnectorError, type ConnectorErrorKind, type RemoteErrorInfo } from '../connectors/errors.ts';
import type { ReadRequest, SessionStats } from '../connectors/types.ts';
import { sessionKey } from '../connections/sessions.ts';
import type { ConnectionRow } from '../connections/store.ts';
import type { PreparedPage } from '../records/store.ts';
import type { PageRead, PageReader, PreparedRead } from './page-reader.ts';

/**
 * Prepared pages a read may hold that the writer has not taken yet (a few megabytes each): enough
 * that the reader does not stop while the writer's page waits on the database.
 */
export const AHEAD = 4;

// Messages between the threads.
export interface StartRead {
  type: 'read';
  id: number;
  system: string;
  connection: Pick<ConnectionRow, 'id' | 'instance_url' | 'deployment' | 'settings'>;
  /** Identifies the session configuration: the thread reuses a session while it is unchanged. */
  sessionKey: string;
  credentials: Record<string, unknown>;
  allowPrivateUrls: boolean;
  entity: string;
  request: Omit<ReadRequest, 'signal'>;
  overrides: Record<string, unknown>;
  mapAll: boolean;
  copyFor?: { runId: string | null };
}
export type ToReader = StartRead | { type: 'more' | 'cancel'; id: number };

export interface SerializedError {
  name: string;
  message: string;
  kind?: ConnectorErrorKind;
  remote?: RemoteErrorInfo;
  retryAfterSeconds?: number;
  code?: string;
}
export type FromReader =
  | { type: 'page'; id: number; prepared: PreparedPage; resume: string | null; stats: SessionStats }
  | { type: 'end'; id: number; stats: SessionStats }
  | { type: 'error'; id: number; error: SerializedError; stats: SessionStats };

export function serializeError(e: unknown): SerializedError {
  if (e instanceof ConnectorError) {
    return {
      name: e.name,
      message: e.message,
      kind: e.kind,
      remote: e.remote,
      retryAfterSeconds: e.retryAfterSeconds,
    };
  }
  const err = e instanceof Error ? e : new Error(String(e));
  return { name: err.name, message: err.message, code: (err as { code?: string }).code };
}

function deserializeError(s: SerializedError): Error {
  if (s.kind) {
    return new ConnectorError(s.kind, s.message, {
      remote: s.remote,
      retryAfterSeconds: s.retryAfterSeconds,
    });
  }
  const e = new Error(s.message) as Error & { code?: string };
  e.name = s.name;
  if (s.code !== undefined) e.code = s.code;
  return e;
}

interface ReadState {
  pages: PreparedRead[];
  done: boolean;
  error: Error | null;
  stats: SessionStats;
  wake: (() => void) | null;
}

let worker: Worker | null = null;
const reads = new Map<number, ReadState>();
let nextId = 1;

function thread(): Worker {
  if (worker) return worker;
  const w = new Worker(new URL('./reader-thread-main.ts', import.meta.url));
  w.on('message', (m: FromReader) => {
    const st = reads.get(m.id);
    if (!st) return;
    st.stats = m.stats;
    if (m.type === 'page') st.pages.push({ prepared: m.prepared, resume: m.resume, stats: m.stats });
    else if (m.type === 'end') st.done = true;
    else {
      st.error ??= deserializeError(m.error);
      st.done = true;
    }
    st.wake?.();
  });
  const lost = (why: Error) => {
    if (worker === w) worker = null;
    for (const st of reads.values()) {
      st.error ??= why;
      st.done = true;
      st.wake?.();
    }
  };
  w.on('error', (e) => lost(new Error(`reader thread failed: ${e.message}`)));
  w.on('exit', (code) => lost(new Error(`reader thread exited (${code})`)));
  // Idle, it must not keep the process alive (unref after the listeners: a 'message' listener refs it).
  w.unref();
  return (worker = w);
}

export function readOnThread(
  conn: ConnectionRow,
  credentials: Record<string, unknown>,
  allowPrivateUrls: boolean,
  read: PageRead,
  signal?: AbortSignal,
): PageReader {
  const id = nextId++;
  const st: ReadState = {
    pages: [],
    done: false,
    error: null,
    stats: { requests: 0, retries: 0 },
    wake: null,
  };
  let started = false;
  const post = (m: ToReader) => thread().postMessage(m);
  const finish = () => {
    if (!reads.delete(id)) return;
    if (reads.size === 0) worker?.unref();
    signal?.removeEventListener('abort', onAbort);
    if (!st.done) post({ type: 'cancel', id });
  };
  // An abort ends the read at once with the signal's reason, as a read on this thread would.
  const onAbort = () => {
    if (st.done) return;
    post({ type: 'cancel', id });
    st.error = signal!.reason instanceof Error ? signal!.reason : new Error('read aborted');
    st.pages.length = 0;
    st.done = true;
    st.wake?.();
  };
  return {
    stats: () => st.stats,
    async *[Symbol.asyncIterator]() {
      if (started) throw new Error('a page reader is read once');
      started = true;
      reads.set(id, st);
      thread().ref(); // a read in progress keeps the process alive
      signal?.addEventListener('abort', onAbort, { once: true });
      try {
        post({
          type: 'read',
          id,
          system: conn.system,
          connection: {
            id: conn.id,
            instance_url: conn.instance_url,
            deployment: conn.deployment,
            settings: conn.settings,
          },
          sessionKey: sessionKey(conn),
          credentials,
          allowPrivateUrls,
          entity: read.entity,
          request: read.request,
          overrides: read.mapping.overrides,
          mapAll: read.mapAll,
          copyFor: read.copyFor,
        });
        if (signal?.aborted) onAbort();
        for (;;) {
          const page = st.pages.shift();
          if (page) {
            post({ type: 'more', id });
            // One turn of the event loop per page. Pages arrive while the previous one is written, and
            // a write to the embedded database runs without any I/O: without this turn, one message
            // callback would write page after page and starve timers (job heartbeats) and requests.
            await new Promise((resolve) => setImmediate(resolve));
            if (st.error && signal?.aborted) throw st.error;
            yield page;
            continue;
          }
          if (st.error) throw st.error;
          if (st.done) return;
          await new Promise<void>((resolve) => (st.wake = resolve));
          st.wake = null;
        }
      } finally {
        finish();
      }
    },
  };
}
