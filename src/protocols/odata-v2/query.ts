// System query options of a read: $filter, $select, $expand, $orderby, $top, $skip, $inlinecount,
// $skiptoken, $format. Values are kept as strings; the HTTP client encodes them.
import { encodeQuery } from '../http/index.ts';
import type { Filter } from './filter.ts';

export interface ODataQuery {
  filter?: Filter | null;
  select?: string[] | string;
  /** Navigation paths, e.g. `to_Item` or `to_Operation/to_Component`. */
  expand?: string[] | string;
  /** `Prop` or `Prop desc`. */
  orderby?: string[] | string;
  top?: number;
  skip?: number;
  /** true → `allpages` (adds `__count`). */
  inlinecount?: boolean | 'allpages' | 'none';
  skiptoken?: string;
  /** Default `json`; null leaves `$format` out (the Accept header still asks for JSON). */
  format?: 'json' | 'xml' | 'atom' | null;
  /** Non-system parameters (e.g. custom query options of the service). */
  custom?: Record<string, string>;
}

const list = (v: string[] | string | undefined): string | undefined => {
  if (v === undefined) return undefined;
  const s = Array.isArray(v) ? v.filter(Boolean).join(',') : v;
  return s === '' ? undefined : s;
};

export function queryParams(q: ODataQuery = {}): Record<string, string> {
  const out: Record<string, string> = {};
  if (q.filter) out.$filter = q.filter;
  const select = list(q.select);
  if (select) out.$select = select;
  const expand = list(q.expand);
  if (expand) out.$expand = expand;
  const orderby = list(q.orderby);
  if (orderby) out.$orderby = orderby;
  if (q.top !== undefined) {
    if (!Number.isInteger(q.top) || q.top < 0)
      throw new TypeError(`$top must be a non-negative integer: ${q.top}`);
    out.$top = String(q.top);
  }
  if (q.skip !== undefined && q.skip > 0) {
    if (!Number.isInteger(q.skip)) throw new TypeError(`$skip must be an integer: ${q.skip}`);
    out.$skip = String(q.skip);
  }
  if (q.inlinecount) out.$inlinecount = q.inlinecount === true ? 'allpages' : q.inlinecount;
  if (q.skiptoken) out.$skiptoken = q.skiptoken;
  const format = q.format === undefined ? 'json' : q.format;
  if (format) out.$format = format;
  Object.assign(out, q.custom);
  return out;
}

export function queryString(q: ODataQuery = {}): string {
  return encodeQuery(queryParams(q));
}
