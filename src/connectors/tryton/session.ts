// One connection's session with a Tryton server: paged reads per entity, single-record reads and the
// purchase writes. Pages are keyset pages ordered by id (`id > last`), so records created during a
// read do not shift later pages, and the resume token carries the query it belongs to.
import { ConnectorError } from '../errors.ts';
import type {
  ConnectionConfig,
  ConnectorSession,
  EntityName,
  PassthroughRequest,
  PassthroughResponse,
  ReadPage,
  ReadRequest,
  SessionStats,
  SourceRecord,
  WriteResult,
} from '../types.ts';
import { decodeDateTime, encodeDateTime } from '../../protocols/jsonrpc/index.ts';
import { ASSET, LOCATION, PARTY, PRODUCT, PURCHASE, STOCK_PRODUCT_FIELDS } from './entities.ts';
import type { ModelSpec } from './entities.ts';
import {
  createPurchase,
  deletePurchase,
  parseId,
  purchaseAction,
  updatePurchase,
} from './purchase-writes.ts';
import { latestTimestamp, nestDotted } from './records.ts';
import type { Row } from './records.ts';
import { TrytonRpc } from './rpc.ts';

const MODEL_SPECS: Partial<Record<string, ModelSpec>> = {
  purchase_orders: PURCHASE,
  vendors: PARTY,
  items: PRODUCT,
  locations: LOCATION,
  assets: ASSET,
};
const TRANSACTIONAL = new Set(['purchase_orders']);
const DEFAULT_PAGE = 100;

interface Resume {
  v: 1;
  /** Last id returned (product id for inventory). */
  after: number;
  since: string | null;
  /** Inventory only: the location being read. */
  loc?: number;
}

function encodeResume(r: Resume): string {
  return Buffer.from(JSON.stringify(r)).toString('base64url');
}

function decodeResume(token: string): Resume {
  try {
    const r = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Resume;
    if (r.v === 1 && typeof r.after === 'number') return r;
  } catch {
    // fall through
  }
  throw new ConnectorError('invalid_input', 'resume token is not one this connector issued');
}

function notSupported(entity: string): ConnectorError {
  return new ConnectorError('not_supported', `Tryton has no ${entity} in this connector`);
}

export function toSourceRecord(spec: ModelSpec, row: Row): SourceRecord {
  const data = nestDotted(row) as Record<string, unknown>;
  return {
    remoteId: String(row.id),
    data,
    remoteCreatedAt: decodeDateTime(row.create_date),
    remoteUpdatedAt: latestTimestamp(data, spec.changePaths),
  };
}

export class TrytonSession implements ConnectorSession {
  readonly #rpc: TrytonRpc;
  #companyParties: Promise<number[]> | null = null;
  #currency: Promise<string | null> | null = null;

  constructor(config: ConnectionConfig) {
    this.#rpc = new TrytonRpc(config);
  }

  async check(): Promise<void> {
    await this.#rpc.login();
  }

  stats(): SessionStats {
    return this.#rpc.client.stats();
  }

  async *read(entity: string, req: ReadRequest): AsyncIterable<ReadPage> {
    if (entity === 'inventory') {
      yield* this.#readInventory(req);
      return;
    }
    const spec = MODEL_SPECS[entity];
    if (!spec) throw notSupported(entity);
    const token = req.resume ? decodeResume(req.resume) : null;
    const sinceDate = req.since ?? (TRANSACTIONAL.has(entity) ? req.windowStart : null) ?? null;
    const since = token ? token.since : sinceDate ? sinceDate.toISOString() : null;
    const pageSize = Math.max(1, Math.min(req.pageSize ?? DEFAULT_PAGE, 1000));
    const base = [...(spec.domain ?? []), ...(await this.#entityDomain(entity, req.signal))];
    if (since) {
      const at = encodeDateTime(since);
      base.push(['OR', ...spec.changePaths.map((p) => [p, '>=', at])]);
    }
    let after = token?.after ?? 0;
    for (;;) {
      req.signal?.throwIfAborted();
      const rows = await this.#rpc.model<Row[]>(
        spec.model,
        'search_read',
        [[...base, ['id', '>', after]], 0, pageSize, [['id', 'ASC']], spec.fields],
        { extra: spec.context, signal: req.signal },
      );
      const records = await this.#records(entity, spec, rows, req.signal);
      if (rows.length) after = rows[rows.length - 1].id;
      const more = rows.length === pageSize;
      yield { records, resume: more ? encodeResume({ v: 1, after, since }) : null };
      if (!more) return;
    }
  }

  async #records(
    entity: string,
    spec: ModelSpec,
    rows: Row[],
    signal?: AbortSignal,
  ): Promise<SourceRecord[]> {
    const records = rows.map((r) => toSourceRecord(spec, r));
    if (entity === 'items' && records.length) {
      // Tryton keeps cost prices in the company's currency, which the product does not name.
      const currency = await this.#companyCurrency(signal);
      for (const r of records) r.data.cost_currency = currency;
    }
    return records;
  }

  async #companyCurrency(signal?: AbortSignal): Promise<string | null> {
    this.#currency ??= (async () => {
      const company = (await this.#rpc.context(signal)).company;
      if (typeof company !== 'number') return null;
      const [row] = await this.#rpc.model<Row[]>('company.company', 'read', [[company], ['currency.code']], {
        signal,
      });
      const nested = nestDotted(row) as { currency?: { code?: string } | null };
      return nested.currency?.code ?? null;
    })().catch((e) => {
      this.#currency = null;
      throw e;
    });
    return this.#currency;
  }

  /** Parties that are companies of this Tryton are the buyer, not vendors. */
  async #entityDomain(entity: string, signal?: AbortSignal): Promise<unknown[]> {
    if (entity !== 'vendors') return [];
    this.#companyParties ??= this.#rpc
      .model<Row[]>('company.company', 'search_read', [[], 0, null, null, ['party']], { signal })
      .then((rows) => rows.map((r) => r.party as number))
      .catch((e) => {
        this.#companyParties = null;
        throw e;
      });
    const ids = await this.#companyParties;
    return ids.length ? [['id', 'not in', ids]] : [];
  }

  async #storageLocations(signal?: AbortSignal): Promise<Row[]> {
    return this.#rpc.model<Row[]>(
      'stock.location',
      'search_read',
      [[['type', '=', 'storage']], 0, null, [['id', 'ASC']], ['id', 'name', 'code', 'warehouse']],
      { signal },
    );
  }

  /** One page of stock rows of one storage location, with the quantity reserved by assigned moves. */
  async #stockPage(
    location: Row,
    after: number,
    limit: number | null,
    signal?: AbortSignal,
    productId?: number,
  ) {
    const domain: unknown[] = productId
      ? [['id', '=', productId]]
      : [
          ['id', '>', after],
          ['OR', ['quantity', '!=', 0], ['forecast_quantity', '!=', 0]],
        ];
    const rows = await this.#rpc.model<Row[]>(
      'product.product',
      'search_read',
      [domain, 0, limit, [['id', 'ASC']], STOCK_PRODUCT_FIELDS],
      { extra: { locations: [location.id], with_childs: false, active_test: false }, signal },
    );
    if (rows.length === 0) return { rows, records: [] as SourceRecord[] };
    // Tryton reserves stock by assigning moves: what assigned moves take out of here is reserved.
    const moves = await this.#rpc.model<Row[]>(
      'stock.move',
      'search_read',
      [
        [
          ['from_location', '=', location.id],
          ['state', '=', 'assigned'],
          ['product', 'in', rows.map((r) => r.id)],
        ],
        0,
        null,
        null,
        ['product', 'internal_quantity'],
      ],
      { signal },
    );
    const reserved = new Map<number, number>();
    for (const m of moves)
      reserved.set(
        m.product as number,
        (reserved.get(m.product as number) ?? 0) + Number(m.internal_quantity ?? 0),
      );
    const records = rows.map((r): SourceRecord => {
      const product = nestDotted(r) as Record<string, unknown>;
      const { quantity, forecast_quantity, ...productFields } = product;
      return {
        remoteId: `${r.id}/${location.id}`,
        data: {
          product: productFields,
          location: {
            id: location.id,
            name: location.name,
            code: location.code,
            warehouse: location.warehouse,
          },
          quantity,
          forecast_quantity,
          reserved_quantity: reserved.get(r.id) ?? 0,
          // The mapping language has no arithmetic: what is free to use is computed here.
          available_quantity: Number(quantity ?? 0) - (reserved.get(r.id) ?? 0),
        },
        remoteCreatedAt: null,
        remoteUpdatedAt: null,
      };
    });
    return { rows, records };
  }

  // Stock levels have no change timestamp in Tryton (they are sums of moves): always a full read.
  async *#readInventory(req: ReadRequest): AsyncIterable<ReadPage> {
    const token = req.resume ? decodeResume(req.resume) : null;
    const pageSize = Math.max(1, Math.min(req.pageSize ?? DEFAULT_PAGE, 1000));
    const locations = await this.#storageLocations(req.signal);
    let first = 0;
    let after = 0;
    if (token) {
      first = locations.findIndex((l) => l.id >= (token.loc ?? 0));
      if (first < 0) first = locations.length;
      else if (locations[first].id === token.loc) after = token.after;
    }
    let yielded = false;
    for (let i = first; i < locations.length; i++, after = 0) {
      const location = locations[i];
      for (;;) {
        req.signal?.throwIfAborted();
        const { rows, records } = await this.#stockPage(location, after, pageSize, req.signal);
        if (rows.length) after = rows[rows.length - 1].id;
        const more = rows.length === pageSize;
        const nextLoc = more ? location : locations[i + 1];
        const next = nextLoc
          ? encodeResume({ v: 1, after: more ? after : 0, since: null, loc: nextLoc.id })
          : null;
        // Empty locations produce no page of their own, except the last one, which ends the read.
        if (records.length || !next) {
          yield { records, resume: next };
          yielded = true;
        }
        if (!more) break;
      }
    }
    if (!yielded) yield { records: [], resume: null };
  }

  async get(entity: string, remoteId: string): Promise<SourceRecord | null> {
    if (entity === 'inventory') {
      const m = /^(\d+)\/(\d+)$/.exec(remoteId);
      if (!m) return null;
      const [location] = await this.#rpc.model<Row[]>('stock.location', 'search_read', [
        [
          ['id', '=', Number(m[2])],
          ['type', '=', 'storage'],
        ],
        0,
        1,
        null,
        ['id', 'name', 'code', 'warehouse'],
      ]);
      if (!location) return null;
      const { records } = await this.#stockPage(location, 0, 1, undefined, Number(m[1]));
      return records[0] ?? null;
    }
    const spec = MODEL_SPECS[entity];
    if (!spec) throw notSupported(entity);
    if (!/^\d+$/.test(remoteId)) return null;
    const domain = [
      ...(spec.domain ?? []),
      ...(await this.#entityDomain(entity)),
      ['id', '=', Number(remoteId)],
    ];
    const rows = await this.#rpc.model<Row[]>(spec.model, 'search_read', [domain, 0, 1, null, spec.fields], {
      extra: spec.context,
    });
    return rows[0] ? (await this.#records(entity, spec, rows))[0] : null;
  }

  async #written(remoteId: number): Promise<WriteResult> {
    const record = await this.get('purchase_orders', String(remoteId));
    if (!record) throw new ConnectorError('not_found', `purchase ${remoteId} vanished after the write`);
    return { record };
  }

  async create(entity: EntityName, input: Record<string, unknown>): Promise<WriteResult> {
    if (entity !== 'purchase_orders') throw notSupported(`writes of ${entity}`);
    return this.#written(await createPurchase(this.#rpc, input));
  }

  async update(entity: EntityName, remoteId: string, input: Record<string, unknown>): Promise<WriteResult> {
    if (entity !== 'purchase_orders') throw notSupported(`writes of ${entity}`);
    const id = this.#purchaseId(remoteId);
    await updatePurchase(this.#rpc, id, input);
    return this.#written(id);
  }

  async delete(entity: EntityName, remoteId: string): Promise<void> {
    if (entity !== 'purchase_orders') throw notSupported(`deletes of ${entity}`);
    await deletePurchase(this.#rpc, this.#purchaseId(remoteId));
  }

  async action(entity: EntityName, remoteId: string, action: string): Promise<WriteResult> {
    if (entity !== 'purchase_orders') throw notSupported(`actions on ${entity}`);
    const id = this.#purchaseId(remoteId);
    await purchaseAction(this.#rpc, id, action);
    return this.#written(id);
  }

  #purchaseId(remoteId: string): number {
    try {
      return parseId(remoteId, 'purchase id');
    } catch {
      throw new ConnectorError('not_found', `purchase ${remoteId} does not exist in Tryton`);
    }
  }

  /** `POST /` with `{method, params}`: one JSON-RPC call on the connection's database, as sent. */
  async passthrough(req: PassthroughRequest): Promise<PassthroughResponse> {
    const body = req.body as { method?: unknown; params?: unknown } | undefined;
    if (
      req.method.toUpperCase() !== 'POST' ||
      !['', '/'].includes(req.path) ||
      typeof body?.method !== 'string'
    ) {
      throw new ConnectorError(
        'invalid_input',
        'Tryton passthrough: POST / with a JSON body {"method": "...", "params": [...]}',
      );
    }
    const params = Array.isArray(body.params) ? body.params : [];
    const result = await this.#rpc.client.call(body.method, params, { idempotent: false });
    return { status: 200, headers: { 'content-type': 'application/json' }, body: { result } };
  }
}
