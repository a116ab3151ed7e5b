// The reader thread itself: opens connector sessions of the shipped connectors (kept per connection
// while their configuration is unchanged), reads pages and prepares them for the writer.
import { parentPort } from 'node:worker_threads';
import { shippedRegistry } from '../connectors/registry.ts';
import type { ConnectorSession } from '../connectors/types.ts';
import { connectionConfig } from '../connections/sessions.ts';
import { preparePage } from '../records/store.ts';
import { effectiveFrom } from '../unified/mapping.ts';
import { statsSince } from './page-reader.ts';
import { AHEAD, serializeError, type FromReader, type StartRead, type ToReader } from './reader-thread.ts';

const port = parentPort!;
const registry = await shippedRegistry();
const sessions = new Map<string, { key: string; session: ConnectorSession }>();

interface Running {
  /** Pages it may still send before the writer takes one. */
  credit: number;
  wake: (() => void) | null;
  abort: AbortController;
}
const running = new Map<number, Running>();

port.on('message', (m: ToReader) => {
  if (m.type === 'read') {
    void read(m);
    return;
  }
  const r = running.get(m.id);
  if (!r) return;
  if (m.type === 'more') r.credit++;
  else r.abort.abort(new Error('read cancelled'));
  r.wake?.();
});

function sessionOf(m: StartRead): ConnectorSession {
  const hit = sessions.get(m.connection.id);
  if (hit && hit.key === m.sessionKey) return hit.session;
  void hit?.session.close?.();
  const connector = registry.get(m.system);
  if (!connector) throw new Error(`System ${m.system} is not installed in this Ironbridge`);
  const session = connector.open(connectionConfig(m.connection, m.credentials, m.allowPrivateUrls));
  sessions.set(m.connection.id, { key: m.sessionKey, session });
  return session;
}

async function read(m: StartRead) {
  const r: Running = { credit: AHEAD, wake: null, abort: new AbortController() };
  running.set(m.id, r);
  const send = (msg: FromReader) => port.postMessage(msg);
  let stats = () => ({ requests: 0, retries: 0 });
  try {
    const session = sessionOf(m);
    const start = session.stats();
    stats = () => statsSince(session.stats(), start);
    const mapping = m.mapAll ? effectiveFrom(registry.get(m.system)!, m.entity, m.overrides) : undefined;
    const { signal } = r.abort;
    for await (const page of session.read(m.entity, { ...m.request, signal })) {
      // The connector has just asked for the next page; that request goes out through promise
      // reactions and next ticks, which would wait until this page is prepared (tens of
      // milliseconds) and leave the source idle meanwhile. One turn of the event loop sends it.
      await new Promise((resolve) => setImmediate(resolve));
      signal.throwIfAborted();
      const prepared = preparePage(m.connection.id, m.entity, page.records, mapping, {
        keepData: false,
        copyFor: m.copyFor,
      });
      r.credit--;
      // COPY buffers are moved, not copied (every chunk owns its ArrayBuffer).
      const transfer = prepared.copy?.chunks.map((c) => c.buffer as ArrayBuffer) ?? [];
      port.postMessage(
        { type: 'page', id: m.id, prepared, resume: page.resume, stats: stats() } satisfies FromReader,
        transfer,
      );
      if (page.resume === null) break;
      // Wait for the writer before reading further.
      while (r.credit <= 0 && !signal.aborted) await new Promise<void>((resolve) => (r.wake = resolve));
      signal.throwIfAborted();
    }
    send({ type: 'end', id: m.id, stats: stats() });
  } catch (e) {
    send({ type: 'error', id: m.id, error: serializeError(e), stats: stats() });
  } finally {
    running.delete(m.id);
  }
}
