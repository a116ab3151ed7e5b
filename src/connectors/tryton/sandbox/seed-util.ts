// The sandbox seed's fixed data (suppliers, products) and small helpers over the raw Tryton caller.
import type { TrytonRaw } from './raw-rpc.ts';

export type Row = Record<string, unknown> & { id: number };

export async function one(
  rpc: TrytonRaw,
  model: string,
  domain: unknown[],
  fields: string[] = ['id'],
): Promise<Row> {
  const rows = await rpc.call<Row[]>(`model.${model}.search_read`, [domain, 0, 2, null, fields]);
  if (rows.length !== 1)
    throw new Error(`seed: expected one ${model} for ${JSON.stringify(domain)}, got ${rows.length}`);
  return rows[0];
}

export async function xmlId(rpc: TrytonRaw, module: string, fsId: string): Promise<number> {
  const row = await one(
    rpc,
    'ir.model.data',
    [
      ['module', '=', module],
      ['fs_id', '=', fsId],
    ],
    ['db_id'],
  );
  return row.db_id as number;
}

export async function create(
  rpc: TrytonRaw,
  model: string,
  values: Record<string, unknown>[],
): Promise<number[]> {
  return rpc.call<number[]>(`model.${model}.create`, [values]);
}

export const SUPPLIERS = [
  {
    name: 'Acme Industrial Supply',
    street: '12 Foundry Road',
    city: 'Pittsburgh',
    postal_code: '15222',
    country: 'US',
    email: 'orders@acme-industrial.example',
    phone: '+1 412 555 0100',
  },
  {
    name: 'Nordhafen Hydraulik GmbH',
    street: 'Kaistraße 7',
    city: 'Hamburg',
    postal_code: '20457',
    country: 'DE',
    email: 'vertrieb@nordhafen-hydraulik.example',
    phone: '+49 40 5550 1234',
  },
  {
    name: 'Delta Bearings Ltd',
    street: '3 Mill Lane',
    city: 'Sheffield',
    postal_code: 'S1 2HE',
    country: 'GB',
    email: 'sales@delta-bearings.example',
    phone: '+44 114 555 0199',
  },
] as const;

export const PRODUCTS = [
  { code: 'BRG-6204', name: 'Ball bearing 6204-2RS', type: 'goods', uom: 'uom_unit', cost: '4.20' },
  {
    code: 'OIL-VG46',
    name: 'Hydraulic oil ISO VG 46',
    type: 'goods',
    uom: 'uom_liter',
    cost: '3.10',
    consumable: true,
  },
  { code: 'BLT-SPZ1250', name: 'V-belt SPZ 1250', type: 'goods', uom: 'uom_unit', cost: '11.80' },
  { code: 'SEAL-P100', name: 'Pump seal kit P100', type: 'goods', uom: 'uom_unit', cost: '86.00' },
  { code: 'SRV-CAL', name: 'Calibration service', type: 'service', uom: 'uom_hour', cost: '95.00' },
] as const;
