// Paged reads of a collection as an async iterator, one page in memory at a time.
//
// Two kinds of paging combine: the server's own (`__next` links carrying `$skiptoken`), which is
// always followed, and, when a page size is asked for, client chunks of `$top`/`$skip`. Within a
// chunk the server may split further with `__next`; a chunk ends when its `__next` chain ends, and the
// next chunk starts after as many records as the chunk returned (correct whether or not the server
// applies `$top` across its own pages).
//
// Every page carries a resume token: the original query plus the position after that page (the next
// link's parameters, or the next chunk's offset). A new session resumes from it without the iterator
// that produced it. Stable resumption needs a stable `$orderby` (e.g. by key).
import { ConnectorError } from '../../connectors/errors.ts';
import { readCollection } from './json.ts';
import type { ODataEntity } from './json.ts';
import { queryParams } from './query.ts';
import type { ODataQuery } from './query.ts';
import type { ODataV2Service } from './service.ts';

export interface PageOptions {
  /** Records per client chunk (`$top`); without it only server-driven paging applies. */
  pageSize?: number;
  /** Token of an earlier page: continue after it. */
  resume?: string | null;
  signal?: AbortSignal;
  /** Ask for the next page while the current one is processed (default true). */
  prefetch?: boolean;
}

export interface ODataPage {
  results: ODataEntity[];
  /** `__count` when `$inlinecount=allpages` was asked for. */
  count: number | null;
  /** Continues after this page; null after the last one. */
  resume: string | null;
}

interface PageState {
  v: 1;
  set: string;
  /** The original query options (without `$top`/`$skip`, which the chunks own). */
  q: Record<string, string>;
  size: number | null;
  /** Offset of the current chunk. */
  skip: number;
  /** Records received in the current chunk so far. */
  seen: number;
  /** Parameters of the `__next` link to follow (those that differ from `q`), or null. */
  next: Record<string, string> | null;
}

export function encodeResume(state: PageState): string {
  return Buffer.from(JSON.stringify(state), 'utf8').toString('base64url');
}

export function decodeResume(token: string, entitySet: string): PageState {
  let state: PageState;
  try {
    state = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as PageState;
  } catch {
    throw new ConnectorError('invalid_input', 'unreadable resume token');
  }
  if (state?.v !== 1 || typeof state.q !== 'object' || typeof state.skip !== 'number') {
    throw new ConnectorError('invalid_input', 'unreadable resume token');
  }
  if (state.set !== entitySet) {
    throw new ConnectorError('invalid_input', `resume token belongs to ${state.set}, not ${entitySet}`);
  }
  return state;
}

/** Parameters of a `__next` link that differ from the original query. */
function nextParams(next: string, base: Record<string, string>): Record<string, string> {
  const url = new URL(next, 'http://relative.invalid/');
  const out: Record<string, string> = {};
  for (const [k, v] of url.searchParams) if (base[k] !== v) out[k] = v;
  return out;
}

export async function* readPages(
  service: ODataV2Service,
  entitySet: string,
  query: ODataQuery,
  opts: PageOptions,
): AsyncGenerator<ODataPage> {
  let state: PageState;
  if (opts.resume) {
    state = decodeResume(opts.resume, entitySet);
  } else {
    const q = queryParams({ ...query, top: undefined, skip: undefined });
    const size = opts.pageSize && opts.pageSize > 0 ? Math.floor(opts.pageSize) : null;
    state = { v: 1, set: entitySet, q, size, skip: query.skip ?? 0, seen: 0, next: null };
  }

  const paramsOf = (st: PageState): Record<string, string> => {
    if (st.next) return { ...st.q, ...st.next };
    const skip: Record<string, string> = st.skip > 0 ? { $skip: String(st.skip) } : {};
    return st.size ? { ...st.q, $top: String(st.size), ...skip } : { ...st.q, ...skip };
  };
  const fetchPage = (st: PageState) => {
    const p = service
      .getJson(entitySet, paramsOf(st), { signal: opts.signal })
      .then((res) => readCollection(res.body));
    // Marks the prefetch as handled; awaiting it later still throws its error.
    p.catch(() => {});
    return p;
  };

  // The next page is requested while the caller works on this one: at most two pages in memory.
  let pending = fetchPage(state);
  for (;;) {
    const page = await pending;
    const seen = state.seen + page.results.length;

    let following: PageState | null = null;
    if (page.next) {
      const next = nextParams(page.next, state.q);
      if (state.next && JSON.stringify(next) === JSON.stringify(state.next)) {
        throw new ConnectorError('remote_error', `${entitySet}: the server repeated the same next link`);
      }
      following = { ...state, seen, next };
    } else if (state.size && seen >= state.size) {
      following = { ...state, skip: state.skip + seen, seen: 0, next: null };
    }
    if (following && opts.prefetch !== false) pending = fetchPage(following);
    yield { results: page.results, count: page.count, resume: following ? encodeResume(following) : null };
    if (!following) return;
    if (opts.prefetch === false) pending = fetchPage(following);
    state = following;
  }
}
