// Rows of connections/connection_tokens/credit_ledger and their conversion to the API shape.
import type { Queryable } from '../store/db.ts';

export interface ConnectionRow {
  id: string;
  environment_id: string;
  system: string;
  deployment: 'cloud' | 'on_premise';
  customer_id: string;
  customer_name: string;
  instance_url: string;
  credentials_enc: string;
  settings: Record<string, unknown>;
  status: string;
  status_reason: string | null;
  credits: number;
  created_at: Date;
  updated_at: Date;
  disconnected_at: Date | null;
  env_kind?: string;
}

export const CONNECTION_COLUMNS = `c.id, c.environment_id, c.system, c.deployment, c.customer_id, c.customer_name,
  c.instance_url, c.credentials_enc, c.settings, c.status, c.status_reason, c.credits, c.created_at,
  c.updated_at, c.disconnected_at, e.kind AS env_kind`;

export async function findConnection(
  q: Queryable,
  environmentId: string,
  id: string,
): Promise<ConnectionRow | null> {
  const rows = await q.query<ConnectionRow>(
    `SELECT ${CONNECTION_COLUMNS} FROM connections c JOIN environments e ON e.id = c.environment_id
      WHERE c.id = $1 AND c.environment_id = $2`,
    [id, environmentId],
  );
  return rows[0] ?? null;
}

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

export function toApiConnection(row: ConnectionRow) {
  return {
    id: row.id,
    system: row.system,
    deployment: row.deployment,
    environment: row.env_kind as 'sandbox' | 'production',
    customer_id: row.customer_id,
    customer_name: row.customer_name,
    instance_url: row.instance_url,
    status: row.status as ConnectionStatus,
    status_reason: row.status_reason,
    settings: row.settings ?? {},
    credits: row.credits,
    created_at: iso(row.created_at)!,
    updated_at: iso(row.updated_at)!,
    disconnected_at: iso(row.disconnected_at),
  };
}

export type ConnectionStatus = 'active' | 'offline' | 'reauthorization_required' | 'disconnected';
