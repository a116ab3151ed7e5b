// Writers: purchase orders (deep insert, header/item updates with If-Match) and maintenance orders
// (create, update, status changes through function imports). Each returns the record as SAP holds it now.
import { ConnectorError, isConnectorError } from '../errors.ts';
import { and, entityEtag, eq, lit } from '../../protocols/odata-v2/index.ts';
import type { LiteralInput, ODataEntity } from '../../protocols/odata-v2/index.ts';
import type { SourceRecord, WriteResult } from '../types.ts';
import type { SapConnection } from './connection.ts';
import { SERVICES, SPECS, selectFor } from './entities.ts';
import { toRecord } from './readers.ts';
import {
  PO_CREATE_ONLY,
  PO_HEADER_FIELDS,
  PO_LINE_FIELDS,
  PRIORITY_TO_SAP,
  TYPE_TO_SAP,
  WO_CREATE_FIELDS,
  WO_UPDATE_FIELDS,
  assertWritable,
  decimal,
  defined,
  linesOf,
  location,
  oneOf,
  sapDate,
  sapDateTimeOffset,
  text,
} from './write-input.ts';

type Input = Record<string, unknown>;

/**
 * SAP answers a refused business rule with 400 and its own message (e.g. ME/083 "Enter a vendor");
 * that is a BUSINESS_RULE_VIOLATION, not a failure of the remote system.
 */
export async function asBusinessRule<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const status = isConnectorError(err) ? (err.remote?.status ?? 0) : 0;
    if (
      isConnectorError(err) &&
      err.kind === 'remote_error' &&
      status >= 400 &&
      status < 500 &&
      status !== 428
    ) {
      const msg = err.remote?.message ?? 'refused';
      throw new ConnectorError(
        'business_rule',
        `SAP refused the change: ${err.remote?.code ? `${err.remote.code} ` : ''}${msg}`,
        {
          remote: err.remote,
          cause: err,
        },
      );
    }
    throw err;
  }
}

async function readRaw(
  conn: SapConnection,
  entity: 'purchase_orders' | 'work_orders',
  id: string,
): Promise<ODataEntity> {
  const spec = SPECS[entity];
  const got = await conn.service(spec.service).get(spec.set, spec.key(id), { expand: spec.expand });
  if (!got) throw new ConnectorError('not_found', `${entity} ${id} does not exist in SAP`);
  return got.entity;
}

async function fresh(
  conn: SapConnection,
  entity: 'purchase_orders' | 'work_orders',
  id: string,
): Promise<WriteResult> {
  // Read back as a sync reads it, so the stored record and the next sync's agree (same hash).
  const spec = SPECS[entity];
  const got = await conn
    .service(spec.service)
    .get(spec.set, spec.key(id), { expand: spec.expand, select: selectFor(spec) });
  if (!got) throw new ConnectorError('not_found', `${entity} ${id} does not exist in SAP`);
  const record: SourceRecord = toRecord(spec, got.entity);
  return { record };
}

const setting = (conn: SapConnection, name: string): string | undefined => {
  const v = conn.settings[name];
  return typeof v === 'string' && v !== '' ? v : undefined;
};

// ---------------------------------------------------------------- purchase orders

/** Item numbers are NUMC(5) in SAP: `00010`; lines without one are numbered 10, 20, … */
function lineNumber(line: Input, index: number): string {
  const raw = line.line_number ?? (index + 1) * 10;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 99999) {
    throw new ConnectorError(
      'invalid_input',
      `lines[${index}].line_number must be an integer from 1 to 99999`,
    );
  }
  return String(n).padStart(5, '0');
}

function poItem(line: Input, index: number, defaultDate: string | undefined): Record<string, unknown> {
  assertWritable(line, PO_LINE_FIELDS, `lines[${index}].`);
  const loc = location(line);
  const material = text(line, 'item_id', 40) ?? text(line, 'item_code', 40);
  const quantity = decimal(line, 'quantity', { positive: true });
  const delivery = sapDate(line, 'delivery_date') ?? defaultDate;
  const number = lineNumber(line, index);
  return defined({
    PurchaseOrderItem: number,
    Material: material,
    PurchaseOrderItemText: text(line, 'description', 40),
    Plant: loc?.plant,
    StorageLocation: loc?.storageLocation,
    OrderQuantity: quantity,
    PurchaseOrderQuantityUnit: text(line, 'unit_of_measure', 3),
    NetPriceAmount: decimal(line, 'unit_price'),
    NetPriceQuantity: line.unit_price === undefined ? undefined : '1',
    to_ScheduleLine: delivery
      ? {
          results: [
            defined({
              ScheduleLine: '1',
              ScheduleLineDeliveryDate: delivery,
              ScheduleLineOrderQuantity: quantity,
            }),
          ],
        }
      : undefined,
  });
}

/** The lookups below are conveniences: when one fails, SAP itself names what is missing. */
async function optional<T>(fn: () => Promise<T>): Promise<T | null> {
  try {
    return await fn();
  } catch (err) {
    if (isConnectorError(err) && (err.kind === 'not_found' || err.kind === 'remote_error')) return null;
    throw err;
  }
}

/** Organisational data SAP needs on a new PO, from settings or from the supplier and plant master data. */
async function poOrgData(conn: SapConnection, supplier: string, plant: string | undefined) {
  let companyCode = setting(conn, 'company_code');
  let purchasingOrganization = setting(conn, 'purchasing_organization');
  let purchasingGroup = setting(conn, 'purchasing_group');
  let currency: string | undefined;
  if (!companyCode && plant) {
    const p = await optional(() =>
      conn.service(SERVICES.plant).get('A_Plant', plant, { select: ['Plant', 'CompanyCode'] }),
    );
    companyCode = typeof p?.entity.CompanyCode === 'string' ? p.entity.CompanyCode : undefined;
  }
  const orgs = await optional(() =>
    conn.service(SERVICES.businessPartner).list('A_SupplierPurchasingOrg', {
      filter: and(
        eq('Supplier', supplier),
        purchasingOrganization ? eq('PurchasingOrganization', purchasingOrganization) : null,
      ),
      top: 1,
    }),
  );
  const org = orgs?.results[0];
  if (org) {
    purchasingOrganization ??= String(org.PurchasingOrganization ?? '') || undefined;
    purchasingGroup ??= String(org.PurchasingGroup ?? '') || undefined;
    currency = String(org.PurchaseOrderCurrency ?? '') || undefined;
  }
  return { companyCode, purchasingOrganization, purchasingGroup, currency };
}

export async function createPurchaseOrder(conn: SapConnection, input: Input): Promise<WriteResult> {
  assertWritable(input, [...PO_HEADER_FIELDS, ...PO_CREATE_ONLY, 'lines']);
  const lines = linesOf(input);
  if (!lines || lines.length === 0)
    throw new ConnectorError('invalid_input', 'lines: a purchase order needs at least one line');
  const supplier = text(input, 'vendor_id', 10);
  if (!supplier) throw new ConnectorError('invalid_input', 'vendor_id is required');
  const defaultDate = sapDate(input, 'delivery_date') ?? sapDate(input, 'required_date');
  const items = lines.map((l, i) => poItem(l, i, defaultDate));
  const org = await poOrgData(conn, supplier, items.find((i) => i.Plant)?.Plant as string | undefined);
  const body = defined({
    PurchaseOrderType: setting(conn, 'purchase_order_type') ?? 'NB',
    CompanyCode: org.companyCode,
    PurchasingOrganization: org.purchasingOrganization,
    PurchasingGroup: text(input, 'buyer', 3) ?? org.purchasingGroup,
    Supplier: supplier,
    DocumentCurrency: text(input, 'currency', 5) ?? org.currency,
    PaymentTerms: text(input, 'payment_terms', 4),
    PurchaseOrderDate: sapDate(input, 'order_date'),
    to_PurchaseOrderItem: { results: items },
  });
  const spec = SPECS.purchase_orders;
  const created = await asBusinessRule(() => conn.service(spec.service).create(spec.set, body));
  const id = String(created.entity.PurchaseOrder ?? '');
  if (!id)
    throw new ConnectorError('remote_error', 'SAP created the purchase order but did not return its number');
  return fresh(conn, 'purchase_orders', id);
}

export async function updatePurchaseOrder(
  conn: SapConnection,
  id: string,
  input: Input,
): Promise<WriteResult> {
  assertWritable(input, [...PO_HEADER_FIELDS, 'lines']);
  const lines = linesOf(input) ?? [];
  const spec = SPECS.purchase_orders;
  const svc = conn.service(spec.service);
  const current = await readRaw(conn, 'purchase_orders', id);
  if (current.PurchasingDocumentDeletionCode === 'L') {
    throw new ConnectorError('business_rule', `purchase order ${id} is deleted and cannot be changed`);
  }
  const header = defined({
    Supplier: text(input, 'vendor_id', 10),
    DocumentCurrency: text(input, 'currency', 5),
    PaymentTerms: text(input, 'payment_terms', 4),
    PurchasingGroup: text(input, 'buyer', 3),
    PurchaseOrderDate: sapDate(input, 'order_date'),
  });
  const existing = new Map<string, ODataEntity>();
  const rawItems = (current.to_PurchaseOrderItem as { results?: ODataEntity[] } | undefined)?.results ?? [];
  for (const item of rawItems) existing.set(String(Number(item.PurchaseOrderItem)), item);
  // Check every line before the first write, so that a bad line changes nothing.
  const itemWrites = lines.map((line, i) => {
    if (line.line_number === undefined)
      throw new ConnectorError('invalid_input', `lines[${i}].line_number is required on update`);
    const item = poItem(line, i, undefined);
    const found = existing.get(String(Number(item.PurchaseOrderItem)));
    if (found?.PurchasingDocumentDeletionCode === 'L') {
      throw new ConnectorError(
        'business_rule',
        `line ${String(line.line_number)} is deleted and cannot be changed`,
      );
    }
    return { item, found };
  });

  await asBusinessRule(async () => {
    if (Object.keys(header).length > 0) {
      await svc.update(spec.set, id, header, { etag: entityEtag(current) ?? '*' });
    }
    for (const { item, found } of itemWrites) {
      if (found) {
        const { to_ScheduleLine: _schedule, PurchaseOrderItem: _number, ...changes } = item;
        if (Object.keys(changes).length === 0) continue;
        await svc.update(
          'A_PurchaseOrderItem',
          { PurchaseOrder: id, PurchaseOrderItem: String(found.PurchaseOrderItem) },
          changes,
          {
            etag: entityEtag(found) ?? '*',
          },
        );
      } else {
        await svc.create('A_PurchaseOrderItem', { PurchaseOrder: id, ...item });
      }
    }
  });
  return fresh(conn, 'purchase_orders', id);
}

// ---------------------------------------------------------------- maintenance orders

function maintenanceOrderBody(conn: SapConnection, input: Input, creating: boolean): Record<string, unknown> {
  const loc = location(input);
  return defined({
    MaintenanceOrderType: creating
      ? (oneOf(input, 'type', TYPE_TO_SAP) ?? setting(conn, 'maintenance_order_type') ?? 'PM01')
      : undefined,
    MaintenanceOrderDesc: text(input, 'title', 40),
    MaintPriority: oneOf(input, 'priority', PRIORITY_TO_SAP),
    Equipment: text(input, 'asset_id', 18),
    MaintenancePlanningPlant: creating ? loc?.plant : undefined,
    MaintenancePlant: loc?.plant,
    MaintOrdPersonResponsible: text(input, 'assigned_to', 12),
    MainWorkCenter: creating ? setting(conn, 'main_work_center') : undefined,
    MaintOrdBasicStartDateTime: sapDateTimeOffset(input, 'scheduled_start'),
    MaintOrdBasicEndDateTime: sapDateTimeOffset(input, 'scheduled_end'),
    LatestAcceptableCompletionDate: sapDate(input, 'due_date'),
  });
}

export async function createWorkOrder(conn: SapConnection, input: Input): Promise<WriteResult> {
  assertWritable(input, WO_CREATE_FIELDS);
  if (!text(input, 'title')) throw new ConnectorError('invalid_input', 'title is required');
  const spec = SPECS.work_orders;
  const created = await asBusinessRule(() =>
    conn.service(spec.service).create(spec.set, maintenanceOrderBody(conn, input, true)),
  );
  const id = String(created.entity.MaintenanceOrder ?? '');
  if (!id)
    throw new ConnectorError(
      'remote_error',
      'SAP created the maintenance order but did not return its number',
    );
  return fresh(conn, 'work_orders', id);
}

export async function updateWorkOrder(conn: SapConnection, id: string, input: Input): Promise<WriteResult> {
  assertWritable(input, WO_UPDATE_FIELDS);
  const spec = SPECS.work_orders;
  const current = await readRaw(conn, 'work_orders', id);
  const body = maintenanceOrderBody(conn, input, false);
  if (Object.keys(body).length > 0) {
    await asBusinessRule(() =>
      conn.service(spec.service).update(spec.set, id, body, { etag: entityEtag(current) ?? '*' }),
    );
  }
  return fresh(conn, 'work_orders', id);
}

interface ActionSpec {
  fn: string;
  /** Optional input field → function import parameter (Edm.DateTimeOffset). */
  times?: Record<string, string>;
}

/** Status changes of maintenance orders, by unified action name → SAP function import. */
export const WORK_ORDER_ACTIONS: Record<string, ActionSpec> = {
  submit_for_approval: { fn: 'SubmitMaintOrderForApproval' },
  approve: { fn: 'ApproveMaintenanceOrder' },
  reject: { fn: 'RejectMaintenanceOrder' },
  ready_for_scheduling: { fn: 'SetMaintOrderToReadyForSchedg' },
  schedule: { fn: 'ScheduleMaintenanceOrder' },
  release: { fn: 'ReleaseMaintenanceOrder' },
  dispatch_operations: { fn: 'SetMaintOrderOpsToDispatched' },
  lock: { fn: 'SetMaintOrderStatusToLocked' },
  unlock: { fn: 'SetMaintOrderStatusToUnlocked' },
  main_work_complete: {
    fn: 'SetMaintOrdToMainWorkComplete',
    times: { completed_at: 'MainWorkCompletedDateTime' },
  },
  technically_complete: {
    fn: 'SetMaintOrdToTechCompleted',
    times: { reference_time: 'MaintOrderReferenceDateTime' },
  },
  reset_technical_completion: { fn: 'ResetMaintOrdStsTechCompleted' },
  close: { fn: 'SetMaintOrderStatusToClosed', times: { reference_time: 'MaintOrderReferenceDateTime' } },
  reset_closed: { fn: 'ResetMaintOrderStatusClosed' },
  do_not_execute: {
    fn: 'SetMaintOrderToDoNotExecute',
    times: { reference_time: 'MaintOrderReferenceDateTime' },
  },
  mark_for_deletion: { fn: 'SetMaintOrdStsToMrkdForDeltn' },
  reset_deletion_flag: { fn: 'ResetMaintOrdStsMrkdForDeltn' },
};

export async function workOrderAction(
  conn: SapConnection,
  id: string,
  action: string,
  input: Input = {},
): Promise<WriteResult> {
  const spec = WORK_ORDER_ACTIONS[action];
  if (!spec) {
    throw new ConnectorError(
      'not_supported',
      `work order action ${action} is not supported; use one of ${Object.keys(WORK_ORDER_ACTIONS).join(', ')}`,
    );
  }
  assertWritable(input, Object.keys(spec.times ?? {}));
  const params: Record<string, LiteralInput> = { MaintenanceOrder: id };
  for (const [field, param] of Object.entries(spec.times ?? {})) {
    const v = input[field];
    if (v === undefined || v === null) continue;
    const d = new Date(String(v));
    if (Number.isNaN(d.getTime()))
      throw new ConnectorError('invalid_input', `${field} must be an ISO 8601 date-time`);
    params[param] = lit.datetimeOffset(d);
  }
  const current = await readRaw(conn, 'work_orders', id);
  const svc = conn.service(SPECS.work_orders.service);
  // Bound actions of SAP's RAP/SADL services check the entity's ETag like an update does.
  await asBusinessRule(() =>
    svc.callFunction(spec.fn, params, { method: 'POST', etag: entityEtag(current) }),
  );
  return fresh(conn, 'work_orders', id);
}
