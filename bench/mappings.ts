// Micro benchmark of the mapping engine: a typical default mapping (SAP purchase order: ~25 fields
// with map() lookups, dates, decimals, two ref()s and an `each` over the items) applied to synthetic
// records. Target: >= 100,000 records/s on one core.
// Run: node bench/mappings.ts [records]
import { compileMapping } from '../src/mappings/index.ts';
import type { EntityMapping } from '../src/mappings/index.ts';

const PO_MAPPING: EntityMapping = {
  fields: {
    remote_id: 'PurchaseOrder',
    number: 'strip_zeros(PurchaseOrder)',
    type: 'map(PurchaseOrderType, {"NB": "STANDARD", "FO": "FRAMEWORK", "UB": "STOCK_TRANSFER"}, "OTHER")',
    status:
      'if(PurchasingDocumentDeletionCode = "L", "DELETED", map(PurchasingProcessingStatus, {"01": "DRAFT", "02": "PENDING_APPROVAL", "05": "RELEASED"}, "OPEN"))',
    vendor_id: "ref('vendors', Supplier)",
    vendor_remote_id: 'Supplier',
    company_code: 'CompanyCode',
    purchasing_org: 'PurchasingOrganization',
    purchasing_group: 'PurchasingGroup',
    currency: 'upper(DocumentCurrency)',
    order_date: 'date(PurchaseOrderDate)',
    created_at: 'datetime(CreationDate)',
    updated_at: 'datetime(LastChangeDateTime)',
    payment_terms: 'trim(PaymentTerms)',
    incoterms: 'join(" ", IncotermsClassification, IncotermsLocation1)',
    exchange_rate: 'decimal(ExchangeRate)',
    created_by: 'lower(CreatedByUser)',
    language: 'Language ?? "EN"',
    is_deleted: 'bool(PurchasingDocumentDeletionCode = "L")',
    is_released: 'PurchasingCompletenessStatus = false and ReleaseIsNotCompleted = false',
    line_count: 'count(to_PurchaseOrderItem)',
    total_amount: "sum(to_PurchaseOrderItem, 'NetPriceAmount')",
    address_city: 'coalesce(SupplierAddress.CityName, SupplierAddress.Region)',
    notes: 'concat(SupplierRespSalesPersonName, " / ", SupplierPhoneNumber)',
    lines: {
      each: 'to_PurchaseOrderItem.results',
      fields: {
        line_number: 'int(PurchaseOrderItem)',
        item_id: "ref('items', Material)",
        description: 'trim(PurchaseOrderItemText)',
        quantity: 'decimal(OrderQuantity)',
        unit: 'PurchaseOrderQuantityUnit',
        unit_price: 'decimal(NetPriceAmount)',
        plant: 'Plant',
        delivery_date: 'date(ScheduleLineDeliveryDate)',
        currency: '$root.DocumentCurrency',
      },
    },
  },
};

function makeRecord(i: number): Record<string, unknown> {
  const items = [];
  for (let j = 1; j <= 3; j++) {
    items.push({
      PurchaseOrder: String(4500000000 + i),
      PurchaseOrderItem: String(j * 10).padStart(5, '0'),
      Material: `MAT-${(i * 7 + j) % 500}`,
      PurchaseOrderItemText: `  Item ${j} of order ${i}  `,
      OrderQuantity: `${j * 2}.000`,
      PurchaseOrderQuantityUnit: 'EA',
      NetPriceAmount: `${(i % 97) + j}.50`,
      Plant: `10${j % 3}0`,
      ScheduleLineDeliveryDate: `/Date(${1704067200000 + (i % 300) * 86400000})/`,
    });
  }
  return {
    __metadata: { type: 'API_PURCHASEORDER_PROCESS_SRV.A_PurchaseOrderType' },
    PurchaseOrder: String(4500000000 + i),
    PurchaseOrderType: ['NB', 'FO', 'UB', 'ZNB'][i % 4],
    PurchasingDocumentDeletionCode: i % 50 === 0 ? 'L' : '',
    PurchasingProcessingStatus: ['01', '02', '05', '08'][i % 4],
    Supplier: String(1000000 + (i % 200)).padStart(10, '0'),
    CompanyCode: '1010',
    PurchasingOrganization: '1010',
    PurchasingGroup: '001',
    DocumentCurrency: 'eur',
    PurchaseOrderDate: `/Date(${1704067200000 + (i % 365) * 86400000})/`,
    CreationDate: `/Date(${1704067200000 + (i % 365) * 86400000})/`,
    LastChangeDateTime: `/Date(${1704067200000 + i * 1000}+0000)/`,
    PaymentTerms: '0001 ',
    IncotermsClassification: 'FOB',
    IncotermsLocation1: i % 3 === 0 ? '' : 'Hamburg',
    ExchangeRate: '1.00000',
    CreatedByUser: 'CB9980000010',
    Language: i % 5 === 0 ? '' : 'DE',
    PurchasingCompletenessStatus: false,
    ReleaseIsNotCompleted: i % 7 === 0,
    SupplierAddress: { CityName: i % 4 === 0 ? '' : 'Walldorf', Region: 'BW' },
    SupplierRespSalesPersonName: 'Jane Doe',
    SupplierPhoneNumber: i % 2 === 0 ? null : '+49 6227 7',
    to_PurchaseOrderItem: { results: items },
  };
}

export interface BenchResult {
  records: number;
  /** CPU seconds of this process: other work on a shared machine does not count against us. */
  seconds: number;
  recordsPerSecond: number;
  wallSeconds: number;
}

export async function benchMappings(records = 200_000): Promise<BenchResult> {
  const mapping = compileMapping(PO_MAPPING);
  const ctx = { connectionId: 'conn_bench' };
  // A pool of distinct records, reused: building 200k source objects would measure the GC, not us.
  const pool = Array.from({ length: 5_000 }, (_, i) => makeRecord(i));
  let sink = 0;
  for (let i = 0; i < 20_000; i++) sink += mapping.apply(pool[i % pool.length], ctx).warnings.length; // warm-up
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  for (let i = 0; i < records; i++) sink += mapping.apply(pool[i % pool.length], ctx).warnings.length;
  const wallSeconds = Number(process.hrtime.bigint() - start) / 1e9;
  const used = process.cpuUsage(cpu);
  const seconds = (used.user + used.system) / 1e6;
  if (sink !== 0) throw new Error(`benchmark mapping produced ${sink} warnings`);
  return { records, seconds, recordsPerSecond: Math.round(records / seconds), wallSeconds };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const n = process.argv[2] === undefined ? undefined : Number(process.argv[2]);
  const r = await benchMappings(n);
  console.log(
    `mappings: ${r.records} records in ${r.seconds.toFixed(3)} CPU s (${r.wallSeconds.toFixed(3)} s wall) = ` +
      `${r.recordsPerSecond.toLocaleString('en-US')} records/s`,
  );
}
