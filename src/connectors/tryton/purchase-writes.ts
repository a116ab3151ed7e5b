// Unified purchase-order input → Tryton purchase.purchase writes. Every write is one Tryton call (one
// Tryton transaction: header and lines land together or not at all). Tryton 6.0 does not enforce its
// read-only states on `write` over RPC, so a change to a non-draft purchase is refused before the
// write, with Tryton's own words: its "modify header" wizard, which refuses non-draft purchases.
import { ConnectorError, isConnectorError } from '../errors.ts';
import { encodeDate, encodeDecimal } from '../../protocols/jsonrpc/index.ts';
import type { Row } from './records.ts';
import type { TrytonRpc } from './rpc.ts';

export const PURCHASE_WRITABLE = [
  'vendor_id',
  'order_date',
  'required_date',
  'currency',
  'notes',
  'payment_terms',
  'lines',
];
export const LINE_WRITABLE = [
  'line_number',
  'item_id',
  'item_code',
  'description',
  'quantity',
  'unit_of_measure',
  'unit_price',
  'delivery_date',
];
export const PURCHASE_ACTIONS = ['quote', 'confirm', 'cancel'] as const;

const TRANSITIONS: Record<string, { from: string[]; to: string[] }> = {
  quote: { from: ['draft'], to: ['quotation'] },
  // Without a queue worker Tryton processes a confirmed purchase at once (creates its stock moves).
  confirm: { from: ['quotation'], to: ['confirmed', 'processing', 'done'] },
  cancel: { from: ['draft', 'quotation'], to: ['cancelled'] },
};

const invalid = (message: string) => new ConnectorError('invalid_input', message);

export function parseId(remoteId: string | number | unknown, what: string): number {
  const text = String(remoteId ?? '').trim();
  if (!/^\d+$/.test(text) || Number(text) <= 0)
    throw invalid(`${what} must be a Tryton record id, got ${JSON.stringify(remoteId)}`);
  return Number(text);
}

function checkFields(input: Record<string, unknown>, allowed: string[], where: string): void {
  for (const key of Object.keys(input)) {
    if (key === 'custom_fields' && (input[key] == null || Object.keys(input[key] as object).length === 0))
      continue;
    if (!allowed.includes(key)) {
      throw new ConnectorError('field_not_writable', `${where}${key} cannot be written to Tryton`, {
        remote: { details: { field: `${where}${key}`, writable: allowed } },
      });
    }
  }
}

function text(v: unknown, field: string): string | null {
  if (v == null) return null;
  if (typeof v !== 'string') throw invalid(`${field} must be text`);
  return v;
}

function date(v: unknown, field: string) {
  if (v == null || v === '') return null;
  try {
    return encodeDate(String(v));
  } catch {
    throw invalid(`${field} must be a date (YYYY-MM-DD)`);
  }
}

async function searchOne(
  rpc: TrytonRpc,
  model: string,
  domain: unknown[],
  fields: string[],
  what: string,
): Promise<Row> {
  const rows = await rpc.model<Row[]>(model, 'search_read', [domain, 0, 1, null, fields]);
  if (rows.length === 0) throw invalid(`${what} does not exist in Tryton`);
  return rows[0];
}

type Values = Record<string, unknown>;

async function headerValues(
  rpc: TrytonRpc,
  input: Record<string, unknown>,
  creating: boolean,
): Promise<Values> {
  const values: Values = {};
  if (creating || input.vendor_id !== undefined) {
    if (input.vendor_id == null) throw invalid('vendor_id is required');
    const id = parseId(input.vendor_id, 'vendor_id');
    // SQLite does not enforce foreign keys: an unknown party would be stored as is.
    const party = await searchOne(
      rpc,
      'party.party',
      [['id', '=', id]],
      ['id', 'addresses', 'supplier_payment_term'],
      `vendor ${id}`,
    );
    values.party = id;
    // What Tryton's client fills in on choosing a party: its first address and its supplier terms.
    values.invoice_address = (party.addresses as number[])[0] ?? null;
    if (input.payment_terms === undefined && party.supplier_payment_term != null) {
      values.payment_term = party.supplier_payment_term;
    }
  }
  if (input.payment_terms !== undefined) {
    const name = text(input.payment_terms, 'payment_terms');
    values.payment_term =
      name == null
        ? null
        : (
            await searchOne(
              rpc,
              'account.invoice.payment_term',
              [['name', '=', name]],
              ['id'],
              `payment term "${name}"`,
            )
          ).id;
  }
  if (input.currency !== undefined) {
    const code = text(input.currency, 'currency');
    if (code == null) throw invalid('currency cannot be empty');
    values.currency = (
      await searchOne(
        rpc,
        'currency.currency',
        [['code', '=', code.toUpperCase()]],
        ['id'],
        `currency ${code}`,
      )
    ).id;
  }
  if (input.order_date !== undefined) values.purchase_date = date(input.order_date, 'order_date');
  if (input.required_date !== undefined) values.delivery_date = date(input.required_date, 'required_date');
  if (input.notes !== undefined) values.comment = text(input.notes, 'notes');
  if (creating) {
    const ctx = await rpc.context();
    const company = ctx.company;
    if (typeof company !== 'number') {
      throw new ConnectorError('business_rule', 'the Tryton user has no current company; purchases need one');
    }
    values.company = company;
    if (values.currency === undefined) {
      const [c] = await rpc.model<Row[]>('company.company', 'read', [[company], ['currency']]);
      values.currency = c.currency;
    }
    const warehouse = await searchOne(
      rpc,
      'stock.location',
      [['type', '=', 'warehouse']],
      ['id'],
      'a warehouse',
    );
    values.warehouse = warehouse.id;
  }
  return values;
}

async function lineValues(rpc: TrytonRpc, lines: unknown): Promise<Values[]> {
  if (!Array.isArray(lines)) throw invalid('lines must be a list');
  const inputs = lines.map((l, i) => {
    if (typeof l !== 'object' || l === null) throw invalid(`lines[${i}] must be an object`);
    checkFields(l as Record<string, unknown>, LINE_WRITABLE, `lines[${i}].`);
    return l as Record<string, unknown>;
  });
  const ids = inputs.flatMap((l, i) =>
    l.item_id != null ? [parseId(l.item_id, `lines[${i}].item_id`)] : [],
  );
  const codes = inputs
    .filter((l) => l.item_id == null && l.item_code != null)
    .map((l) => String(l.item_code));
  const fields = ['id', 'code', 'name', 'purchase_uom', 'default_uom', 'cost_price'];
  const products: Row[] = [];
  if (ids.length)
    products.push(
      ...(await rpc.model<Row[]>('product.product', 'search_read', [
        [['id', 'in', ids]],
        0,
        null,
        null,
        fields,
      ])),
    );
  if (codes.length)
    products.push(
      ...(await rpc.model<Row[]>('product.product', 'search_read', [
        [['code', 'in', codes]],
        0,
        null,
        null,
        fields,
      ])),
    );
  const units = new Map<string, number>();
  for (const symbol of new Set(
    inputs
      .map((l) => l.unit_of_measure)
      .filter((u) => u != null)
      .map(String),
  )) {
    const uom = await searchOne(
      rpc,
      'product.uom',
      [['OR', ['symbol', '=', symbol], ['name', '=', symbol]]],
      ['id'],
      `unit "${symbol}"`,
    );
    units.set(symbol, uom.id);
  }
  return inputs.map((l, i) => {
    const product =
      l.item_id != null
        ? products.find((p) => p.id === Number(l.item_id))
        : l.item_code != null
          ? products.find((p) => p.code === String(l.item_code))
          : undefined;
    if ((l.item_id != null || l.item_code != null) && !product) {
      throw invalid(`lines[${i}]: item ${String(l.item_id ?? l.item_code)} does not exist in Tryton`);
    }
    const quantity = Number(l.quantity);
    if (l.quantity == null || l.quantity === '' || !Number.isFinite(quantity))
      throw invalid(`lines[${i}].quantity must be a number`);
    const unitPrice = l.unit_price ?? product?.cost_price ?? null;
    if (unitPrice == null) throw invalid(`lines[${i}].unit_price is required`);
    const values: Values = {
      type: 'line',
      sequence: l.line_number != null ? Number(l.line_number) : i + 1,
      quantity,
      unit_price: encodeDecimal(
        typeof unitPrice === 'object'
          ? String((unitPrice as { decimal: string }).decimal)
          : String(unitPrice),
      ),
      description:
        text(l.description, `lines[${i}].description`) ?? (product?.name as string | undefined) ?? null,
    };
    if (product) {
      values.product = product.id;
      values.unit =
        l.unit_of_measure != null
          ? units.get(String(l.unit_of_measure))
          : (product.purchase_uom ?? product.default_uom);
    } else if (l.unit_of_measure != null) values.unit = units.get(String(l.unit_of_measure));
    if (l.delivery_date != null) {
      values.delivery_date_edit = true;
      values.delivery_date_store = date(l.delivery_date, `lines[${i}].delivery_date`);
    }
    return values;
  });
}

export async function createPurchase(rpc: TrytonRpc, input: Record<string, unknown>): Promise<number> {
  checkFields(input, PURCHASE_WRITABLE, '');
  const values = await headerValues(rpc, input, true);
  if (input.lines != null) values.lines = [['create', await lineValues(rpc, input.lines)]];
  const [id] = await rpc.model<number[]>('purchase.purchase', 'create', [[values]], { write: true });
  return id;
}

async function readState(rpc: TrytonRpc, id: number, fields: string[] = []): Promise<Row> {
  const rows = await rpc.model<Row[]>('purchase.purchase', 'search_read', [
    [['id', '=', id]],
    0,
    1,
    null,
    ['state', 'number', ...fields],
  ]);
  if (rows.length === 0) throw new ConnectorError('not_found', `purchase ${id} does not exist in Tryton`);
  return rows[0];
}

/** Asks Tryton's own "modify header" wizard, which refuses non-draft purchases with Tryton's message. */
async function refuseChange(rpc: TrytonRpc, id: number, row: Row): Promise<never> {
  const ctx = { active_model: 'purchase.purchase', active_id: id, active_ids: [id] };
  let session: number | null = null;
  try {
    [session] = await rpc.wizard<[number]>('purchase.modify_header', 'create', []);
    await rpc.wizard('purchase.modify_header', 'execute', [session, {}, 'start'], ctx);
  } catch (e) {
    if (isConnectorError(e) && e.kind === 'business_rule') throw e;
  } finally {
    if (session != null)
      await rpc.wizard('purchase.modify_header', 'delete', [session]).catch(() => undefined);
  }
  throw new ConnectorError(
    'business_rule',
    `Purchase "${String(row.number ?? id)}" is in state "${String(row.state)}"; Tryton only lets draft purchases be changed.`,
  );
}

export async function updatePurchase(
  rpc: TrytonRpc,
  id: number,
  input: Record<string, unknown>,
): Promise<void> {
  checkFields(input, PURCHASE_WRITABLE, '');
  const row = await readState(rpc, id, ['_timestamp', 'lines']);
  if (row.state !== 'draft') await refuseChange(rpc, id, row);
  const values = await headerValues(rpc, input, false);
  if (input.lines !== undefined) {
    // Unified lines carry no Tryton line id: the given list replaces the draft's lines.
    const old = row.lines as number[];
    values.lines = [
      ...(old.length ? [['delete', old]] : []),
      ['create', await lineValues(rpc, input.lines ?? [])],
    ];
  }
  if (Object.keys(values).length === 0) return;
  // The timestamp makes Tryton refuse (ConcurrencyException → conflict) if the purchase changed
  // since it was checked, e.g. quoted in between.
  await rpc.model('purchase.purchase', 'write', [[id], values], {
    write: true,
    extra: { _timestamp: { [`purchase.purchase,${id}`]: row._timestamp } },
  });
}

export async function deletePurchase(rpc: TrytonRpc, id: number): Promise<void> {
  await readState(rpc, id);
  // Tryton cancels drafts and quotations before deleting them and refuses anything later.
  await rpc.model('purchase.purchase', 'delete', [[id]], { write: true });
}

export async function purchaseAction(rpc: TrytonRpc, id: number, action: string): Promise<void> {
  const t = TRANSITIONS[action];
  if (!t) {
    throw new ConnectorError(
      'not_supported',
      `unknown action "${action}" (Tryton purchases: ${PURCHASE_ACTIONS.join(', ')})`,
    );
  }
  const before = await readState(rpc, id);
  const name = String(before.number ?? id);
  // Tryton's workflow silently skips records in a state the transition does not start from.
  if (!t.from.includes(String(before.state))) {
    throw new ConnectorError(
      'business_rule',
      `Purchase "${name}" is in state "${String(before.state)}"; Tryton can ${action} a purchase only in state ${t.from.map((s) => `"${s}"`).join(' or ')}.`,
    );
  }
  await rpc.model('purchase.purchase', action, [[id]], { write: true });
  const after = await readState(rpc, id);
  if (!t.to.includes(String(after.state))) {
    throw new ConnectorError(
      'business_rule',
      `Tryton did not ${action} purchase "${name}": it is still "${String(after.state)}".`,
    );
  }
}
