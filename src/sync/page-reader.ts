// Where a sync's pages are read and prepared (fetched, parsed, serialised, hashed, mapped). For the
// shipped connectors that happens on a reader thread: parsing a page of verbose JSON blocks a thread
// for tens of milliseconds, and the thread that talks to the database must answer it at once, or the
// database waits. Connectors registered in-process (tests, embedders) are read on this thread.
import { isShipped } from '../connectors/registry.ts';
import type { Connector, ReadRequest, SessionStats } from '../connectors/types.ts';
import { sessionFor } from '../connections/sessions.ts';
import type { ConnectionRow } from '../connections/store.ts';
import type { AppContext } from '../context.ts';
import { preparePage, type PreparedPage } from '../records/store.ts';
import type { EffectiveMapping } from '../unified/mapping.ts';
import { readOnThread } from './reader-thread.ts';

export interface PreparedRead {
  prepared: PreparedPage;
  /** Resumes the read after this page; null after the last one. */
  resume: string | null;
  /** Requests and retries since the read began, up to this page. */
  stats: SessionStats;
}

export interface PageReader extends AsyncIterable<PreparedRead> {
  /** Requests and retries since the read began, as far as known (also after a failure). */
  stats(): SessionStats;
}

export interface PageRead {
  entity: string;
  request: Omit<ReadRequest, 'signal'>;
  mapping: EffectiveMapping;
  /** Materialise every record while preparing (initial syncs, where every record is new). */
  mapAll: boolean;
  /**
   * With mapAll: the run whose bulk load will write the pages. The reader thread then encodes each
   * page as its COPY rows and hands the buffers over, instead of copying every record's strings.
   */
  copyFor?: { runId: string | null };
}

export const statsSince = (now: SessionStats, start: SessionStats): SessionStats => ({
  requests: now.requests - start.requests,
  retries: now.retries - start.retries,
});

export async function openPageReader(
  ctx: AppContext,
  conn: ConnectionRow,
  connector: Connector,
  read: PageRead,
  signal?: AbortSignal,
): Promise<PageReader> {
  if (ctx.config.syncReadThread && (await isShipped(connector))) {
    return readOnThread(
      conn,
      ctx.keyring.decrypt(conn.credentials_enc),
      ctx.config.allowPrivateUrls,
      read,
      signal,
    );
  }
  return readHere(ctx, conn, read, signal);
}

function readHere(ctx: AppContext, conn: ConnectionRow, read: PageRead, signal?: AbortSignal): PageReader {
  const session = sessionFor(ctx, conn);
  const start = session.stats();
  const stats = () => statsSince(session.stats(), start);
  const mapping = read.mapAll ? read.mapping : undefined;
  return {
    stats,
    async *[Symbol.asyncIterator]() {
      for await (const page of session.read(read.entity, { ...read.request, signal })) {
        yield {
          prepared: preparePage(conn.id, read.entity, page.records, mapping),
          resume: page.resume,
          stats: stats(),
        };
      }
    },
  };
}
